/**
 * Airlock's Pulumi program: load and validate the stack config (nothing is registered when it is invalid),
 * build one platform component per target, export what other stacks need.
 */
import { loadDeployment } from "./config/load";
import { buildPlatforms } from "./platforms";

const deployment = loadDeployment();
const platforms = buildPlatforms(deployment);

/** The environment this stack implements (dev, staging, prod). */
export const environment = deployment.config.environment;
/** Per inference server: `{ platform, url, urls, servedModelName }`; URLs are internal to the enclave. */
export const inferenceServers = platforms.inferenceServers;
/** Per platform: the enclave's identifiers, e.g. `docker: { servingNetwork, stagingNetwork }`. */
export const enclaves = platforms.enclaves;
/** Per platform with a gateway: `{ url, routes: { <server>: <url>/<server>/v1 } }`, the way in from outside the enclave. */
export const gateways = platforms.gateways;
