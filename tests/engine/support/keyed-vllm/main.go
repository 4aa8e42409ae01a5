// STAND-IN for vLLM's OpenAI-compatible server (Airlock engine tests). This is NOT vLLM: it serves no model.
// `vllm serve <model dir> [--served-model-name N] [--host H] [--port P]` refuses a missing or empty model directory,
// then answers GET /health (no key, as vLLM) and GET /v1/models (naming N); every /v1 route requires
// "Authorization: Bearer $VLLM_API_KEY" when VLLM_API_KEY is set, as vLLM does. AIRLOCK_STAND_IN_IGNORE_KEY=1 makes
// it skip the check (the broken server a verify test must catch).
package main

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
)

func main() {
	args := os.Args[1:]
	if len(args) < 2 || args[0] != "serve" {
		fmt.Fprintln(os.Stderr, "vllm STAND-IN: only 'vllm serve <model> ...' is implemented")
		os.Exit(2)
	}
	model, name, host, port := args[1], args[1], "0.0.0.0", "8000"
	for i := 2; i+1 < len(args); i++ {
		switch args[i] {
		case "--served-model-name":
			name, i = args[i+1], i+1
		case "--host":
			host, i = args[i+1], i+1
		case "--port":
			port, i = args[i+1], i+1
		}
	}
	if entries, err := os.ReadDir(model); err != nil || len(entries) == 0 {
		fmt.Fprintf(os.Stderr, "vllm STAND-IN: model path %s is missing or empty (offline serving needs staged weights)\n", model)
		os.Exit(1)
	}
	key := os.Getenv("VLLM_API_KEY")
	checkKey := key != "" && os.Getenv("AIRLOCK_STAND_IN_IGNORE_KEY") != "1"
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	http.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		given := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if checkKey && subtle.ConstantTimeCompare([]byte(given), []byte(key)) != 1 {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"Unauthorized"}`))
			return
		}
		if r.URL.Path != "/v1/models" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": []map[string]any{
			{"id": name, "object": "model", "owned_by": "vllm", "root": model, "stand_in": true}}})
	})
	fmt.Printf("vllm STAND-IN: serving %s from %s on %s:%s (key check %v)\n", name, model, host, port, checkKey)
	if err := http.ListenAndServe(host+":"+port, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
