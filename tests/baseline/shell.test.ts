/**
 * The shell-word reader and the docker run reader: table cases with exact results, and the round trip the AWS
 * components rely on (every value quoted with shellQuote reads back as exactly that value).
 */
import { describe, expect, it } from "vitest";
import {
    dockerFlag, dockerOptionValues, findDockerRuns, parsePublish, parseShell, shellQuote, staticValues,
} from "@airlock/baseline";

const argv = (script: string) => parseShell(script).commands.map((c) => staticValues(c.words) ?? c.words.map((w) => w.value ?? `<${w.expansion}>`));

describe("parseShell", () => {
    it.each([
        ["echo a b", [["echo", "a", "b"]]],
        ["echo 'a b' \"c d\" e\\ f", [["echo", "a b", "c d", "e f"]]],
        ["a; b && c || d | e & f", [["a"], ["b"], ["c"], ["d"], ["e"], ["f"]]],
        ["echo a \\\n  b", [["echo", "a", "b"]]],
        ["# comment\necho a # trailing\n  ", [["echo", "a"]]],
        ["echo a#b", [["echo", "a#b"]]],
        ["if docker run x; then echo ok; fi", [["docker", "run", "x"], ["echo", "ok"]]],
        ["for i in $(seq 1 3); do sleep 1; done", [["sleep", "1"]]],
        ["! grep -q x f", [["grep", "-q", "x", "f"]]],
        ["{ echo a; }", [["echo", "a"]]],
        ["echo \"it's\" 'say \"hi\"'", [["echo", "it's", "say \"hi\""]]],
        ["echo \"a\\\"b\\$c\\\\d\\e\"", [["echo", "a\"b$c\\d\\e"]]],
        ["echo $ a$", [["echo", "$", "a$"]]],
        ["echo [ ] -e", [["echo", "[", "]", "-e"]]],
    ])("%j", (script, expected) => {
        expect(argv(script)).toEqual(expected);
    });

    it.each([
        ["echo $HOME", "parameter expansion $HOME"],
        ["echo \"x${IMAGE}\"", "parameter expansion ${IMAGE}"],
        ["echo $(cat f)", "command substitution $(cat f)"],
        ["echo `cat f`", "command substitution `…`"],
        ["echo $((1+2))", "arithmetic expansion $((…))"],
        ["echo ~/x", "tilde expansion ~"],
        ["echo *.txt", "pathname expansion"],
        ["echo {a,b}", "brace expansion"],
        ["echo $'\\x41'", "ANSI-C quoting $'…'"],
        ["echo $1", "parameter expansion $1"],
        ["cat <(ls)", "process substitution"],
    ])("%j expands at run time (%s)", (script, why) => {
        const w = parseShell(script).commands[0]!.words[1]!;
        expect(w.value).toBeUndefined();
        expect(w.expansion).toBe(why);
    });

    it("reads prefix assignments apart from argv", () => {
        const [c] = parseShell("A=1 B='x y' env").commands;
        expect(c!.assignments.map((a) => [a.name, a.value.value])).toEqual([["A", "1"], ["B", "x y"]]);
        expect(staticValues(c!.words)).toEqual(["env"]);
        const [s] = parseShell("KEY=\"$(aws secretsmanager get-secret-value --secret-id x)\"").commands;
        expect(s!.words).toEqual([]);
        expect(s!.assignments[0]!.value.value).toBeUndefined();
        expect(s!.assignments[0]!.value.expansion).toBe("command substitution $(aws secretsmanager get-secret-value --secret-id x)");
    });

    it("reads redirections and here-documents without taking them for arguments", () => {
        const p = parseShell("cat > /etc/x.conf <<'EOF'\ndocker run -p 0.0.0.0:80:80 img\nEOF\necho done 2>&1 >>log\n");
        expect(p.commands.map((c) => staticValues(c.words))).toEqual([["cat"], ["echo", "done"]]);
        expect(p.commands[0]!.heredocs).toEqual([{ delimiter: "EOF", quoted: true, line: 1, body: "docker run -p 0.0.0.0:80:80 img\n" }]);
        expect(p.commands[1]!.redirects.map((r) => [r.fd ?? "", r.op, r.target.value])).toEqual([["2", ">&", "1"], ["", ">>", "log"]]);
        expect(p.commands[1]!.line).toBe(4);
        expect(p.errors).toEqual([]);
    });

    it("reports what it does not read", () => {
        expect(parseShell("echo 'open").errors).toEqual(["unterminated single quote at line 1"]);
        expect(parseShell("cat <<EOF\nno end").errors).toEqual(["here-document at line 1 is not closed by EOF"]);
        expect(parseShell("case $x in a) echo;; esac").errors).toEqual(["case statement at line 1 is not read"]);
    });

    it("numbers lines across continuations and quoted newlines", () => {
        expect(parseShell("a\nb 'x\ny'\nc \\\n d\ne").commands.map((c) => c.line)).toEqual([1, 2, 4, 6]);
    });
});

describe("shellQuote", () => {
    const samples = ["", "plain", "with space", "it's", "$(rm -rf /)", "`id`", "a\nb", "\"dq\"", "back\\slash", "*?[a]", "~", "{a,b}", "'", "''"];
    it.each(samples.map((s) => [s]))("%j reads back as itself, one literal word", (s) => {
        const [c] = parseShell(`cmd ${shellQuote(s)}`).commands;
        expect(c!.words).toHaveLength(2);
        expect(c!.words[1]!.value).toBe(s);
    });
});

describe("findDockerRuns", () => {
    const run = (line: string) => findDockerRuns(parseShell(line).commands[0]!.words)[0]!;

    it("separates options, image and command as the Docker CLI does", () => {
        const r = run("sudo docker run -dit --rm -p8000:8000 -e A=1 --env=B=2 --name x --net=host img:1 vllm serve /m --port 8000");
        expect(r.cli).toBe("docker");
        expect(r.options.map((o) => [o.name, o.value?.value])).toEqual([
            ["--detach", undefined], ["--interactive", undefined], ["--tty", undefined], ["--rm", undefined],
            ["--publish", "8000:8000"], ["--env", "A=1"], ["--env", "B=2"], ["--name", "x"], ["--network", "host"],
        ]);
        expect(r.image?.value).toBe("img:1");
        expect(staticValues(r.args)).toEqual(["vllm", "serve", "/m", "--port", "8000"]);
        expect(r.problems).toEqual([]);
        expect(dockerFlag(r, "--rm")).toBe(true);
        expect(dockerOptionValues(r, "--env").map((v) => v?.value)).toEqual(["A=1", "B=2"]);
    });

    it.each([
        ["docker container run img", "img"],
        ["docker --host ssh://x run img", "img"],
        ["podman create -P img", "img"],
        ["docker run -dp 80:80 img", "img"],
    ])("%j names the image", (line, image) => { expect(run(line).image?.value).toBe(image); });

    it("reports what makes the line unreadable", () => {
        expect(run("docker run --frobnicate x img").problems).toEqual(["unknown option --frobnicate, so the image and the container's command cannot be told apart"]);
        expect(run("docker run $OPTS img").problems).toEqual([]);
        expect(run("docker run $OPTS img").image?.expansion).toBe("parameter expansion $OPTS");
        expect(run("docker run \"-$X\" img").problems).toEqual(["option \"-$X\" expands at run time (parameter expansion $X), so the line cannot be read"]);
        expect(run("docker run --rm").problems).toEqual(["names no image"]);
        expect(findDockerRuns(parseShell("docker ps; docker pull x").commands.flatMap((c) => c.words))).toEqual([]);
    });

    it.each([
        ["8000", { ip: "", hostPort: "", containerPort: "8000" }],
        ["8000:80", { ip: "", hostPort: "8000", containerPort: "80" }],
        ["10.0.0.5:8000:80/tcp", { ip: "10.0.0.5", hostPort: "8000", containerPort: "80/tcp" }],
        ["[::]:8000:80", { ip: "::", hostPort: "8000", containerPort: "80" }],
        ["::1:8000:80", { ip: "::1", hostPort: "8000", containerPort: "80" }],
        ["0.0.0.0::80", { ip: "0.0.0.0", hostPort: "", containerPort: "80" }],
    ])("parsePublish(%j)", (v, expected) => { expect(parsePublish(v)).toEqual(expected); });
});
