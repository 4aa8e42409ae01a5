import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { drain, installMocks, only, registrations, settle, unwrap } from "../../support/mocks";

let m: typeof import("../../../components/docker");
beforeAll(async () => { await installMocks(); m = await import("../../../components/docker"); });
beforeEach(() => { registrations.length = 0; });

describe("Enclave (docker)", () => {
    it("creates an internal serving network and a separate staging network", async () => {
        const e = new m.Enclave("enclave", { namePrefix: "airlock-dev", stack: "dev" });
        await settle(e);
        const nets = only("docker:index/network:Network");
        expect(nets.map((n) => n.name)).toEqual(["enclave", "enclave-staging"]);
        expect(nets[0]!.inputs).toEqual({
            name: "airlock-dev-serving", driver: "bridge", internal: true, attachable: false, ipv6: false,
            labels: [{ label: "airlock.dev/stack", value: "dev" }, { label: "airlock.dev/network", value: "serving" }],
        });
        expect(nets[1]!.inputs).toMatchObject({ name: "airlock-dev-staging", internal: false, attachable: false });
        expect(await unwrap(e.servingNetworkName)).toBe("airlock-dev-serving");
        expect(await unwrap(e.stagingNetworkName)).toBe("airlock-dev-staging");
    });

    it("parents both networks to the component (URN type chain)", async () => {
        const e = new m.Enclave("p", { namePrefix: "airlock-dev", stack: "dev" });
        expect(await unwrap(e.servingNetwork.urn)).toContain("airlock:docker:Enclave$docker:index/network:Network::p");
        expect(await unwrap(e.stagingNetwork.urn)).toContain("airlock:docker:Enclave$docker:index/network:Network::p-staging");
    });

    it("rejects an unsafe name prefix before creating anything", async () => {
        const before = registrations.length;
        expect(() => new m.Enclave("bad", { namePrefix: "Airlock Dev;", stack: "dev" }))
            .toThrow(/namePrefix: must be lowercase letters, digits and '-', got "Airlock Dev;"/);
        // Registrations arrive asynchronously: wait for every one started, then check none is a network.
        await drain();
        expect(registrations.slice(before).map((r) => r.type)).toEqual(["airlock:docker:Enclave"]);
        expect(only("docker:index/network:Network")).toHaveLength(0);
    });
});
// Not proven here: that Docker enforces `internal: true` (no gateway) - see the Docker smoke notes in docs/.
