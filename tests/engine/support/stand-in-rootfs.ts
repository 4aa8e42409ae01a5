/**
 * STAND-IN images for the engine tests. Nothing here is vLLM, the Hugging Face CLI or axolotl: each image is a
 * BusyBox root file system (Debian's busybox-static) with small shell scripts under the real programs' names,
 * so that the dev stack's containers can run on a machine without a GPU, a container registry or the internet.
 *
 * - `vllm serve <path> --served-model-name N --port P`: refuses a model path that does not exist (as vLLM
 *   offline would), then BusyBox `httpd` answers `GET /health` and `GET /v1/models` (a JSON body naming N).
 *   It does not check the API key and serves no completions.
 * - `hf download <hub id> --revision R --local-dir D`: downloads nothing; writes placeholder files naming the
 *   hub id and revision into D and exits 0 (the staging role).
 * - `axolotl train <config>`: fails like axolotl when the config file is missing, else writes a placeholder
 *   adapter into /output and exits 0 (the training role).
 * - `python3 -c "…urlopen('http://…/health'…"`: only the dev stack's healthcheck one-liner (a `wget` of the URL).
 *
 * Every image carries the label `airlock.dev/stand-in=true`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const STAND_IN_LABEL = "airlock.dev/stand-in";
export const BUSYBOX = "/usr/bin/busybox";

const APPLETS = [
    "sh", "cat", "chmod", "chown", "cp", "echo", "env", "grep", "head", "httpd", "id", "ls", "mkdir", "nc",
    "printf", "ps", "rm", "sed", "sleep", "stat", "test", "timeout", "touch", "tr", "true", "false", "wget", "wc", "[",
];

const VLLM = `#!/bin/sh
# STAND-IN for vLLM (Airlock engine tests). This is NOT vLLM: it serves no model, only
# GET /health and GET /v1/models (naming --served-model-name), with BusyBox httpd.
set -eu
if [ "\${1:-}" != serve ]; then echo "vllm STAND-IN: only 'vllm serve <model> ...' is implemented" >&2; exit 2; fi
shift
model="\${1:?vllm STAND-IN: serve needs a model path}"; shift
name="$model"; host=0.0.0.0; port=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --served-model-name) name="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) shift ;;
  esac
done
if [ ! -d "$model" ] || [ -z "$(ls -A "$model")" ]; then
  echo "vllm STAND-IN: model path $model is missing or empty (offline serving needs staged weights)" >&2; exit 1
fi
www=/tmp/airlock-stand-in-www
mkdir -p "$www/v1"
printf '{"status":"ok","stand_in":true}\\n' > "$www/health"
printf '{"object":"list","data":[{"id":"%s","object":"model","owned_by":"vllm","root":"%s","stand_in":true}]}\\n' "$name" "$model" > "$www/v1/models"
echo "vllm STAND-IN: serving $name from $model on $host:$port"
exec httpd -f -v -p "$host:$port" -h "$www"
`;

const HF = `#!/bin/sh
# STAND-IN for the Hugging Face CLI (Airlock engine tests). It downloads NOTHING: 'hf download' writes
# placeholder files naming the hub id and revision into --local-dir and exits 0.
set -eu
if [ "\${1:-}" != download ]; then echo "hf STAND-IN: only 'hf download' is implemented" >&2; exit 2; fi
shift
repo="\${1:?hf STAND-IN: download needs a repo id}"; shift
revision=main; dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --revision) revision="$2"; shift 2 ;;
    --local-dir) dir="$2"; shift 2 ;;
    *) shift ;;
  esac
done
if [ -z "$dir" ]; then echo "hf STAND-IN: --local-dir is required" >&2; exit 2; fi
mkdir -p "$dir"
printf '{"_airlock_stand_in":true,"hub_id":"%s","revision":"%s"}\\n' "$repo" "$revision" > "$dir/config.json"
printf 'STAND-IN weights of %s@%s\\n' "$repo" "$revision" > "$dir/model.safetensors"
echo "hf STAND-IN: wrote placeholder files of $repo@$revision into $dir"
`;

const AXOLOTL = `#!/bin/sh
# STAND-IN for axolotl (Airlock engine tests). It trains NOTHING: 'axolotl train <config>' checks the config
# exists (as axolotl does) and writes a placeholder adapter into /output.
set -eu
if [ "\${1:-}" != train ]; then echo "axolotl STAND-IN: only 'axolotl train <config>' is implemented" >&2; exit 2; fi
config="\${2:?axolotl STAND-IN: train needs a config file}"
if [ ! -f "$config" ]; then echo "axolotl STAND-IN: config $config not found" >&2; exit 1; fi
printf 'STAND-IN adapter trained with %s\\n' "$config" > /output/adapter_model.safetensors
echo "axolotl STAND-IN: wrote /output/adapter_model.safetensors"
`;

const PYTHON3 = `#!/bin/sh
# STAND-IN for python3 (Airlock engine tests): understands only a healthcheck one-liner that opens a URL
# (urllib.request.urlopen('http://…')); it fetches that URL with BusyBox wget.
url=$(printf '%s' "$*" | grep -o "http://[^'\\"]*" | head -1)
if [ -z "$url" ]; then echo "python3 STAND-IN: only a urlopen('http://…') healthcheck is implemented" >&2; exit 2; fi
exec timeout 5 wget -q -O /dev/null "$url"   # (BusyBox 1.35 wget -T segfaults: timeout instead)
`;

/** The stand-in images: which scripts each carries (all carry BusyBox and python3 for the healthcheck). */
export const STAND_INS = {
    /** Stands in for vllm/vllm-openai: `vllm` (serving) and `hf` (staging: the vLLM image ships the HF CLI). */
    vllm: { description: "STAND-IN for vllm/vllm-openai (vllm serve, hf download)", scripts: { vllm: VLLM, hf: HF } },
    /** Stands in for axolotlai/axolotl. */
    trainer: { description: "STAND-IN for axolotlai/axolotl (axolotl train)", scripts: { axolotl: AXOLOTL } },
} as const;

export type StandInName = keyof typeof STAND_INS;

/** Writes the root file system of a stand-in image into `dir` (which must be empty or missing). */
export function writeStandInRootfs(dir: string, which: StandInName): void {
    if (!fs.existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: apt-get install -y busybox-static`);
    // No /models, /output, /data or /cache: Docker copies an image directory's owner and mode onto an EMPTY volume
    // mounted there at every container start, which would undo TrainingJob's output-init chmod (docker-host.test.ts).
    for (const d of ["bin", "usr/local/bin", "etc", "tmp"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
    fs.chmodSync(path.join(dir, "tmp"), 0o1777);
    fs.copyFileSync(BUSYBOX, path.join(dir, "bin/busybox"));
    fs.chmodSync(path.join(dir, "bin/busybox"), 0o755);
    for (const applet of APPLETS) fs.symlinkSync("busybox", path.join(dir, "bin", applet));
    const scripts: Record<string, string> = { ...STAND_INS[which].scripts, python3: PYTHON3 };
    for (const [name, body] of Object.entries(scripts)) {
        fs.writeFileSync(path.join(dir, "usr/local/bin", name), body, { mode: 0o755 });
    }
    fs.writeFileSync(path.join(dir, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nairlock:x:1000:1000:airlock:/cache/home:/bin/sh\n");
    fs.writeFileSync(path.join(dir, "etc/group"), "root:x:0:\nairlock:x:1000:\n");
    fs.writeFileSync(path.join(dir, "STAND-IN"), `${STAND_INS[which].description}. Built by the Airlock engine tests; not the real image.\n`);
}
