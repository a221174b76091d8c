import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type LineCounter, type Node } from "yaml";
import { MAX_ALIASES, MAX_NESTING_DEPTH, MAX_REPORTED_ERRORS } from "./config-limits.js";
import type { ConfigError } from "./decision.js";

// Keys that would reach an object's prototype if anything downstream ever
// assigned them naively; a config never needs them.
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export type CheckedStructure = { ok: true; aliasTargets: Map<Alias, Node> } | { ok: false; errors: ConfigError[] };

/**
 * Rejects what repol config never needs and a hostile file could abuse: non-text or reserved keys,
 * keys that collide once turned into text, nesting past the cap, too many aliases, aliases without an anchor.
 * Resolves each alias to its anchored node for the conversion that follows.
 */
export function checkYamlStructure(doc: Document.Parsed, lineCounter: LineCounter, file: string): CheckedStructure {
  const errors: ConfigError[] = [];
  const report = (node: { range?: [number, number, number] | null } | null, message: string): void => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    errors.push({ file, line: Math.max(line, 1), column: Math.max(col, 1), path: "", message });
  };
  const anchors = new Map<string, Node>();
  const aliasTargets = new Map<Alias, Node>();
  let aliasCount = 0;

  // Document order matters: an alias refers to the latest anchor of that name before it.
  const visit = (node: Node, depth: number): void => {
    if (errors.length >= MAX_REPORTED_ERRORS) return;
    if (isAlias(node)) {
      aliasCount++;
      if (aliasCount === MAX_ALIASES + 1) report(node, `too many aliases: at most ${MAX_ALIASES} \`*alias\` references are allowed`);
      const target = anchors.get(node.source);
      if (target === undefined) report(node, `alias \`*${node.source}\` has no anchor \`&${node.source}\` before it`);
      else aliasTargets.set(node, target);
      return;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isMap(node) && !isSeq(node)) return;
    if (depth > MAX_NESTING_DEPTH) {
      report(node, `nesting is deeper than ${MAX_NESTING_DEPTH} levels`);
      return;
    }
    if (isSeq(node)) {
      for (const item of node.items) if (item) visit(item as Node, depth + 1);
      return;
    }
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || key.value === null || key.value === "") {
        report(key ?? (pair.value as Node | null) ?? node, "mapping keys must be plain non-empty text");
      } else {
        const name = String(key.value);
        if (RESERVED_KEYS.has(name)) report(key, `key \`${name}\` is not allowed: it is a reserved JavaScript property name`);
        else if (seen.has(name)) report(key, `duplicate key \`${name}\`: each key may appear only once in a mapping`);
        seen.add(name);
      }
      if (pair.value) visit(pair.value as Node, depth + 1);
    }
  };

  const root = doc.contents as Node | null;
  if (root) visit(root, 1);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, aliasTargets };
}
