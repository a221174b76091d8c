import { isAlias, isMap, isScalar, isSeq, type Alias, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";

export interface Position {
  line: number;
  column: number;
}

/** Finds where a JSON pointer into the parsed data was written in the YAML source. */
export interface YamlLocator {
  /** The value at `pointer` (or the nearest written ancestor when it is absent). */
  valueAt(pointer: string): Position;
  /** The key that holds `pointer`'s value; a list item or the root has none, so its value's start. */
  keyAt(pointer: string): Position;
}

export function yamlLocator(root: Node | null, aliasTargets: Map<Alias, Node>, lineCounter: LineCounter): YamlLocator {
  const positionOf = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  };
  // A file with thousands of unknown keys gets one lookup per key; index each mapping once.
  const keyIndexes = new Map<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const pair of map.items) if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };
  // Follows the pointer through the tree, through aliases to their anchored nodes.
  const walk = (pointer: string): { node: Node | null; key: Node | null } => {
    let node = root;
    let key: Node | null = null;
    for (const segment of pointerSegments(pointer)) {
      if (node !== null && isAlias(node)) node = aliasTargets.get(node as Alias) ?? node;
      if (isMap(node)) {
        const pair = pairOf(node as YAMLMap, segment);
        if (!pair) break;
        key = pair.key as Node;
        node = (pair.value as Node | null) ?? null;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (item === undefined) break;
        key = null;
        node = item;
      } else break;
      if (node === null) break;
    }
    return { node, key };
  };
  const offsetOf = (node: Node | null): number => node?.range?.[0] ?? 0;
  return {
    valueAt: (pointer) => {
      const { node, key } = walk(pointer);
      // `key:` with nothing after it has an empty value that starts after the colon; the key is what to show.
      const isImplicitNull = isScalar(node) && node.value === null && !node.source;
      return positionOf(node && !(isImplicitNull && key) ? offsetOf(node) : offsetOf(key));
    },
    keyAt: (pointer) => {
      const { node, key } = walk(pointer);
      return positionOf(key ? offsetOf(key) : offsetOf(node));
    },
  };
}

/** A key as one JSON pointer segment: `prod/eu` → `prod~1eu`. */
export function escapePointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
