import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../src/policy/decision.js";
import { parseRepoConfig, type ConfigResult } from "../../src/policy/load-repo-config.js";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/repol/invalid/${name}`, import.meta.url)));
const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? [...new TextEncoder().encode(part)] : part)));
const brief = (e: ConfigError) => `${e.line}:${e.column} ${e.message}`;
const errorsOf = (result: ConfigResult<unknown>): string[] => {
  if (result.ok) throw new Error(`expected errors, got config ${JSON.stringify(result.config)}`);
  return result.errors.map(brief);
};
const deploy = (text: string | Uint8Array) => errorsOf(parseRepoConfig("deploy", text));

// A valid prefix, so that what follows is the only problem in the file.
const header = "policy:\n  version: 1\n  environments:\n    production:\n      rules:\n";

describe("size cap", () => {
  const cap = 256 * 1024;

  it.each<[string, string | Uint8Array, number]>([
    ["a string one byte over", "#".repeat(cap + 1), cap + 1],
    ["bytes one byte over", new Uint8Array(cap + 1).fill(0x23), cap + 1],
    ["a string under the cap in characters but over it in UTF-8 bytes", "é".repeat(cap / 2 + 1), cap + 2],
  ])("rejects %s before parsing, naming the cap", (_, input, size) => {
    expect(deploy(input)).toEqual([`1:1 file is ${size.toLocaleString("en-US")} bytes; repol config files may be at most 256 KiB (262,144 bytes)`]);
  });

  it("parses a file of exactly 256 KiB", () => {
    const padded = `${header}        approvals_required: 1\n`.padEnd(cap, "#");
    expect(parseRepoConfig("deploy", padded).ok).toBe(true);
  });
});

describe("encoding", () => {
  it.each<[string, Uint8Array, string]>([
    ["a stray 0xFF byte", bytes("policy:\n  version: ", [0xff], "\n"), "2:12 file is not valid UTF-8: byte 0xFF cannot appear here; save the file as UTF-8"],
    [
      "a Latin-1 é",
      bytes("policy:\n  environments:\n    k", [0xf6], "ln: {}\n"),
      "3:6 file is not valid UTF-8: byte 0xF6 cannot appear here; save the file as UTF-8",
    ],
    ["an overlong encoding of /", bytes("a: ", [0xc0, 0xaf]), "1:4 file is not valid UTF-8: byte 0xC0 cannot appear here; save the file as UTF-8"],
    ["an encoded UTF-16 surrogate", bytes("a: ", [0xed, 0xa0, 0x80]), "1:4 file is not valid UTF-8: byte 0xED cannot appear here; save the file as UTF-8"],
    ["a sequence cut off at the end", bytes("a: €", [0xe2, 0x82]), "1:5 file is not valid UTF-8: byte 0xE2 cannot appear here; save the file as UTF-8"],
    [
      "a code point above U+10FFFF",
      bytes("a: ", [0xf4, 0x90, 0x80, 0x80]),
      "1:4 file is not valid UTF-8: byte 0xF4 cannot appear here; save the file as UTF-8",
    ],
    ["a UTF-16 file", bytes([0xff, 0xfe], "p\u0000"), "1:1 file is encoded as UTF-16; save it as UTF-8"],
  ])("rejects %s at the line and column of the first bad byte", (_, input, expected) => {
    expect(deploy(input)).toEqual([expected]);
  });

  it("counts columns after valid multi-byte characters in UTF-16 units, as YAML positions do", () => {
    expect(deploy(bytes("a: 😀é", [0x80]))).toEqual(["1:7 file is not valid UTF-8: byte 0x80 cannot appear here; save the file as UTF-8"]);
  });
});

describe("YAML features a config never needs", () => {
  it.each<[string, string]>([
    ["deploy-custom-tag-function.yaml", "6:29 YAML tags like `!!js/function` are not allowed in repol config; write a plain value"],
    ["deploy-custom-tag-binary.yaml", "1:9 YAML tags like `!!binary` are not allowed in repol config; write a plain value"],
    ["deploy-custom-tag-local.yaml", "2:12 YAML tags like `!int` are not allowed in repol config; write a plain value"],
  ])("rejects the tag in %s", (name, expected) => {
    expect(deploy(fixture(name))).toEqual([expected]);
  });

  it.each<[string, string]>([
    ["a standard !!str tag", "policy: !!str x\n"],
    ["a tag on a mapping", "policy: !!map {}\n"],
    ["a tag on a key", "!!str policy: {}\n"],
    ["the non-specific tag", "policy: ! x\n"],
  ])("rejects %s too", (_, text) => {
    expect(deploy(text)).toEqual([expect.stringMatching(/^1:\d+ YAML tags like `!.*` are not allowed in repol config/)]);
  });

  it("rejects a second YAML document at its separator", () => {
    expect(deploy(fixture("deploy-multiple-documents.yaml"))).toEqual([
      "6:1 a config file must hold a single YAML document; remove the `---` separator and what follows it",
    ]);
  });

  it("rejects a trailing separator that starts an empty second document", () => {
    expect(deploy(`${header}        tests_passed: true\n---\n`)).toEqual([
      "7:1 a config file must hold a single YAML document; remove the `---` separator and what follows it",
    ]);
  });

  it("reports duplicate keys at the second occurrence, including keys equal only as text", () => {
    expect(deploy(fixture("deploy-duplicate-keys.yaml"))).toEqual([
      "8:9 duplicate key `approvals_required`: each key may appear only once in a mapping",
      "10:5 duplicate key `1`: each key may appear only once in a mapping",
    ]);
  });

  it.each<[string, string]>([
    ["a list as a key", "? [a, b]\n: 1\n"],
    ["a mapping as a key", "{a: 1}: 2\n"],
    ["an empty key", ": 1\n"],
    ["an alias as a key", "a: &k x\n*k : 1\n"],
  ])("rejects %s", (_, text) => {
    expect(deploy(text)).toEqual([expect.stringMatching(/^\d+:\d+ mapping keys must be plain non-empty text$/)]);
  });
});

describe("prototype pollution", () => {
  it("rejects __proto__, constructor and prototype keys wherever they are", () => {
    expect(deploy(fixture("deploy-prototype-keys.yaml"))).toEqual([
      "3:3 key `__proto__` is not allowed: it is a reserved JavaScript property name",
      "6:5 key `constructor` is not allowed: it is a reserved JavaScript property name",
      "8:9 key `prototype` is not allowed: it is a reserved JavaScript property name",
    ]);
  });

  it.each([
    '{"__proto__": {"polluted": true}}',
    "__proto__: {polluted: true}",
    "'__proto__': {polluted: true}",
    "a: &p {polluted: true}\n__proto__: *p",
    "policy: {environments: {__proto__: {rules: {polluted: true}}}}",
  ])("leaves Object.prototype untouched after %j", (text) => {
    const result = parseRepoConfig("deploy", text);
    expect(result.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.prototype).not.toHaveProperty("rules");
  });
});

describe("aliases", () => {
  it("stops a billion-laughs file at the expansion cap, blaming the alias that overflows it", () => {
    expect(deploy(fixture("deploy-alias-bomb.yaml"))).toEqual(["5:16 file expands to more than 5,000 values (aliases included); a config needs far fewer"]);
  });

  it("rejects more than 100 alias references", () => {
    const refs = Array.from({ length: 101 }, () => "*v").join(", ");
    expect(deploy(`v: &v 1\nlist: [${refs}]\n`)).toEqual(["2:408 too many aliases: at most 100 `*alias` references are allowed"]);
  });

  it("accepts 100 alias references", () => {
    const envs = Array.from({ length: 100 }, (_, i) => `    env-${i}: {rules: *r}`).join("\n");
    const text = `policy:\n  version: 1\n  environments:\n    base: {rules: &r {tests_passed: true}}\n${envs}\n`;
    const result = parseRepoConfig("deploy", text);
    expect(result.ok && Object.keys(result.config.policy.environments)).toHaveLength(101);
  });

  it("rejects more than 100 anchors before building the document", () => {
    const anchors = Array.from({ length: 101 }, (_, i) => `&a${i} x${i}`).join(", ");
    expect(deploy(`list: [${anchors}]\n`)).toEqual([`1:${8 + anchors.lastIndexOf("&")} too many anchors: at most 100 \`&anchor\` definitions are allowed`]);
  });

  it.each<[string, string]>([
    ["deploy-undefined-alias.yaml", "5:14 alias `*strict` has no anchor `&strict` before it"],
    ["deploy-recursive-alias.yaml", "5:14 alias `*loop` refers to a node that contains it"],
  ])("rejects the broken alias in %s", (name, expected) => {
    expect(deploy(fixture(name))).toEqual([expected]);
  });
});

describe("nesting depth", () => {
  const nested = {
    flowLists: (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`,
    flowMaps: (depth: number) => `${"{a: ".repeat(depth)}1${"}".repeat(depth)}`,
    compactLists: (depth: number) => `${"- ".repeat(depth)}x\n`,
    explicitKeys: (depth: number) => `${"? ".repeat(depth)}x\n`,
    indentedMaps: (depth: number) => `${Array.from({ length: depth }, (_, i) => `${" ".repeat(i)}a:`).join("\n")} 1\n`,
    mixed: (depth: number) => `${"- ".repeat(depth >> 1)}${"[".repeat(depth - (depth >> 1))}${"]".repeat(depth - (depth >> 1))}\n`,
  };

  it.each(Object.keys(nested))("refuses %s nested 33 levels deep", (form) => {
    expect(deploy(nested[form as keyof typeof nested](33))).toEqual([expect.stringMatching(/^\d+:\d+ nesting is deeper than 32 levels$/)]);
  });

  it.each(Object.keys(nested))("accepts %s nested 32 levels deep as YAML", (form) => {
    const errors = deploy(nested[form as keyof typeof nested](32));
    expect(errors.join("\n")).not.toMatch(/nesting|invalid YAML/);
  });

  it.each([10_000, 100_000])("refuses %i opening brackets without overflowing the stack", (depth) => {
    expect(deploy("[".repeat(depth))).toEqual(["1:33 nesting is deeper than 32 levels"]);
    expect(deploy("- ".repeat(depth))).toEqual(["1:65 nesting is deeper than 32 levels"]);
  });

  it("counts nesting that aliases add", () => {
    const deep = `${"[".repeat(20)}${"]".repeat(20)}`;
    const text = `a: &deep ${deep}\nb: ${"[".repeat(15)}*deep${"]".repeat(15)}\n`;
    expect(deploy(text)).toEqual([expect.stringMatching(/^\d+:\d+ nesting is deeper than 32 levels once aliases are expanded$/)]);
  });
});

describe("token cap", () => {
  it("refuses a file with more than 20,000 YAML tokens where the cap is reached", () => {
    // `list`, `:`, ` `, `[` and then two tokens per `1,`: token 20,001 is the `1` at column 8 + 2 × 9,998.
    const text = `list: [${"1,".repeat(15_000)}1]\n`;
    expect(deploy(text)).toEqual(["1:20004 file has more than 20,000 YAML tokens; a repol config needs far fewer"]);
  });
});
