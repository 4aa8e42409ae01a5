/**
 * Secret-shaped strings: names that announce a secret and values that look like a credential. Used by the
 * config schema (a secret must never arrive as plain config) and by the policy pack (no literal secret in
 * env values or argv).
 */

/** Env or config names that carry a secret. */
export const SECRET_NAME = /(secret|token|passw(or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)/i;

/** Known credential shapes (gitleaks / provider documentation). */
export const TOKEN_SHAPES: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
    { kind: "Hugging Face token", pattern: /\bhf_[A-Za-z]{34}\b/ },
    { kind: "Hugging Face org token", pattern: /\bapi_org_[A-Za-z]{34}\b/ },
    { kind: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { kind: "OpenAI-style secret key", pattern: /\bsk-[A-Za-z0-9_-]{20,}\b/ },
    { kind: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
    { kind: "RunPod API key", pattern: /\brpa_[A-Za-z0-9]{20,}\b/ },
    { kind: "private key block", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** The kind of credential `value` contains, or `undefined`. */
export function secretShapeIn(value: string): string | undefined {
    return TOKEN_SHAPES.find((shape) => shape.pattern.test(value))?.kind;
}

/** Whether an env/config name announces a secret. */
export function isSecretName(name: string): boolean {
    return SECRET_NAME.test(name);
}
