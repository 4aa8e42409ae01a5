/**
 * Live probes run inside containers (`docker exec`), each bounded in time: can this container open a TCP connection
 * to an address, and what does an HTTP GET answer. They use what the image has — Python (vLLM images), else
 * BusyBox `nc`/`wget` (Alpine-based proxies, the test stand-ins) — and say so when it has neither. An API key reaches
 * the probe through the exec's environment, never its argv.
 */
import type { Engine } from "./engine";

/** What a TCP probe found. */
export type Reach = "reached" | "blocked" | "no-tool" | "timed-out";

const CONNECT = `H="$1"; P="$2"; T="$3"
if command -v python3 >/dev/null 2>&1 && python3 -c "import socket" >/dev/null 2>&1; then
python3 - "$H" "$P" "$T" <<'PY'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3])).close()
    print("REACHED")
except Exception as e:
    print("BLOCKED " + type(e).__name__)
PY
elif command -v nc >/dev/null 2>&1; then
  if out=$(nc -w "$T" "$H" "$P" </dev/null 2>&1); then echo REACHED; else echo "BLOCKED $out"; fi
else
  echo NO_TOOL
fi`;

/** Whether `container` can open a TCP connection to `host:port` (within `seconds`). */
export async function probeConnect(engine: Engine, containerId: string, host: string, port: number, seconds = 3): Promise<Reach> {
    const r = await engine.exec(containerId, ["sh", "-c", CONNECT, "probe", host, String(port), String(seconds)], { timeoutMs: (seconds + 5) * 1000 });
    if (r.timedOut) return "timed-out";
    const line = r.stdout.trim().split("\n").pop() ?? "";
    if (line.startsWith("REACHED")) return "reached";
    if (line.startsWith("NO_TOOL")) return "no-tool";
    return "blocked";
}

const HTTP_GET = `U="$1"; T="$2"
if command -v python3 >/dev/null 2>&1 && python3 -c "import urllib.request" >/dev/null 2>&1; then
python3 - "$U" "$T" <<'PY'
import os, sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1])
key = os.environ.get("AIRLOCK_VERIFY_KEY")
if key:
    req.add_header("Authorization", "Bearer " + key)
try:
    with urllib.request.urlopen(req, timeout=float(sys.argv[2])) as r:
        print("STATUS %d" % r.status); sys.stdout.write(r.read(65536).decode("utf-8", "replace"))
except urllib.error.HTTPError as e:
    print("STATUS %d" % e.code)
except Exception as e:
    print("ERROR " + type(e).__name__)
PY
elif command -v wget >/dev/null 2>&1; then
  if [ -n "\${AIRLOCK_VERIFY_KEY:-}" ]; then
    all=$(timeout "$T" wget -S -O - --header "Authorization: Bearer $AIRLOCK_VERIFY_KEY" "$U" 2>&1)
  else
    all=$(timeout "$T" wget -S -O - "$U" 2>&1)
  fi
  code=$(printf '%s\\n' "$all" | sed -n 's/.*HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p' | sed -n '$p')
  if [ -n "$code" ]; then echo "STATUS $code"; printf '%s' "$all"; else echo "ERROR $(printf '%s' "$all" | sed -n '$p')"; fi
else
  echo NO_TOOL
fi`;

export interface HttpAnswer {
    /** The HTTP status, or undefined when no answer came. */
    readonly status?: number;
    readonly body: string;
    /** Why there was no answer (connection refused, timeout, no HTTP client in the image). */
    readonly error?: string;
}

/** GET `url` from inside the container, with `apiKey` as a bearer token when given. */
export async function probeHttp(engine: Engine, containerId: string, url: string, o: { apiKey?: string; seconds?: number } = {}): Promise<HttpAnswer> {
    const seconds = o.seconds ?? 5;
    const r = await engine.exec(containerId, ["sh", "-c", HTTP_GET, "probe", url, String(seconds)],
        { timeoutMs: (seconds + 5) * 1000, ...(o.apiKey ? { env: { AIRLOCK_VERIFY_KEY: o.apiKey } } : {}) });
    if (r.timedOut) return { body: "", error: "timed out" };
    const [first = "", ...rest] = r.stdout.split("\n");
    const m = /^STATUS (\d{3})/.exec(first);
    if (m) return { status: Number(m[1]), body: rest.join("\n") };
    return { body: "", error: first.startsWith("NO_TOOL") ? "no HTTP client in the image (python3 or wget)" : first.replace(/^ERROR /, "") || r.stderr.trim() };
}
