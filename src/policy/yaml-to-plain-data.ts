import { isAlias, isMap, isScalar, isSeq, type Alias, type LineCounter, type Node } from "yaml";
import { MAX_NESTING_DEPTH, MAX_VALUES } from "./config-limits.js";
import type { ConfigError } from "./decision.js";
import { firstLoneSurrogate } from "./lone-surrogate.js";

export type PlainData = { ok: true; data: unknown } | { ok: false; errors: ConfigError[] };

/**
 * Builds plain JSON-like data from a structure-checked YAML tree. Aliases are expanded
 * here, so the expanded size and depth are capped here too (that is what stops
 * "billion laughs" files), and an alias inside the node it names is refused.
 */
export function yamlToPlainData(root: Node | null, aliasTargets: Map<Alias, Node>, lineCounter: LineCounter, file: string): PlainData {
  let values = 0;
  const expanding = new Set<Node>();
  // Blame an over-large expansion on the alias the reader wrote, not on a node deep inside its anchor.
  let outermostAlias: Node | null = null;
  const fail = (node: Node, message: string): never => {
    const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
    throw { conversionError: { file, line: Math.max(line, 1), column: Math.max(col, 1), path: "", message } };
  };

  const convert = (node: Node, depth: number): unknown => {
    values++;
    if (values > MAX_VALUES) {
      const message = `file expands to more than ${MAX_VALUES.toLocaleString("en-US")} values (aliases included); a config needs far fewer`;
      fail(outermostAlias ?? node, message);
    }
    if (isAlias(node)) {
      const target = aliasTargets.get(node) ?? fail(node, `alias \`*${node.source}\` has no anchor before it`);
      if (expanding.has(target)) fail(node, `alias \`*${node.source}\` refers to a node that contains it`);
      expanding.add(target);
      outermostAlias ??= node;
      const value = convert(target, depth);
      expanding.delete(target);
      if (outermostAlias === node) outermostAlias = null;
      return value;
    }
    if (isScalar(node)) {
      const problem = typeof node.value === "string" ? textProblem(node.value) : null;
      return problem === null ? node.value : fail(node, problem);
    }
    if (depth > MAX_NESTING_DEPTH) fail(node, `nesting is deeper than ${MAX_NESTING_DEPTH} levels once aliases are expanded`);
    if (isSeq(node)) return node.items.map((item) => (item === null ? null : convert(item as Node, depth + 1)));
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = String((pair.key as { value: unknown }).value);
        const keyProblem = textProblem(key);
        if (keyProblem !== null) fail(pair.key as Node, keyProblem);
        const value = pair.value === null ? null : convert(pair.value as Node, depth + 1);
        // defineProperty never invokes a setter, whatever the key is named.
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    return fail(node, "unsupported YAML node");
  };

  try {
    return { ok: true, data: root === null ? null : convert(root, 1) };
  } catch (thrown) {
    const error = (thrown as { conversionError?: ConfigError }).conversionError;
    if (error === undefined) throw thrown;
    return { ok: false, errors: [error] };
  }
}

// Double-quoted YAML escapes (`"\0"`, `"\ud800"`) can put into text what a file cannot hold
// directly. A lone surrogate is read as U+FFFD by OPA and refused by the WASM build, and control
// characters are never part of a name, a branch or a check, so both are refused here.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function textProblem(text: string): string | null {
  const surrogate = firstLoneSurrogate(text);
  if (surrogate !== undefined) {
    return `text holds a lone UTF-16 surrogate (${codePoint(surrogate)}, from a \`\\u\` escape); write the character itself or a complete surrogate pair`;
  }
  const control = CONTROL.exec(text)?.[0];
  if (control !== undefined) {
    return `text holds the control character ${codePoint(control)} (from an escape); config text may hold no control characters but tabs and line breaks`;
  }
  return null;
}

const codePoint = (c: string): string => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
