// Branch patterns use the language of Rego's glob.match, narrowed to what the policy matches
// identically in the WASM build and in OPA (policies/lib/branches.rego). A pattern outside it would
// silently match nothing, so the loader refuses it with the reason: first what glob.match itself
// rejects in either implementation (see test/fixtures/repol/glob-syntax-cases.json), then what the
// policy does not support, then what git never allows in a branch name.

/** Why `pattern` is not valid glob syntax for glob.match, or null when it is. Positions are 1-based characters. */
export function globSyntaxProblem(pattern: string): string | null {
  const chars = Array.from(pattern);
  const openBraces: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "{") openBraces.push(i);
    else if (c === "}" && openBraces.length > 0) openBraces.pop();
    else if (c === "[") {
      const end = endOfCharacterClass(chars, i);
      if (typeof end === "string") return end;
      i = end;
    }
  }
  const unclosed = openBraces.at(-1);
  if (unclosed !== undefined) return `\`{\` at position ${unclosed + 1} is never closed with \`}\``;
  return null;
}

/** globSyntaxProblem, what repol's policy does not match, and the git rules that make a pattern unable to match any branch name. */
export function branchPatternProblem(pattern: string): string | null {
  const syntax = globSyntaxProblem(pattern) ?? unsupportedGlobProblem(pattern);
  if (syntax !== null) return syntax;
  if (pattern.startsWith("refs/")) {
    return "write the branch name without the `refs/heads/` prefix (e.g. `main`, `release/*`)";
  }
  const neverInBranchName: Array<[boolean, string]> = [
    [pattern.startsWith("/") || pattern.endsWith("/"), "cannot start or end with `/`"],
    [pattern.includes("//"), "cannot contain `//`"],
    [pattern.includes(".."), "cannot contain `..`"],
    [pattern.includes("@{"), "cannot contain `@{`"],
    [pattern.endsWith(".") || pattern.endsWith(".lock"), "cannot end with `.` or `.lock`"],
  ];
  const rule = neverInBranchName.find(([broken]) => broken);
  return rule ? `it can never match a branch: git branch names ${rule[1]}` : null;
}

// Mirrors the range grammar of gobwas/glob (used by OPA):
// `[` `!`? ( lo `-` hi | one or more characters other than `]` ) `]`
function endOfCharacterClass(chars: string[], open: number): number | string {
  const unclosed = `\`[\` at position ${open + 1} is never closed with \`]\``;
  let i = open + 1;
  if (chars[i] === "!") i++;
  if (i >= chars.length) return unclosed;
  if (chars[i + 1] === "-") {
    const lo = chars[i];
    const hi = chars[i + 2];
    if (hi === undefined || i + 3 >= chars.length) return unclosed;
    if (chars[i + 3] !== "]") {
      return `range at position ${open + 1} must be exactly one character, \`-\`, one character, then \`]\` (like \`[a-z]\`)`;
    }
    if (hi.codePointAt(0)! < lo.codePointAt(0)!) {
      return `range \`[${lo}-${hi}]\` at position ${open + 1} is reversed; write \`[${hi}-${lo}]\``;
    }
    return i + 3;
  }
  let close = i;
  while (close < chars.length && chars[close] !== "]") close++;
  if (close >= chars.length) return unclosed;
  if (close === i) return `character class at position ${open + 1} is empty; it must list at least one character`;
  return close;
}

// Limits the policy also applies: they bound the work of matching one pattern to a few passes over the name.
export const MAX_STAR_RUNS = 8;
export const MAX_ALTERNATIVES = 32;
const NOT_IN_CLASS = new Set(["[", "]", "\\", "!", "^", "-", "{", "}", ",", "*", "?"]);

/** For a pattern globSyntaxProblem accepts: why the policy would not match with it, or null. Positions are 1-based characters. */
export function unsupportedGlobProblem(pattern: string): string | null {
  const chars = Array.from(pattern);
  const closeAfter = (open: number, close: string): number => chars.indexOf(close, open + 1);
  const classEnds = new Set<number>();
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== "[") continue;
    const end = closeAfter(i, "]");
    classEnds.add(end);
    const body = chars.slice(i + 1, end);
    const items = body[0] === "!" ? body.slice(1) : body;
    const range = items.length === 3 && items[1] === "-" && !NOT_IN_CLASS.has(items[0]) && !NOT_IN_CLASS.has(items[2]);
    if (!range && (items.length === 0 || items.some((c) => NOT_IN_CLASS.has(c)))) {
      return (
        `class \`${chars.slice(i, end + 1).join("")}\` at position ${i + 1} is not supported: write a range like \`[a-z]\` ` +
        "or list characters other than `[ ] \\ ! ^ - { } , * ?`, optionally negated with a leading `!`"
      );
    }
  }
  let alternatives = 1;
  for (let open = 0; open < chars.length; open++) {
    if (chars[open] !== "{") continue;
    const close = closeAfter(open, "}");
    for (let k = open + 1; k < close; k++) {
      if (chars[k] === "{") return `\`{\` at position ${k + 1} is inside another \`{...}\`; groups cannot be nested, so list every choice in one (\`{a,b,c}\`)`;
      if (chars[k] === "]" && !classEnds.has(k)) return `\`]\` at position ${k + 1} is inside \`{...}\` but closes no \`[\``;
    }
    alternatives *= chars.slice(open + 1, close).filter((c) => c === ",").length + 1;
  }
  const starRuns = chars.filter((c, i) => c === "*" && chars[i - 1] !== "*").length;
  if (starRuns > MAX_STAR_RUNS) return `it uses \`*\` in ${starRuns} places; at most ${MAX_STAR_RUNS} are supported`;
  if (alternatives > MAX_ALTERNATIVES) return `its \`{...}\` groups make ${alternatives} combinations; at most ${MAX_ALTERNATIVES} are supported`;
  return null;
}
