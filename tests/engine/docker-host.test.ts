/**
 * The private Docker engine, the local registry and the STAND-IN images (tests/engine/support/docker-host.ts):
 * the dev stack's containers, as `airlock plan` plans them with the stand-in stack file, run on the real engine with
 * their real entrypoints, argv, users, capabilities, read-only roots, tmpfs, limits and mounts, the images pulled by
 * digest from the registry. What this does NOT prove: that the Docker resource provider creates them this way (that
 * is `pulumi up`, dev-stack.test.ts), nor anything about vLLM itself (the images are BusyBox stand-ins).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/engine";
import { type DockerHost, runningHost, standInStackFile } from "./support/docker-host";
import { type PlanJson, airlockPlan, projectDir } from "./support/differential";
import { dockerRunArgs, labelOf } from "./support/plan-to-docker";

let host: DockerHost;
let dir: string;
let plan: PlanJson;
let containers: Record<string, any>[];
const byRole = (role: string) => containers.filter((c) => labelOf(c, "airlock.dev/role") === role);

beforeAll(() => {
    host = runningHost();
    dir = projectDir({ name: "airlock", program: path.join(ROOT, "src/index.ts"), stack: "engine", stackYaml: standInStackFile(host) });
    const r = airlockPlan(dir, "engine", ["--policy-config", path.join(ROOT, "policies/config/dev.json")]);
    if (r.status !== 0 || !r.json) throw new Error(`airlock plan of the stand-in stack failed (exit ${r.status}):\n${r.stderr}`);
    plan = r.json;
    containers = plan.resources.filter((x) => x.type === "docker:index/container:Container").map((x) => x.inputs);
});
afterAll(() => {
    if (host) {
        const ids = host.docker(["ps", "-aq"], { allowFail: true }).stdout.split("\n").filter(Boolean);
        if (ids.length) host.docker(["rm", "-f", ...ids], { allowFail: true });
        host.docker(["network", "prune", "-f"], { allowFail: true });
        host.docker(["volume", "prune", "-f"], { allowFail: true });
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the Docker host", () => {
    it("is a private dockerd with iptables (internal networks are isolated by iptables rules)", () => {
        expect(host.dockerHost).toMatch(/^unix:\/\/\/tmp\/airlock-docker-host\/docker\.sock$/);
        expect(host.iptables).toBe(true);
        expect(host.docker(["info", "--format", "{{.DockerRootDir}}"]).stdout).toBe("/tmp/airlock-docker-host/data");
    });

    it("serves the stand-ins under the dev stack's mirror names, pinned by the registry's digests", async () => {
        expect(host.images.vllm.repository).toBe(`${host.registry}/mirror/vllm/vllm-openai`);
        expect(host.images.vllm.tag).toBe("v0.11.0");
        expect(host.images.trainer.repository).toBe(`${host.registry}/mirror/axolotlai/axolotl`);
        for (const img of Object.values(host.images)) {
            const res = await fetch(`http://127.0.0.1:${host.registryPort}/v2/${img.repository.replace(/^[^/]+\//, "")}/manifests/${img.tag}`,
                { headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" } });
            expect(res.status).toBe(200);
            expect(res.headers.get("docker-content-digest")).toBe(img.digest);
        }
    });

    it("the plan of the stand-in stack references exactly the pushed images", () => {
        const images = new Set(containers.map((c) => c.image));
        expect(images).toEqual(new Set([host.images.vllm.ref, host.images.trainer.ref, host.images.gateway.ref]));
        expect(plan.resources.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs.name).sort())
            .toEqual([host.images.trainer.ref, host.images.vllm.ref, host.images.gateway.ref].sort());
    });

    it("pulls each stand-in by digest from the registry, and it is labelled a stand-in", () => {
        for (const img of Object.values(host.images)) {
            host.docker(["image", "rm", "-f", `${img.repository}:${img.tag}`], { allowFail: true });
            expect(host.docker(["pull", img.ref]).status).toBe(0);
            expect(host.docker(["image", "inspect", "--format", '{{index .Config.Labels "airlock.dev/stand-in"}}', img.ref]).stdout).toBe("true");
        }
    });
});

describe("the dev stack's planned containers on the stand-ins", () => {
    beforeAll(() => {
        for (const n of plan.resources.filter((r) => r.type === "docker:index/network:Network").map((r) => r.inputs)) {
            host.docker(["network", "create", ...(n.internal ? ["--internal"] : []), n.name]);
        }
        for (const v of plan.resources.filter((r) => r.type === "docker:index/volume:Volume").map((r) => r.inputs)) host.docker(["volume", "create", v.name]);
        // The training data volume is the user's (README, "Training data"): filled here with a config file.
        host.docker(["volume", "create", "airlock-dev-training-data"]);
        host.docker(["run", "--rm", "-v", "airlock-dev-training-data:/data", host.images.trainer.ref, "sh", "-c", "echo 'base_model: /models/x' > /data/qwen3-4b-lora.yml"]);
    });

    it("model staging: `hf download` runs with the planned settings, exits 0 and writes the pinned revision into the volume", () => {
        const staging = byRole("model-staging").filter((c) => c.entrypoints?.[0] === "hf");
        expect(staging).toHaveLength(2);
        for (const c of staging) {
            const r = host.docker(dockerRunArgs(c), { allowFail: true });
            expect(r.status, r.stderr).toBe(0);
            const rev = c.command[c.command.indexOf("--revision") + 1];
            const dest = c.command[c.command.indexOf("--local-dir") + 1];
            const vol = c.volumes[0].volumeName;
            const cfg = host.docker(["run", "--rm", "-v", `${vol}:/m:ro`, host.images.vllm.ref, "cat", "/m/config.json"]).stdout;
            expect(JSON.parse(cfg)).toEqual({ _airlock_stand_in: true, hub_id: c.command[1], revision: rev });
            expect(dest).toBe(c.volumes[0].containerPath);
            expect(host.docker(["inspect", "--format", "{{.State.ExitCode}}", c.name]).stdout).toBe("0");
        }
    });

    it("inference: `vllm serve` starts with the planned settings and answers /health and /v1/models naming the served model", () => {
        for (const c of byRole("inference")) {
            host.docker(dockerRunArgs(c, { detach: true }));
            const served = c.command[c.command.indexOf("--served-model-name") + 1];
            const port = c.command[c.command.indexOf("--port") + 1];
            let body = "";
            for (let i = 0; i < 50 && !body.includes(served); i++) {
                body = host.docker(["run", "--rm", "--network", c.networkMode, host.images.vllm.ref, "wget", "-q", "-O", "-", `http://${c.name}:${port}/v1/models`], { allowFail: true }).stdout;
            }
            expect(JSON.parse(body)).toMatchObject({ object: "list", data: [{ id: served, root: c.command[0], stand_in: true }] });
            // The planned healthcheck command (CMD form) succeeds inside the container.
            expect(c.healthcheck.tests[0]).toBe("CMD");
            expect(host.docker(["exec", c.name, ...c.healthcheck.tests.slice(1)], { allowFail: true }).status).toBe(0);
        }
    });

    it("inference: docker inspect shows the planned user, capabilities, read-only root, mounts, limits and internal network", () => {
        for (const c of byRole("inference")) {
            const i = JSON.parse(host.docker(["inspect", c.name]).stdout)[0];
            expect(i.State.Running).toBe(true);
            expect(i.Config.User).toBe("1000:1000");
            expect(i.HostConfig.CapDrop).toEqual(["ALL"]);
            expect(i.HostConfig.SecurityOpt).toEqual(["no-new-privileges:true"]);
            expect(i.HostConfig.ReadonlyRootfs).toBe(true);
            expect(i.HostConfig.Memory).toBe(c.memory * 1024 * 1024);
            expect(i.HostConfig.ShmSize).toBe(c.shmSize * 1024 * 1024);
            expect(i.Mounts.map((m: any) => [m.Name, m.Destination, m.RW])).toEqual([[c.volumes[0].volumeName, c.volumes[0].containerPath, false]]);
            expect(Object.keys(i.NetworkSettings.Networks)).toEqual([c.networkMode]);
            expect(JSON.parse(host.docker(["network", "inspect", c.networkMode]).stdout)[0].Internal).toBe(true);
            for (const e of c.envs.filter((x: string) => x !== "[secret]")) expect(i.Config.Env).toContain(e);
            expect(host.docker(["exec", c.name, "touch", "/etc/tamper"], { allowFail: true }).status).not.toBe(0);
            expect(host.docker(["exec", c.name, "touch", `${c.volumes[0].containerPath}/tamper`], { allowFail: true }).status).not.toBe(0);
        }
    });

    it("inference cannot reach a canary outside the enclave; the canary is up (control)", () => {
        host.docker(["network", "create", "airlock-engine-canary"]);
        host.docker(["run", "-d", "--name", "airlock-engine-canary", "--network", "airlock-engine-canary", host.images.vllm.ref, "httpd", "-f", "-p", "8080", "-h", "/"]);
        const ip = host.docker(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "airlock-engine-canary"]).stdout;
        expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        const probe = "printf 'GET /STAND-IN HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + ip + " 8080 | head -1";
        const control = host.docker(["run", "--rm", "--network", "airlock-engine-canary", host.images.vllm.ref, "sh", "-c", probe], { allowFail: true });
        expect(control.stdout).toMatch(/^HTTP\/1\.[01] 200/);
        for (const c of byRole("inference")) {
            const r = host.docker(["exec", c.name, "sh", "-c", probe], { allowFail: true });
            expect(r.stdout).not.toMatch(/HTTP/);
        }
    });

    it("training: the output-init step then `axolotl train` run with the planned settings (networkMode none) and exit 0", () => {
        const init = byRole("volume-init").find((c) => c.entrypoints?.[0] === "chmod")!;
        expect(host.docker(dockerRunArgs(init), { allowFail: true }).status).toBe(0);
        for (const c of byRole("training")) {
            expect(c.networkMode).toBe("none");
            const r = host.docker(dockerRunArgs(c), { allowFail: true });
            expect(r.status, r.stderr).toBe(0);
            const out = c.mounts.find((m: any) => m.target === "/output").source;
            expect(host.docker(["run", "--rm", "-v", `${out}:/o:ro`, host.images.trainer.ref, "cat", "/o/adapter_model.safetensors"]).stdout)
                .toBe(`STAND-IN adapter trained with ${c.command[1]}`);
        }
    });
});

describe("a Docker behaviour the TrainingJob's output-init step depends on", () => {
    // FINDING (docs/fidelity.md, "Found on the real engine"): at each container start Docker copies the owner and
    // mode of the image's directory at the mount point onto an EMPTY named volume. If the training image contains
    // an /output directory (root, 0755), the output-init step's `chmod 1777 /output` is undone when the training
    // container starts (the volume is still empty), and the uid-1000 job cannot write its output.
    it("an image that contains /output undoes the output-init chmod on the still-empty volume", () => {
        const img = `${host.registry}/engine-test/with-output:1`;
        host.docker(["build", "-t", img, "-"], { input: `FROM ${host.images.trainer.ref}\nUSER 0\nRUN mkdir /output\n` });
        host.docker(["volume", "create", "airlock-engine-copyup"]);
        const init = host.docker(["run", "--rm", "--user", "0:0", "--cap-drop", "ALL", "--network", "none", "-v", "airlock-engine-copyup:/output", "--entrypoint", "chmod", img, "1777", "/output"], { allowFail: true });
        expect(init.status).toBe(0);
        const mode = (image: string) => host.docker(["run", "--rm", "--user", "1000:1000", "--network", "none", "-v", "airlock-engine-copyup:/output", image, "stat", "-c", "%a", "/output"]).stdout;
        expect(mode(img)).toBe("755");                       // the image's directory mode, copied onto the empty volume
        expect(mode(host.images.trainer.ref)).toBe("755");   // and it stays: the volume's root now has that mode
    });
});
