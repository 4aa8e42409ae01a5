/**
 * {@link runProgram} on a worker thread, for `airlock plan`: the program's registrations arrive here as they
 * happen and are rebuilt into RecordedResources (the same Struct, decoded from bytes; inputs derived lazily).
 */
import Module from "node:module";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { ProgramError } from "./program-error";
import type { InvokeRecord } from "./invokes";
import type { ProgramRun, RecordedResource, RunOptions } from "./run-program";

export type FromProgram =
    | { readonly kind: "resource"; readonly resource: Omit<RecordedResource, "inputs" | "properties" | "propertiesBytes"> & { readonly bytes: Uint8Array } }
    | { readonly kind: "done"; readonly outputs: Record<string, unknown>; readonly placeholderSecrets: string[]; readonly invokes: InvokeRecord[] }
    | { readonly kind: "error"; readonly name: string; readonly message: string };

const { Struct } = Module.createRequire(require.resolve("@pulumi/pulumi/package.json"))("google-protobuf/google/protobuf/struct_pb") as
    typeof import("google-protobuf/google/protobuf/struct_pb");

export function runProgramInWorker(o: RunOptions): Promise<ProgramRun> {
    const { onResource, ...data } = o;
    const entry = path.join(__dirname, "program-worker.ts");
    const worker = new Worker(`require("tsx/cjs"); require(${JSON.stringify(entry)});`, { eval: true, workerData: data });
    const resources: RecordedResource[] = [];
    return new Promise<ProgramRun>((resolve, reject) => {
        worker.on("message", (m: FromProgram) => {
            switch (m.kind) {
                case "resource": {
                    const { bytes, ...meta } = m.resource;
                    // Decoded only if output needs the inputs: the Analyzer requests carry the bytes as they are.
                    let properties: InstanceType<typeof Struct> | undefined;
                    let inputs: Record<string, unknown> | undefined;
                    const r: RecordedResource = {
                        ...meta,
                        propertiesBytes: bytes,
                        get properties() { return (properties ??= Struct.deserializeBinary(bytes)); },
                        get inputs() { return (inputs ??= this.properties.toJavaScript() as Record<string, unknown>); },
                    };
                    resources.push(r);
                    onResource?.(r);
                    break;
                }
                case "done":
                    resolve({ resources, outputs: m.outputs, placeholderSecrets: m.placeholderSecrets, invokes: m.invokes });
                    break;
                case "error":
                    reject(m.name === "ProgramError" ? new ProgramError(m.message) : new Error(m.message));
                    break;
            }
        });
        worker.once("error", (e) => reject(new ProgramError(e.message)));
        worker.once("exit", (code) => reject(new ProgramError(`the program thread exited (${code}) before the program finished`)));
    }).finally(() => { void worker.terminate(); });
}
