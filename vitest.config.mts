import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        // Pulumi's runtime keeps global state (mocks, config, settings): one file per worker, no shared module cache.
        pool: "forks",
        isolate: true,
        testTimeout: 30_000,
        hookTimeout: 60_000,
    },
});
