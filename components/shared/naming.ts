/**
 * Child names (STYLE.md): `${name}` for the primary child, `${name}-<role>` for the rest, made here only.
 * Child names are state contract: changing one replaces the resource unless an alias names the old one.
 */
export function childName(name: string, role?: string | number): string {
    return role === undefined ? name : `${name}-${role}`;
}
