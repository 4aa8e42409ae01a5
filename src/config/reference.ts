/**
 * The key paths of the stack config schema, for the config reference (docs/config.md) and the test that keeps
 * it in step: `models[].serving.maxModelLen`, `trainingJobs[].env.<NAME>`, …
 */
import type { z } from "zod";
import { StackConfigSchema } from "./schema";

type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType; valueType?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function walk(schema: z.ZodType, prefix: string, out: Set<string>): void {
    const d = defOf(schema);
    switch (d.type) {
        case "default": case "optional": case "nullable": case "readonly": case "prefault":
            return walk(d.innerType!, prefix, out);
        case "pipe":
            return walk(d.in!, prefix, out);
        case "object":
            for (const [k, v] of Object.entries(d.shape ?? {})) {
                const p = prefix ? `${prefix}.${k}` : k;
                out.add(p);
                walk(v, p, out);
            }
            return;
        case "array":
            return walk(d.element!, `${prefix}[]`, out);
        case "union":
            for (const o of d.options ?? []) walk(o, prefix, out);
            return;
        case "record":
            out.add(`${prefix}.<NAME>`);
            return;
        default:
            return;
    }
}

/** Every key path of the `airlock:` namespace, sorted. */
export function configKeyPaths(): string[] {
    const out = new Set<string>();
    walk(StackConfigSchema, "", out);
    return [...out].sort();
}
