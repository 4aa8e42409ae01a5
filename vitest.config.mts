import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        // tests/engine/ needs the real Pulumi CLI and a Docker engine: `npm run test:engine` (vitest.engine.config.mts).
        exclude: [...configDefaults.exclude, "tests/engine/**"],
        // Pulumi's runtime keeps global state (mocks, config, settings): one file per worker, no shared module cache.
        pool: "forks",
        isolate: true,
        // Subprocess plans start a type-checked policy pack (about 20 s on a loaded 2-core machine).
        testTimeout: 90_000,
        hookTimeout: 60_000,
    },
});
