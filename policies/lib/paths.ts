/** POSIX path helpers for container and host paths. */
import * as path from "node:path";

/** Normalises `p` (collapses `//`, `.` and `..`, drops a trailing slash); non-absolute paths are returned as given. */
export function normalizePath(p: string): string {
    if (!p.startsWith("/")) return p;
    const n = path.posix.normalize(p);
    return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** Whether absolute `p` is `root` or below it (after normalisation). `/` contains everything. */
export function isUnder(p: string, root: string): boolean {
    const a = normalizePath(p);
    const r = normalizePath(root);
    return r === "/" ? a.startsWith("/") : a === r || a.startsWith(`${r}/`);
}
