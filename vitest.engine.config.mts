import { defineConfig } from "vitest/config";

/**
 * `npm run test:engine`: the real Pulumi CLI (scripts/engine/build.sh, or AIRLOCK_PULUMI) and a private Docker engine +
 * registry (tests/engine/support/docker-host.ts, started once by the global setup and stopped after the run).
 * Not part of `npm test`, which stays engine-free and offline.
 */
export default defineConfig({
    test: {
        include: ["tests/engine/**/*.test.ts"],
        globalSetup: ["tests/engine/global-setup.ts"],
        pool: "forks",
        // One file at a time: the files share one Docker host, and each engine run already uses both cores.
        fileParallelism: false,
        isolate: true,
        testTimeout: 300_000,
        hookTimeout: 600_000,
    },
});
