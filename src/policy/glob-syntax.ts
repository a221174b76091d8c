// Branch patterns are matched later by Rego's glob.match. A pattern it cannot
// parse makes the builtin fail, and the Go and WASM implementations disagree on
// which patterns fail, so a malformed pattern would either block every
// deployment or silently match nothing. We reject at load time every pattern
// that either implementation rejects (see test/fixtures/repol/glob-syntax-cases.json).

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

/** globSyntaxProblem plus the git rules that make a pattern unable to match any branch name. */
export function branchPatternProblem(pattern: string): string | null {
  const syntax = globSyntaxProblem(pattern);
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
