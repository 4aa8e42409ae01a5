/**
 * Scenario (run as a subprocess by tests/components/docker/failed-stage.test.ts): a model whose staging
 * container exits 1, consumed by an inference server. Prints one JSON line: the program errors (as the
 * language host would report them) and the Docker containers that were registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { exitCodes, installMocks, registrations } from "../mocks";

const errors = new Set<string>();
process.on("unhandledRejection", (e) => { errors.add((e as Error).message); });

void (async () => {
    await installMocks();
    const m = await import("../../../components/docker");
    exitCodes.set("airlock-dev-model-broken-stage", 1);
    const store = new m.ModelStore("broken", {
        model: { name: "broken", hubId: "org/model", revision: "a".repeat(40) },
        image: { ref: `localhost:5000/x@sha256:${"a".repeat(64)}` },
        enclave: { stagingNetworkName: pulumi.output("airlock-dev-staging") },
        namePrefix: "airlock-dev", stack: "dev",
    });
    new m.InferenceServer("srv", {
        server: { name: "srv", replicas: 1, gpus: 1, port: 8000, resources: { cpus: 1, memoryMiB: 1024, shmSizeMiB: 64 } },
        model: { name: "broken", hubId: "org/model", trustRemoteCode: false, serving: {} },
        image: { ref: `localhost:5000/x@sha256:${"a".repeat(64)}` },
        enclave: { servingNetworkName: pulumi.output("airlock-dev-serving") },
        store, apiKey: pulumi.secret("k"), namePrefix: "airlock-dev", stack: "dev",
    });
    await new Promise((r) => setTimeout(r, 1500));
    const containers = registrations.filter((r) => r.type === "docker:index/container:Container").map((r) => r.name);
    process.stdout.write(`${JSON.stringify({ errors: [...errors], containers })}\n`);
    process.exit(0);
})();
