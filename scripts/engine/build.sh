#!/usr/bin/env bash
# Builds the real Pulumi engine pieces the engine tests need, from Go modules (the Go module proxy), into a cache
# OUTSIDE the repository, reused by every clone on this machine while the versions match:
#
#   ${AIRLOCK_ENGINE_CACHE:-$HOME/.cache/airlock/engine}/pulumi-<v>-<go>/bin/pulumi
#       the Pulumi CLI (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) at the version of @pulumi/pulumi in
#       package-lock.json, or the closest one the proxy serves; built from a generated wrapper module that requires
#       pkg/v3 + sdk/v3 at that version and repeats the non-local `replace`s of pkg/go.mod.
#   .../bin/pulumi-analyzer-policy-nodejs
#       what the CLI runs for a Node.js policy pack when no `pulumi-language-nodejs` is installed (see below).
#   ${CACHE}/docker-<v>-<go>/bin/pulumi-resource-docker
#       a Docker resource provider speaking @pulumi/docker <v>: pulumi-terraform-bridge over the upstream Terraform
#       provider, from scripts/engine/docker-provider/ (Pulumi's own provider module is not served; see below).
#
# Usage: scripts/engine/build.sh [cli] [analyzer] [docker-provider] [language-host]   (default: all four)
#        scripts/engine/build.sh --print-bin-dir      the directory to put on PATH (after a build)
# Exit: 0 built or reused; 1 a step failed (the step and its exact command are printed); 3 a module the build
# needs is not served by the Go module proxy (BLOCKED: the command and the proxy's answer are printed).
#
# Environment: AIRLOCK_ENGINE_CACHE (cache root), AIRLOCK_PULUMI_VERSION (override the version), and the usual
# GOPROXY/GOCACHE/GOMODCACHE (left at their defaults so that reruns are fast).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${AIRLOCK_ENGINE_CACHE:-$HOME/.cache/airlock/engine}"
GO_VERSION="$(go env GOVERSION 2>/dev/null || echo nogo)"

say() { printf '[engine:build] %s\n' "$*" >&2; }
# run STEP CMD...: prints the step and the command, runs it, and on failure names both and exits 1.
run() {
    local step="$1"; shift
    say "[$step] \$ $*"
    if ! "$@"; then
        say "FAILED step '$step': the command was:"
        say "    (cd $PWD && $*)"
        exit 1
    fi
}
blocked() {
    local step="$1" cmd="$2" out="$3"
    say "BLOCKED step '$step': a module the build needs is not served by the Go module proxy ($(go env GOPROXY))."
    say "    command: $cmd"
    say "    answer:  $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-600)"
    exit 3
}

lock_version() { # the version of an npm package in package-lock.json
    node -e 'const l=require(process.argv[1]);const p=l.packages["node_modules/"+process.argv[2]];if(!p){process.exit(1)}process.stdout.write(p.version)' \
        "$ROOT/package-lock.json" "$1"
}

# closest_served MODULE WANTED: WANTED itself when the proxy serves it, else the served version nearest to it.
closest_served() {
    local module="$1" wanted="$2" list
    list="$(GOFLAGS=-mod=mod go list -m -versions "$module" 2>&1)" || blocked "resolve $module" "go list -m -versions $module" "$list"
    node -e '
        const [want, ...served] = process.argv.slice(1);
        const num = (v) => v.replace(/^v/, "").split(/[.-]/).slice(0, 3).map(Number);
        const key = (v) => { const [a, b, c] = num(v); return a * 1e8 + b * 1e4 + c; };
        const rel = served.filter((v) => /^v\d+\.\d+\.\d+$/.test(v));
        if (rel.includes(want)) { process.stdout.write(want); process.exit(0); }
        if (rel.length === 0) process.exit(1);
        rel.sort((x, y) => Math.abs(key(x) - key(want)) - Math.abs(key(y) - key(want)) || key(y) - key(x));
        process.stdout.write(rel[0]);
    ' "v$wanted" $(printf '%s' "$list" | cut -d' ' -f2-)
}

# non_local_replaces GOMOD: the `replace` directives of a go.mod whose target is a module (not a ../path).
non_local_replaces() {
    node -e '
        const text = require("fs").readFileSync(process.argv[1], "utf8");
        const out = [];
        let inBlock = false;
        for (const raw of text.split("\n")) {
            const line = raw.replace(/\/\/.*$/, "").trim();
            if (/^replace\s*\($/.test(line)) { inBlock = true; continue; }
            if (inBlock && line === ")") { inBlock = false; continue; }
            const body = inBlock ? line : (line.match(/^replace\s+(.*)$/) || [])[1];
            if (!body || !body.includes("=>")) continue;
            const target = body.split("=>")[1].trim();
            if (/^(\.|\/)/.test(target)) continue;          // a local path: the wrapper requires that module instead
            out.push("replace " + body);
        }
        process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
    ' "$1"
}

module_file() { # module_file MODULE@VERSION FIELD: a field of `go mod download -json`
    local out
    out="$(go mod download -json "$1" 2>&1)" || blocked "download $1" "go mod download -json $1" "$out"
    printf '%s' "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){process.stderr.write(j.Error);process.exit(3)}process.stdout.write(j[process.argv[1]])})' "$2"
}

PULUMI_NPM="$(lock_version @pulumi/pulumi)"
DOCKER_NPM="$(lock_version @pulumi/docker)"

pulumi_version() {
    if [[ -n "${AIRLOCK_PULUMI_VERSION:-}" ]]; then printf '%s' "${AIRLOCK_PULUMI_VERSION}"; return; fi
    closest_served github.com/pulumi/pulumi/pkg/v3 "$PULUMI_NPM"
}

cli_dir() { printf '%s/pulumi-%s-%s' "$CACHE" "$1" "$GO_VERSION"; }

build_cli() {
    local v dir stamp
    v="$(pulumi_version)"
    dir="$(cli_dir "$v")"
    stamp="pulumi $v (@pulumi/pulumi $PULUMI_NPM) $GO_VERSION"
    if [[ -x "$dir/bin/pulumi" && "$(cat "$dir/bin/.stamp" 2>/dev/null)" == "$stamp" ]] \
        && [[ "$("$dir/bin/pulumi" version 2>/dev/null)" == "$v" ]]; then
        say "[cli] reusing $dir/bin/pulumi ($stamp)"
        return
    fi
    [[ "$v" == "v$PULUMI_NPM" ]] || say "[cli] @pulumi/pulumi is $PULUMI_NPM; the proxy does not serve pkg/v3 v$PULUMI_NPM, building the closest: $v"
    say "[cli] building the Pulumi CLI $v into $dir (cold: several minutes on 2 cores)"
    mkdir -p "$dir/src" "$dir/bin"
    local gomod replaces
    gomod="$(module_file "github.com/pulumi/pulumi/pkg/v3@$v" GoMod)"
    replaces="$(non_local_replaces "$gomod")"
    local gover
    gover="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod" | head -1)"
    cat > "$dir/src/go.mod" <<EOF
// GENERATED by scripts/engine/build.sh: a wrapper module to build the Pulumi CLI $v from its Go module.
// pkg/go.mod replaces sdk/v3 with ../sdk (so \`go install\` refuses); here both are required at $v and
// pkg/go.mod's non-local replaces are repeated.
module airlock.local/engine/pulumi

go ${gover:-1.25}

require (
	github.com/pulumi/pulumi/pkg/v3 $v
	github.com/pulumi/pulumi/sdk/v3 $v
)

$replaces
EOF
    cat > "$dir/src/tools.go" <<'EOF'
//go:build tools

// Package tools pins the Pulumi CLI's main package into this wrapper module.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF
    rm -f "$dir/src/go.sum"
    cd "$dir/src"
    run cli go mod tidy
    run cli go build -o "$dir/bin/pulumi.tmp" \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    mv "$dir/bin/pulumi.tmp" "$dir/bin/pulumi"
    cd "$ROOT"
    local got
    got="$("$dir/bin/pulumi" version)"
    [[ "$got" == "$v" ]] || { say "FAILED step 'cli': $dir/bin/pulumi version printed '$got', expected '$v'"; exit 1; }
    printf '%s' "$stamp" > "$dir/bin/.stamp"
    say "[cli] built $dir/bin/pulumi ($got)"
}

# The CLI (sdk/go/common/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer) runs a policy pack through the
# language host's RunPlugin when a `pulumi-language-<runtime>` plugin is installed, and otherwise runs the analyzer
# plugin `pulumi-analyzer-policy-<runtime>` with cwd = the pack, args `<engine address> . [-opt=value…]` and the
# stack in PULUMI_CONFIG/PULUMI_PROJECT/PULUMI_STACK/… . That plugin was a small script in the CLI distributions;
# this is an equivalent written here: it runs the pack's own @pulumi/pulumi/cmd/run-policy-pack with node.
build_analyzer() {
    local dir
    dir="$(cli_dir "$(pulumi_version)")"
    mkdir -p "$dir/bin"
    cat > "$dir/bin/pulumi-analyzer-policy-nodejs.tmp" <<'EOF'
#!/bin/sh
# GENERATED by Airlock's scripts/engine/build.sh. The Pulumi CLI runs this for a Node.js policy pack when no
# pulumi-language-nodejs is installed (cwd = the pack; args: <engine address> <pack dir> [-option=value ...]).
# Equivalent of the pulumi-analyzer-policy script of older CLI distributions: run the pack's own
# @pulumi/pulumi/cmd/run-policy-pack with node.
set -e
runner=$(node -e 'process.stdout.write(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [process.cwd()] }))' 2>/dev/null) || {
    echo "pulumi-analyzer-policy-nodejs: cannot find @pulumi/pulumi/cmd/run-policy-pack from $(pwd); run npm install in the policy pack" >&2
    exit 1
}
addr="$1"; pack="$2"; shift 2
exec node "$runner" "$addr" "$pack"
EOF
    chmod +x "$dir/bin/pulumi-analyzer-policy-nodejs.tmp"
    mv "$dir/bin/pulumi-analyzer-policy-nodejs.tmp" "$dir/bin/pulumi-analyzer-policy-nodejs"
    say "[analyzer] wrote $dir/bin/pulumi-analyzer-policy-nodejs"
}

# pulumi-language-nodejs is its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3), not tagged; a wrapper would
# require it at a pseudo-version of the release commit. The engine tests do not need it: they run the program as an
# Automation API inline program (the Node.js Automation API serves the language runtime; the CLI gets --client) and
# the policy pack through pulumi-analyzer-policy-nodejs. This step only reports whether the proxy serves it.
check_language_host() {
    local v commit out
    v="$(pulumi_version)"
    commit="$(node -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write((i.Origin&&i.Origin.Hash)||"")' "$(module_file "github.com/pulumi/pulumi/pkg/v3@$v" Info)")"
    local cmd="go mod download -json github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$commit"
    say "[language-host] \$ $cmd"
    out="$($cmd 2>&1 || true)"
    if printf '%s' "$out" | grep -q '"Error"'; then
        say "[language-host] not served (not needed: inline programs + pulumi-analyzer-policy-nodejs): $(printf '%s' "$out" | grep '"Error"' | cut -c1-300)"
    else
        say "[language-host] served at $commit (not built: the engine tests do not need it)"
    fi
}

# The provider goes next to the CLI, which finds plugins on PATH (the engine tests put the CLI's directory first).
link_provider() {
    local cli_bin
    cli_bin="$(cli_dir "$(pulumi_version)")/bin"
    mkdir -p "$cli_bin"
    ln -sfn "$1" "$cli_bin/pulumi-resource-docker"
}

# The Docker resource provider. Pulumi's own module (github.com/pulumi/pulumi-docker/provider/v4) is not served by the
# Go module proxy here (403), so scripts/engine/docker-provider/ rebuilds its bridged part the way pulumi-docker is
# built: pulumi-terraform-bridge's tfbridge over the upstream Terraform provider (kreuzwerker/terraform-provider-docker,
# pseudo-version in docker-provider/UPSTREAM), whose internal/provider is reached through a shim package added to a
# local copy of the upstream module (a `replace` to ./upstream; its go.mod keeps its module path). The schema is
# generated from the ProviderInfo with the bridge's tfgen (cmd/gen-schema) and embedded in the binary; the generated
# schema.json and defaults.json are committed (docker-provider/generated/) and must match what the build generates.
provider_inputs_hash() { # every committed input of the provider build, the upstream version, Go and @pulumi/docker
    (cd "$ROOT/scripts/engine/docker-provider" && find . -type f ! -path './generated/*' ! -path './upstream/*' -print0 | sort -z | xargs -0 sha256sum
     printf '%s %s %s\n' "$GO_VERSION" "$DOCKER_NPM" "$(go env GOOS GOARCH | tr '\n' ' ')") | sha256sum | cut -c1-16
}

build_docker_provider() {
    local dir="$CACHE/docker-$DOCKER_NPM-$GO_VERSION" mod="$ROOT/scripts/engine/docker-provider"
    if [[ -n "${AIRLOCK_PULUMI_RESOURCE_DOCKER:-}" ]]; then
        [[ -x "$AIRLOCK_PULUMI_RESOURCE_DOCKER" ]] || { say "FAILED step 'docker-provider': AIRLOCK_PULUMI_RESOURCE_DOCKER=$AIRLOCK_PULUMI_RESOURCE_DOCKER is not executable"; exit 1; }
        link_provider "$AIRLOCK_PULUMI_RESOURCE_DOCKER"
        say "[docker-provider] using AIRLOCK_PULUMI_RESOURCE_DOCKER=$AIRLOCK_PULUMI_RESOURCE_DOCKER (it must be pulumi-resource-docker $DOCKER_NPM)"
        return
    fi
    local stamp
    stamp="docker $DOCKER_NPM inputs $(provider_inputs_hash)"
    if [[ -x "$dir/bin/pulumi-resource-docker" && "$(cat "$dir/bin/.stamp" 2>/dev/null)" == "$stamp" ]] \
        && cmp -s "$dir/generated/schema.json" "$mod/generated/schema.json" && cmp -s "$dir/generated/defaults.json" "$mod/generated/defaults.json"; then
        link_provider "$dir/bin/pulumi-resource-docker"
        say "[docker-provider] reusing $dir/bin/pulumi-resource-docker ($stamp)"
        return
    fi
    local upstream_mod upstream_v
    read -r upstream_mod upstream_v < "$mod/UPSTREAM"
    say "[docker-provider] building pulumi-resource-docker $DOCKER_NPM (pulumi-terraform-bridge over $upstream_mod@$upstream_v) into $dir"
    say "[docker-provider] (cold: module downloads and a long compile, about 15 minutes on 2 cores; warm: seconds)"
    local out
    local cmd="go mod download -json $upstream_mod@$upstream_v"
    say "[docker-provider] \$ $cmd"
    out="$($cmd 2>&1)" || true
    if printf '%s' "$out" | grep -q '"Error"' || ! printf '%s' "$out" | grep -q '"Dir"'; then blocked docker-provider "$cmd" "$out"; fi
    local upstream_dir
    upstream_dir="$(printf '%s' "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).Dir))')"
    rm -rf "$dir/src" "$dir/generated"
    mkdir -p "$dir/bin" "$dir/generated"
    run docker-provider cp -r "$mod/." "$dir/src/"
    rm -rf "$dir/src/generated" "$dir/src/upstream" "$dir/src/patches"
    # The local copy of the upstream module (module cache files are read-only) and the shim package inside it.
    run docker-provider cp -r "$upstream_dir" "$dir/src/upstream"
    run docker-provider chmod -R u+w "$dir/src/upstream"
    # Airlock's patches to the upstream (docker-provider/patches/*.patch; each says why), as pulumi-docker patches its own.
    local p
    for p in "$mod"/patches/*.patch; do
        [[ -e "$p" ]] || continue
        run docker-provider git -C "$dir/src/upstream" apply -p1 "$p"
    done
    mkdir -p "$dir/src/upstream/shim"
    run docker-provider cp "$mod/_upstream-shim/shim.go" "$dir/src/upstream/shim/shim.go"
    cd "$dir/src"
    # no_compose: leave out the upstream's docker_compose resource (plugin-framework half; not served here).
    run docker-provider go build -tags no_compose -o "$dir/bin/gen-schema" ./cmd/gen-schema
    run docker-provider "$dir/bin/gen-schema" "$dir/generated"
    local f stale=0
    for f in schema.json defaults.json; do
        if ! cmp -s "$dir/generated/$f" "$mod/generated/$f"; then
            if [[ "${AIRLOCK_UPDATE_GENERATED:-}" == 1 ]]; then
                cp "$dir/generated/$f" "$mod/generated/$f"
                say "[docker-provider] updated scripts/engine/docker-provider/generated/$f"
            else
                say "[docker-provider] scripts/engine/docker-provider/generated/$f differs from what the build generated ($dir/generated/$f)"
                stale=1
            fi
        fi
    done
    if [[ $stale -eq 1 ]]; then
        say "FAILED step 'docker-provider': the committed schema data is stale; regenerate it with:"
        say "    AIRLOCK_UPDATE_GENERATED=1 bash scripts/engine/build.sh docker-provider   (then commit scripts/engine/docker-provider/generated/)"
        exit 1
    fi
    run docker-provider cp "$dir/generated/schema.json" "$dir/src/cmd/pulumi-resource-docker/schema.json"
    run docker-provider go build -tags no_compose -o "$dir/bin/pulumi-resource-docker.tmp" ./cmd/pulumi-resource-docker
    mv "$dir/bin/pulumi-resource-docker.tmp" "$dir/bin/pulumi-resource-docker"
    cd "$ROOT"
    local got
    got="$("$dir/bin/pulumi-resource-docker" -version)"
    [[ "$got" == "$DOCKER_NPM" ]] || { say "FAILED step 'docker-provider': $dir/bin/pulumi-resource-docker -version printed '$got', expected '$DOCKER_NPM'"; exit 1; }
    printf '%s' "$stamp" > "$dir/bin/.stamp"
    link_provider "$dir/bin/pulumi-resource-docker"
    say "[docker-provider] built $dir/bin/pulumi-resource-docker ($got; $upstream_mod@$upstream_v + $(grep -o 'pulumi-terraform-bridge/v3 v[^ ]*' "$mod/go.mod" | head -1))"
}

if [[ "${1:-}" == "--print-bin-dir" ]]; then
    cli_dir "$(pulumi_version)"; printf '/bin\n'
    exit 0
fi

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(cli analyzer language-host docker-provider)
say "cache: $CACHE; @pulumi/pulumi $PULUMI_NPM, @pulumi/docker $DOCKER_NPM, $GO_VERSION"
start=$SECONDS
for t in "${targets[@]}"; do
    case "$t" in
        cli) build_cli ;;
        analyzer) build_analyzer ;;
        language-host) check_language_host ;;
        docker-provider) build_docker_provider ;;
        *) say "unknown target '$t' (cli, analyzer, language-host, docker-provider)"; exit 2 ;;
    esac
done
say "done in $((SECONDS - start)) s; put $(cli_dir "$(pulumi_version)")/bin on PATH"
