/**
 * POSIX shell words, both ways: {@link shellQuote} makes any value one literal word (the components quote every
 * value they put into user data), and {@link parseShell} reads a script into simple commands the way a shell splits
 * them, so the policy pack reads a `docker run` line inside user data as the shell will run it instead of matching
 * strings. A word whose value depends on the run time (parameter, command or arithmetic substitution, tildes,
 * pathname or brace patterns, ANSI-C or locale quoting) has no static value: readers treat it as unverifiable.
 *
 * Covered: quoting (single, double, backslash, line continuation), comments, operators (`;` `&` `&&` `||` `|`
 * `|&` `(` `)` `;;`), redirections (with fd numbers) and here-documents, prefix assignments, reserved words at
 * command start, `for` headers. Not a full shell: `case` patterns and arrays are reported in `errors`.
 */

/** One shell word. */
export interface ShellWord {
    /** The word as written. */
    readonly raw: string;
    /** The word after quote removal, or `undefined` when the shell computes it at run time. */
    readonly value: string | undefined;
    /** What makes the value dynamic (e.g. "parameter expansion $IMAGE"), when `value` is undefined. */
    readonly expansion?: string;
}

export interface ShellRedirect {
    /** `>`, `>>`, `<`, `<<`, `2>&1`'s `>&`, … (the fd number, if any, is in `fd`). */
    readonly op: string;
    readonly fd?: string;
    readonly target: ShellWord;
}

export interface HereDocument {
    readonly delimiter: string;
    /** A quoted delimiter keeps the body literal; otherwise the shell expands it. */
    readonly quoted: boolean;
    readonly body: string;
    /** Line of the `<<` operator. */
    readonly line: number;
}

/** A simple command: prefix assignments, then argv, with its redirections. */
export interface ShellCommand {
    /** `NAME=value` words before the command name (for the command only, or for the shell when there is no command). */
    readonly assignments: readonly { readonly name: string; readonly value: ShellWord }[];
    /** argv; reserved words that start compound commands (`if`, `then`, `do`, `!`, `{`, …) are not included. */
    readonly words: readonly ShellWord[];
    readonly redirects: readonly ShellRedirect[];
    readonly heredocs: readonly HereDocument[];
    /** 1-based line of the command's first token. */
    readonly line: number;
    /** The operator that ended it (`;`, `&`, `&&`, `||`, `|`, `|&`, `newline`, `(`, `)`, `;;`, `end`). */
    readonly terminator: string;
}

export interface ParsedShell {
    readonly commands: readonly ShellCommand[];
    /** Constructs the reader does not follow (unterminated quotes, `case`, arrays, unterminated here-documents). */
    readonly errors: readonly string[];
}

/** One literal shell word for `value`: single quotes, with `'` written as `'\''`. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, "'\\''")}'`;
}

const RESERVED_AT_START = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_PARAMS = "@*#?$!-0123456789";

type Token =
    | { readonly kind: "word"; readonly word: ShellWord; readonly line: number; readonly quoted: boolean }
    | { readonly kind: "op"; readonly op: string; readonly line: number }
    | { readonly kind: "redirect"; readonly op: string; readonly fd?: string; readonly target: ShellWord; readonly line: number; readonly heredoc?: HereDocument };

class Lexer {
    private i = 0;
    private line = 1;
    readonly errors: string[] = [];
    readonly tokens: Token[] = [];
    private pendingHeredocs: { delimiter: string; quoted: boolean; strip: boolean; line: number; slot: { body: string } }[] = [];

    constructor(private readonly s: string) {}

    run(): Token[] {
        while (this.i < this.s.length) {
            const c = this.s[this.i]!;
            if (c === " " || c === "\t" || c === "\r") { this.i++; continue; }
            if (c === "\\" && this.s[this.i + 1] === "\n") { this.i += 2; this.line++; continue; }
            if (c === "#") { while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++; continue; }
            if (c === "\n") {
                this.tokens.push({ kind: "op", op: "newline", line: this.line });
                this.i++;
                this.line++;
                this.readHeredocBodies();
                continue;
            }
            const op = this.operator();
            if (op !== undefined) continue;
            this.readWordToken();
        }
        if (this.pendingHeredocs.length > 0) {
            for (const h of this.pendingHeredocs) this.errors.push(`here-document at line ${h.line} has no body (delimiter ${h.delimiter})`);
        }
        return this.tokens;
    }

    /** Reads a control or redirection operator at the cursor; returns it, or undefined. */
    private operator(fd?: string): string | undefined {
        const rest = this.s.slice(this.i, this.i + 3);
        const control = ["&&", "||", ";;", ";&", "|&", "&>>", "&>"].find((o) => rest.startsWith(o));
        if (control === "&>" || control === "&>>") return this.redirect(control, fd);
        if (control !== undefined) { this.push(control); this.i += control.length; return control; }
        const c = this.s[this.i]!;
        if (";&|()".includes(c)) { this.push(c); this.i++; return c; }
        if (c === "<" || c === ">") {
            if (this.s[this.i + 1] === "(") {
                // Process substitution: a word whose value is a path the shell makes up at run time.
                const start = this.i;
                this.i += 1;
                this.skipBalanced("(", ")");
                this.tokens.push({ kind: "word", word: { raw: this.s.slice(start, this.i), value: undefined, expansion: "process substitution" }, line: this.line, quoted: false });
                return "procsub";
            }
            const r = ["<<<", "<<-", "<<", ">>", ">&", "<&", "<>", ">|", "<", ">"].find((o) => rest.startsWith(o))!;
            return this.redirect(r, fd);
        }
        return undefined;
    }

    private push(op: string): void {
        this.tokens.push({ kind: "op", op, line: this.line });
    }

    private redirect(op: string, fd?: string): string {
        const line = this.line;
        this.i += op.length;
        while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i++;
        const target = this.readWord();
        if (target === undefined) {
            this.errors.push(`redirection ${op} at line ${line} has no target`);
            return op;
        }
        if (op === "<<" || op === "<<-") {
            const quoted = /['"\\]/.test(target.word.raw);
            const delimiter = target.word.raw.replace(/['"\\]/g, "");
            const slot = { body: "" };
            this.pendingHeredocs.push({ delimiter, quoted, strip: op === "<<-", line, slot });
            const heredoc: HereDocument = { delimiter, quoted, line, get body() { return slot.body; } };
            this.tokens.push({ kind: "redirect", op, ...(fd ? { fd } : {}), target: target.word, line, heredoc });
        } else {
            this.tokens.push({ kind: "redirect", op, ...(fd ? { fd } : {}), target: target.word, line });
        }
        return op;
    }

    private readHeredocBodies(): void {
        const pending = this.pendingHeredocs;
        this.pendingHeredocs = [];
        for (const h of pending) {
            const lines: string[] = [];
            let closed = false;
            while (this.i < this.s.length) {
                const nl = this.s.indexOf("\n", this.i);
                const raw = nl < 0 ? this.s.slice(this.i) : this.s.slice(this.i, nl);
                this.i = nl < 0 ? this.s.length : nl + 1;
                this.line++;
                const text = h.strip ? raw.replace(/^\t+/, "") : raw;
                if (text.replace(/\r$/, "") === h.delimiter) { closed = true; break; }
                lines.push(text);
            }
            if (!closed) this.errors.push(`here-document at line ${h.line} is not closed by ${h.delimiter}`);
            h.slot.body = lines.map((l) => `${l}\n`).join("");
        }
    }

    private readWordToken(): void {
        const line = this.line;
        const w = this.readWord();
        if (w === undefined) return;
        // An fd number right before a redirection (`2>&1`): part of the redirection, not a word.
        const next = this.s[this.i];
        if (/^[0-9]+$/.test(w.word.raw) && (next === "<" || next === ">")) {
            this.operator(w.word.raw);
            return;
        }
        this.tokens.push({ kind: "word", word: w.word, line, quoted: w.quoted });
    }

    /** Skips from an opening `open` (at the cursor) to its matching `close`, honouring quotes; the cursor ends after it. */
    private skipBalanced(open: string, close: string): void {
        const startLine = this.line;
        let depth = 0;
        while (this.i < this.s.length) {
            const c = this.s[this.i]!;
            if (c === "\\") { this.i += 2; continue; }
            if (c === "\n") this.line++;
            if (c === "'" && open !== "{") {
                const end = this.s.indexOf("'", this.i + 1);
                this.countLines(this.i, end < 0 ? this.s.length : end);
                this.i = end < 0 ? this.s.length : end + 1;
                continue;
            }
            if (c === "\"") { this.i++; this.skipDoubleQuoted(); continue; }
            if (c === "`") { this.i++; this.skipBackquoted(); continue; }
            if (c === open) depth++;
            else if (c === close) {
                depth--;
                if (depth === 0) { this.i++; return; }
            }
            this.i++;
        }
        this.errors.push(`unterminated ${open}…${close} starting at line ${startLine}`);
    }

    private countLines(from: number, to: number): void {
        for (let k = from; k < to; k++) if (this.s[k] === "\n") this.line++;
    }

    private skipDoubleQuoted(): void {
        while (this.i < this.s.length && this.s[this.i] !== "\"") {
            if (this.s[this.i] === "\\") this.i++;
            else if (this.s[this.i] === "\n") this.line++;
            else if (this.s[this.i] === "$" && this.s[this.i + 1] === "(") { this.i++; this.skipBalanced("(", ")"); continue; }
            this.i++;
        }
        this.i++;
    }

    private skipBackquoted(): void {
        while (this.i < this.s.length && this.s[this.i] !== "`") {
            if (this.s[this.i] === "\\") this.i++;
            else if (this.s[this.i] === "\n") this.line++;
            this.i++;
        }
        if (this.i >= this.s.length) this.errors.push("unterminated ` command substitution");
        this.i++;
    }

    /**
     * Reads one word at the cursor (quote removal, expansions detected). Returns undefined at an operator or the end.
     * `quoted` tells whether any part was quoted or escaped (then the word is never a reserved word or an fd number).
     */
    private readWord(): { word: ShellWord; quoted: boolean } | undefined {
        const start = this.i;
        let value = "";
        let expansion: string | undefined;
        let quoted = false;
        let globbable = "";
        while (this.i < this.s.length) {
            // Runs of ordinary characters in one step (most of a script).
            PLAIN.lastIndex = this.i;
            const plain = PLAIN.exec(this.s);
            if (plain !== null) {
                globbable += plain[0];
                value += plain[0];
                this.i += plain[0].length;
                continue;
            }
            const c = this.s[this.i]!;
            if (" \t\r\n;&|()<>".includes(c)) break;
            if (c === "\\") {
                quoted = true;
                if (this.s[this.i + 1] === "\n") { this.i += 2; this.line++; continue; }
                if (this.i + 1 < this.s.length) value += this.s[this.i + 1];
                this.i += 2;
                continue;
            }
            if (c === "'") {
                quoted = true;
                const end = this.s.indexOf("'", this.i + 1);
                if (end < 0) { this.errors.push(`unterminated single quote at line ${this.line}`); this.i = this.s.length; break; }
                const part = this.s.slice(this.i + 1, end);
                this.countLines(this.i, end);
                value += part;
                this.i = end + 1;
                continue;
            }
            if (c === "\"") {
                quoted = true;
                this.i++;
                while (this.i < this.s.length && this.s[this.i] !== "\"") {
                    DQ_PLAIN.lastIndex = this.i;
                    const run = DQ_PLAIN.exec(this.s);
                    if (run !== null) { value += run[0]; this.i += run[0].length; continue; }
                    const d = this.s[this.i]!;
                    if (d === "\\") {
                        const e = this.s[this.i + 1];
                        if (e === "\n") { this.i += 2; this.line++; continue; }
                        if (e !== undefined && "$`\"\\".includes(e)) { value += e; this.i += 2; continue; }
                        value += d;
                        this.i++;
                        continue;
                    }
                    if (d === "$") { const why = this.dollar(); if (why) { expansion ??= why; continue; } value += d; this.i++; continue; }
                    if (d === "`") { this.i++; this.skipBackquoted(); expansion ??= "command substitution `…`"; continue; }
                    if (d === "\n") this.line++;
                    value += d;
                    this.i++;
                }
                if (this.i >= this.s.length) { this.errors.push("unterminated double quote"); break; }
                this.i++;
                continue;
            }
            if (c === "$") {
                if (this.s[this.i + 1] === "'") { quoted = true; expansion ??= "ANSI-C quoting $'…'"; this.i++; const end = this.s.indexOf("'", this.i + 1); this.i = end < 0 ? this.s.length : end + 1; continue; }
                if (this.s[this.i + 1] === "\"") { quoted = true; expansion ??= "locale quoting $\"…\""; this.i++; continue; }
                const why = this.dollar();
                if (why) { expansion ??= why; continue; }
                value += c;
                this.i++;
                continue;
            }
            if (c === "`") { this.i++; this.skipBackquoted(); expansion ??= "command substitution `…`"; continue; }
            if (c === "~" && this.i === start) {
                const next = this.s[this.i + 1];
                if (next === undefined || next === "/" || /[A-Za-z0-9_+-]/.test(next) || " \t\n;&|()<>".includes(next)) expansion ??= "tilde expansion ~";
            }
            globbable += c;
            value += c;
            this.i++;
        }
        if (this.i === start) return undefined;
        if (expansion === undefined) {
            if (/[*?]/.test(globbable) || /\[[^\]]+\]/.test(globbable)) expansion = "pathname expansion";
            else if (/\{[^{}]*(,|\.\.)[^{}]*\}/.test(globbable)) expansion = "brace expansion";
        }
        const raw = this.s.slice(start, this.i);
        return { word: expansion === undefined ? { raw, value } : { raw, value: undefined, expansion }, quoted };
    }

    /** At a `$`: skips an expansion and describes it, or returns undefined for a literal `$`. */
    private dollar(): string | undefined {
        const next = this.s[this.i + 1];
        if (next === undefined) return undefined;
        if (next === "(") {
            const arithmetic = this.s[this.i + 2] === "(";
            const from = this.i;
            this.i++;
            this.skipBalanced("(", ")");
            return arithmetic ? "arithmetic expansion $((…))" : `command substitution ${abbreviate(this.s.slice(from, this.i))}`;
        }
        if (next === "{") {
            const from = this.i;
            this.i++;
            this.skipBalanced("{", "}");
            return `parameter expansion ${abbreviate(this.s.slice(from, this.i))}`;
        }
        if (/[A-Za-z_]/.test(next)) {
            const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i + 1))!;
            this.i += 1 + m[0].length;
            return `parameter expansion $${m[0]}`;
        }
        if (SPECIAL_PARAMS.includes(next)) {
            this.i += 2;
            return `parameter expansion $${next}`;
        }
        return undefined;
    }
}

/** Characters that are literal outside quotes (no quoting, expansion, operator, blank or leading tilde). */
const PLAIN = /[^ \t\r\n;&|()<>\\'"$`~]+/y;
/** Characters that are literal inside double quotes. */
const DQ_PLAIN = /[^"\\$`\n]+/y;

const abbreviate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

/** Reads a shell script into its simple commands. */
export function parseShell(script: string): ParsedShell {
    const lexer = new Lexer(script);
    const tokens = lexer.run();
    const errors = [...lexer.errors];
    const commands: ShellCommand[] = [];
    let assignments: { name: string; value: ShellWord }[] = [];
    let words: ShellWord[] = [];
    let redirects: ShellRedirect[] = [];
    let heredocs: HereDocument[] = [];
    let line = 0;
    /** `for NAME in …` until the next separator: not a command. */
    let header = false;
    const flush = (terminator: string) => {
        if (words.length > 0 || assignments.length > 0 || redirects.length > 0) {
            commands.push({ assignments, words, redirects, heredocs, line, terminator });
        }
        assignments = [];
        words = [];
        redirects = [];
        heredocs = [];
        line = 0;
        header = false;
    };
    for (const t of tokens) {
        if (t.kind === "op") {
            if (t.op === "procsub") continue;
            flush(t.op);
            continue;
        }
        if (header) continue;
        if (line === 0) line = t.line;
        if (t.kind === "redirect") {
            redirects.push({ op: t.op, ...(t.fd ? { fd: t.fd } : {}), target: t.target });
            if (t.heredoc) heredocs.push(t.heredoc);
            continue;
        }
        const w = t.word;
        if (words.length === 0) {
            const eq = w.raw.indexOf("=");
            const name = eq > 0 ? w.raw.slice(0, w.raw[eq - 1] === "+" ? eq - 1 : eq) : "";
            if (eq > 0 && NAME.test(name)) {
                const rest = w.raw.slice(eq + 1);
                const value: ShellWord = w.value === undefined
                    ? { raw: rest, value: undefined, ...(w.expansion ? { expansion: w.expansion } : {}) }
                    : { raw: rest, value: w.value.slice(w.value.indexOf("=") + 1) };
                assignments.push({ name, value });
                continue;
            }
            if (!t.quoted && w.value !== undefined && RESERVED_AT_START.has(w.value)) { if (assignments.length === 0) { line = 0; continue; } }
            if (!t.quoted && (w.value === "for" || w.value === "select")) { header = true; continue; }
            if (!t.quoted && w.value === "case") { errors.push(`case statement at line ${t.line} is not read`); header = true; continue; }
            if (!t.quoted && w.value === "function") { header = true; continue; }
        }
        words.push(w);
    }
    flush("end");
    return { commands, errors };
}

/** The static values of `words`, or `undefined` when any of them expands at run time. */
export function staticValues(words: readonly ShellWord[]): string[] | undefined {
    const out: string[] = [];
    for (const w of words) {
        if (w.value === undefined) return undefined;
        out.push(w.value);
    }
    return out;
}
