/**
 * Validates a registered Kubernetes resource against the Kubernetes OpenAPI schema, with the models of the
 * `kubernetes-models` package (generated from the upstream OpenAPI spec): the Pulumi type token gives the
 * apiVersion and kind, the inputs (secret wrappers removed) are the manifest.
 */
import Module from "node:module";
import * as path from "node:path";
import { unsecret } from "./mocks";

const load = Module.createRequire(path.join(__dirname, "..", "..", "package.json"));

/** `kubernetes:apps/v1:Deployment` → `{ apiVersion: "apps/v1", kind: "Deployment", module: "apps/v1/Deployment" }`. */
export function modelOf(type: string): { apiVersion: string; kind: string; module: string } {
    const [pkg, groupVersion, kind] = type.split(":");
    if (pkg !== "kubernetes" || groupVersion === undefined || kind === undefined) throw new Error(`not a Kubernetes resource type: ${type}`);
    const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
    return { apiVersion, kind, module: `kubernetes-models/${apiVersion}/${kind}` };
}

/** Throws (naming the resource and the schema errors) unless the manifest is valid for its kind. */
export function validateManifest(type: string, name: string, inputs: Record<string, unknown>): void {
    const { apiVersion, kind, module } = modelOf(type);
    const Model = (load(module) as Record<string, new (data: unknown) => { validate(): void }>)[kind];
    if (Model === undefined) throw new Error(`kubernetes-models has no ${kind} in ${module}`);
    const manifest = { ...unsecret<Record<string, unknown>>(inputs), apiVersion, kind };
    try {
        new Model(manifest).validate();
    } catch (e) {
        throw new Error(`${type} ${name} is not a valid ${kind}: ${(e as Error).message}`);
    }
}
