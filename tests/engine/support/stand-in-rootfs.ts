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
 * - the gateway (`library/nginx:…-alpine`): REAL nginx with the njs module, but Debian's build (bookworm's `nginx`
 *   binary — `nginx-core` is a transitional package there — and `libnginx-mod-http-js`), not the official Alpine
 *   image: the two .debs are fetched with `apt-get download`, unpacked, and put with the libraries `ldd` names into a
 *   BusyBox root file system (`/bin/sh`, `wget` for the healthcheck), the module at the official image's path
 *   `/usr/lib/nginx/modules/ngx_http_js_module.so`, user nginx = uid 101 as there.
 *
 * Every image carries the label `airlock.dev/stand-in=true`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
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
    /** Stands in for library/nginx (alpine): real nginx + njs from Debian packages (see the header). */
    gateway: { description: "STAND-IN for library/nginx: REAL nginx + njs, Debian bookworm's nginx and libnginx-mod-http-js, not the official image", scripts: {} },
} as const;

/** The Debian packages the gateway stand-in is made of (`nginx-core` depends on `nginx`, which has the binary). */
export const NGINX_PACKAGES = ["nginx", "libnginx-mod-http-js"] as const;
export const NJS_MODULE_PATH = "/usr/lib/nginx/modules/ngx_http_js_module.so";

function sh(cmd: string, args: string[], cwd?: string): string {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) throw new Error(`stand-in: \`${cmd} ${args.join(" ")}\` failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error ?? "")).trim()}`);
    return r.stdout;
}

/** Unpacks Debian's nginx and njs module into `dir` (apt-get download; `apt-get update` once if the lists lack them). */
function unpackNginx(dir: string): { versions: string } {
    const debs = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-nginx-debs-"));
    try {
        try { sh("apt-get", ["download", ...NGINX_PACKAGES], debs); } catch {
            sh("apt-get", ["update", "-qq"]);
            sh("apt-get", ["download", ...NGINX_PACKAGES], debs);
        }
        const files = fs.readdirSync(debs).filter((f) => f.endsWith(".deb"));
        for (const f of files) sh("dpkg-deb", ["-x", path.join(debs, f), dir]);
        return { versions: files.map((f) => f.replace(/\.deb$/, "")).sort().join(", ") };
    } finally {
        fs.rmSync(debs, { recursive: true, force: true });
    }
}

/** Copies every shared library `ldd` resolves for `binary` (and the loader) into `root`, under the same paths. */
function copyLibraries(root: string, binary: string): void {
    for (const line of sh("ldd", [binary]).split("\n")) {
        const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
        if (!m) {
            if (/not found/.test(line)) throw new Error(`stand-in: ${binary} needs a library this machine lacks: ${line.trim()}`);
            continue;
        }
        const lib = m[1]!;
        const dest = path.join(root, lib);
        if (fs.existsSync(dest)) continue;
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(fs.realpathSync(lib), dest);
        fs.chmodSync(dest, 0o755);
    }
}

function writeNginx(dir: string): void {
    const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-nginx-"));
    try {
        const { versions } = unpackNginx(unpacked);
        const nginx = path.join(unpacked, "usr/sbin/nginx");
        const njs = path.join(unpacked, NJS_MODULE_PATH);
        for (const f of [nginx, njs]) if (!fs.existsSync(f)) throw new Error(`stand-in: ${f} is not in the unpacked packages (${versions})`);
        fs.mkdirSync(path.join(dir, "usr/sbin"), { recursive: true });
        fs.mkdirSync(path.join(dir, path.dirname(NJS_MODULE_PATH)), { recursive: true });
        fs.copyFileSync(nginx, path.join(dir, "usr/sbin/nginx"));
        fs.chmodSync(path.join(dir, "usr/sbin/nginx"), 0o755);
        fs.copyFileSync(njs, path.join(dir, NJS_MODULE_PATH));
        fs.symlinkSync("/usr/sbin/nginx", path.join(dir, "usr/local/bin/nginx"));
        copyLibraries(dir, nginx);
        copyLibraries(dir, njs);
        for (const d of ["var/lib/nginx", "var/log/nginx", "var/cache/nginx", "etc/nginx"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
        fs.writeFileSync(path.join(dir, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101:nginx:/nonexistent:/bin/false\n");
        fs.writeFileSync(path.join(dir, "etc/group"), "root:x:0:\nnginx:x:101:\n");
        fs.appendFileSync(path.join(dir, "STAND-IN"), `Made of the Debian packages ${versions}.\n`);
    } finally {
        fs.rmSync(unpacked, { recursive: true, force: true });
    }
}

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
    if (which === "gateway") writeNginx(dir);
}
