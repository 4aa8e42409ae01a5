/**
 * Makes `require` understand TypeScript when the host has no loader (e.g. a test runner). The CLI runs under
 * tsx already; the Pulumi CLI would use ts-node instead.
 */
export function ensureTypeScriptLoader(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (!require.extensions[".ts"]) (require("tsx/cjs/api") as { register: () => unknown }).register();
}
