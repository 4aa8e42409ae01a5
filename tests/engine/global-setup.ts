/**
 * Global setup of `npm run test:engine`: one private Docker engine + registry with the stand-in images for the whole
 * run (tests/engine/support/docker-host.ts), stopped at the end whatever happened. Test files reach it through
 * `runningHost()` (the state file).
 */
import { startDockerHost } from "./support/docker-host";

export default async function setup(): Promise<() => void> {
    const host = await startDockerHost();
    return () => host.stop();
}
