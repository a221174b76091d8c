// Repository and environment name patterns in org.yaml use the branch pattern language of
// glob-syntax.ts (`*` within a `/` segment, `**` across, `?`, `[a-z]`, `[!a]`, one level of `{a,b}`),
// matched here in TypeScript because scope and exemptions are judged before the policy runs.
// Matching walks a set of positions instead of backtracking, so a pattern with many `*` costs
// at most (pattern length × name length) steps. GitHub compares these names without case.

type Token =
  | { kind: "star" }
  | { kind: "globstar" }
  | { kind: "one" }
  | { kind: "class"; negated: boolean; test: (c: string) => boolean }
  | { kind: "literal"; char: string };

/** Whether `name` matches `pattern`, without regard to case. A pattern glob-syntax.ts refuses matches nothing. */
export function matchesNameGlob(pattern: string, name: string): boolean {
  const chars = Array.from(name.toLowerCase());
  return alternativesOf(Array.from(pattern.toLowerCase())).some((alternative) => matchTokens(tokenize(alternative), chars));
}

export function matchesAnyNameGlob(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => matchesNameGlob(pattern, name));
}

function alternativesOf(chars: string[]): string[][] {
  const open = chars.indexOf("{");
  if (open < 0) return [chars];
  const close = chars.indexOf("}", open + 1);
  if (close < 0) return [chars];
  const [before, after] = [chars.slice(0, open), chars.slice(close + 1)];
  const choices = chars
    .slice(open + 1, close)
    .join("")
    .split(",");
  return choices.flatMap((choice) => alternativesOf([...before, ...Array.from(choice), ...after]));
}

function tokenize(chars: string[]): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "*" && chars[i + 1] === "*") {
      while (chars[i + 1] === "*") i++;
      tokens.push({ kind: "globstar" });
    } else if (c === "*") tokens.push({ kind: "star" });
    else if (c === "?") tokens.push({ kind: "one" });
    else if (c === "[" && chars.indexOf("]", i + 1) > i + 1) {
      const close = chars.indexOf("]", i + 1);
      const body = chars.slice(i + 1, close);
      const negated = body[0] === "!";
      const items = negated ? body.slice(1) : body;
      const test = items.length === 3 && items[1] === "-" ? (x: string) => x >= items[0]! && x <= items[2]! : (x: string) => items.includes(x);
      tokens.push({ kind: "class", negated, test });
      i = close;
    } else tokens.push({ kind: "literal", char: c });
  }
  return tokens;
}

function matchTokens(tokens: Token[], name: string[]): boolean {
  let positions = new Set([0]);
  for (const token of tokens) {
    const next = new Set<number>();
    for (const at of positions) {
      if (token.kind === "star" || token.kind === "globstar") {
        next.add(at);
        for (let end = at; end < name.length && (token.kind === "globstar" || name[end] !== "/"); end++) next.add(end + 1);
        continue;
      }
      const c = name[at];
      if (c === undefined) continue;
      const fits = token.kind === "literal" ? c === token.char : c !== "/" && (token.kind === "one" || token.test(c) !== token.negated);
      if (fits) next.add(at + 1);
    }
    positions = next;
    if (positions.size === 0) return false;
  }
  return positions.has(name.length);
}
