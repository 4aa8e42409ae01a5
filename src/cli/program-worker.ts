/**
 * Runs the program under plan on a worker thread (entry point; see runProgramInWorker in program-thread.ts).
 * The program's long synchronous stretches then no longer block the main thread, which meanwhile starts and
 * drives the policy pack. Each registration is posted as it happens, its properties as protobuf bytes.
 */
import Module from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { runProgram, type RecordedResource, type RunOptions } from "./run-program";
import type { FromProgram } from "./program-thread";

// Closure serialization (every pulumi.dynamic.Resource serializes its provider) requires each of Node's built-in
// modules by name, and `trace_events` throws ERR_TRACE_EVENTS_UNAVAILABLE on a worker thread: the serialization then
// never settles and the thread exits mid-program. It is not available here, so it is not listed here.
Object.defineProperty(Module, "builtinModules", { value: Module.builtinModules.filter((n) => n !== "trace_events") });

const port = parentPort!;
// stdout is reserved for the plan's output: the program's prints go to stderr.
console.log = console.error;
console.info = console.error;

const wire = (r: RecordedResource): Extract<FromProgram, { kind: "resource" }>["resource"] => ({
    urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent, provider: r.provider, version: r.version, ...(r.remote ? { remote: true } : {}),
    dependencies: r.dependencies, propertyDependencies: r.propertyDependencies, options: r.options,
    bytes: r.propertiesBytes,
});

runProgram({
    ...(workerData as Omit<RunOptions, "onResource">),
    onResource: (r) => {
        const resource = wire(r);
        port.postMessage({ kind: "resource", resource } satisfies FromProgram, [resource.bytes.buffer as ArrayBuffer]);
    },
}).then(
    (run) => port.postMessage({ kind: "done", outputs: run.outputs, placeholderSecrets: run.placeholderSecrets, invokes: run.invokes } satisfies FromProgram),
    (e: Error) => port.postMessage({ kind: "error", name: e.name, message: e.message } satisfies FromProgram),
);
