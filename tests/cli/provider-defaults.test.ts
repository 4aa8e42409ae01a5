/**
 * airlock plan hands the pack the provider's checked inputs (src/cli/provider-defaults.ts): the Terraform schema
 * defaults of the Docker provider, read offline from the data its build generates
 * (scripts/engine/docker-provider/generated/defaults.json), with the bridge's `__defaults` annotation on nested
 * blocks. Each expectation below was observed on the real engine (tests/engine/dev-stack.test.ts, "differential").
 */
import { describe, expect, it } from "vitest";
import { checkedInputs, dockerProviderDefaults } from "../../src/cli/provider-defaults";

const CONTAINER = "docker:index/container:Container";
const SECRET = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

describe("checkedInputs (the Docker provider's Check, reproduced from its schema)", () => {
    it("fills the top-level defaults a raw container leaves unset, without a top-level __defaults", () => {
        const c = checkedInputs(CONTAINER, { name: "x", image: "i" })!;
        expect(c).toMatchObject({
            networkMode: "bridge", restart: "no", mustRun: true, start: true, attach: false, logs: false, readOnly: false,
            rm: false, tty: false, stdinOpen: false, wait: false, waitTimeout: 60, removeVolumes: true, memoryReservation: 0,
            containerReadRefreshTimeoutMilliseconds: 15000,
        });
        expect(c).not.toHaveProperty("__defaults");
        // Computed fields without a default are not filled (they are unknown only in AnalyzeStack's outputs).
        expect(c).not.toHaveProperty("command");
        expect(c).not.toHaveProperty("logDriver");
    });

    it("keeps what the program set", () => {
        const c = checkedInputs(CONTAINER, { networkMode: "none", restart: "on-failure", readOnly: true })!;
        expect(c).toMatchObject({ networkMode: "none", restart: "on-failure", readOnly: true });
    });

    it("fills nested block defaults and annotates every nested block object with the keys it filled", () => {
        const c = checkedInputs(CONTAINER, {
            ports: [{ internal: 8000 }, { internal: 9000, ip: "127.0.0.1", protocol: "udp" }],
            deviceRequests: [{ capabilities: [["gpu"]] }],
            capabilities: { drops: ["ALL"] },
            labels: [{ label: "a", value: "b" }],
            healthcheck: { tests: ["CMD", "true"], interval: "30s" },
            mounts: [{ type: "volume", target: "/o", source: "v", volumeOptions: { noCopy: true } }],
        })!;
        expect(c.ports).toEqual([
            { internal: 8000, ip: "0.0.0.0", protocol: "tcp", __defaults: ["ip", "protocol"] },
            { internal: 9000, ip: "127.0.0.1", protocol: "udp", __defaults: [] },
        ]);
        expect(c.deviceRequests).toEqual([{ capabilities: [["gpu"]], driver: "cdi", count: 0, __defaults: ["count", "driver"] }]);
        expect(c.capabilities).toEqual({ drops: ["ALL"], __defaults: [] });
        expect(c.labels).toEqual([{ label: "a", value: "b", __defaults: [] }]);
        expect(c.healthcheck).toEqual({
            tests: ["CMD", "true"], interval: "30s", retries: 0, startInterval: "0s", startPeriod: "0s", timeout: "0s",
            __defaults: ["retries", "startInterval", "startPeriod", "timeout"],
        });
        expect(c.mounts).toEqual([{ type: "volume", target: "/o", source: "v", volumeOptions: { noCopy: true, __defaults: [] }, __defaults: [] }]);
    });

    it("looks inside secrets and leaves unknowns alone", () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const c = checkedInputs(CONTAINER, { ports: SECRET([{ internal: 1 }]), healthcheck: unknown })!;
        expect(c.ports).toEqual(SECRET([{ internal: 1, ip: "0.0.0.0", protocol: "tcp", __defaults: ["ip", "protocol"] }]));
        expect(c.healthcheck).toBe(unknown);
    });

    it("fills networks and images too, and has no data for other packages", () => {
        expect(checkedInputs("docker:index/network:Network", { name: "n" })).toMatchObject({ name: "n", ipamDriver: "default" });
        expect(checkedInputs("docker:index/remoteImage:RemoteImage", { name: "i" })).toMatchObject({ name: "i", platform: "" });
        expect(checkedInputs("aws:ec2/instance:Instance", { ami: "x" })).toBeUndefined();
    });

    it("reads the committed data of the provider build: defaults by Pulumi path, blocks", () => {
        const c = dockerProviderDefaults()[CONTAINER]!;
        expect(c.defaults).toMatchObject({ networkMode: "bridge", "ports[].ip": "0.0.0.0", "deviceRequests[].driver": "cdi", restart: "no" });
        expect(c.blocks).toEqual(expect.arrayContaining(["ports[]", "capabilities", "healthcheck", "mounts[].volumeOptions", "networksAdvanced[]"]));
    });
});
