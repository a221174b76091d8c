// The steps every repol config file goes through, whatever its kind: bytes → YAML → plain data →
// schema, or errors that name file, line, column and field. Never throws on bad input.
import { isMap, type Node } from "yaml";
import { checkYamlStructure } from "./check-yaml-structure.js";
import { MAX_REPORTED_ERRORS } from "./config-limits.js";
import { configValidator, type ConfigKind } from "./config-schemas.js";
import type { ConfigError } from "./decision.js";
import { decodeConfigText } from "./decode-config-text.js";
import { yamlLocator, type YamlLocator } from "./locate-yaml-node.js";
import { parseConfigYaml } from "./parse-config-yaml.js";
import { schemaErrorsToConfigErrors } from "./schema-errors.js";
import { yamlToPlainData } from "./yaml-to-plain-data.js";

export type ParsedConfigFile = { ok: true; data: unknown; locate: YamlLocator } | { ok: false; errors: ConfigError[] };

/** Validated plain data (defaults filled in) with a locator for later checks, or positioned errors. `topKey` names the key a valid file starts with. */
export function parseConfigFile(kind: ConfigKind, text: string | Uint8Array, file: string, topKey: string): ParsedConfigFile {
  const decoded = decodeConfigText(text, file);
  if (!decoded.ok) return decoded;
  const parsed = parseConfigYaml(decoded.text, file);
  if (!parsed.ok) return configFailed(parsed.errors);
  const { doc, lineCounter } = parsed;

  const root = doc.contents as Node | null;
  if (!isMap(root)) {
    const { line, col } = lineCounter.linePos(root?.range?.[0] ?? 0);
    return configFailed([{ file, line: Math.max(line, 1), column: Math.max(col, 1), path: "", message: topLevelMessage(root, topKey) }]);
  }
  const structure = checkYamlStructure(doc, lineCounter, file);
  if (!structure.ok) return configFailed(structure.errors);
  const plain = yamlToPlainData(root, structure.aliasTargets, lineCounter, file);
  if (!plain.ok) return configFailed(plain.errors);

  const locate = yamlLocator(root, structure.aliasTargets, lineCounter);
  const validate = configValidator(kind);
  if (!validate(plain.data)) return configFailed(schemaErrorsToConfigErrors(validate.errors ?? [], locate, file));
  return { ok: true, data: plain.data, locate };
}

function topLevelMessage(root: Node | null, topKey: string): string {
  const scalar = root as { value?: unknown; source?: string } | null;
  const isEmpty = scalar === null || (scalar.value === null && !scalar.source);
  if (isEmpty) return `file is empty; a repol config is a mapping with a \`${topKey}\` key`;
  const what = Array.isArray((root as { items?: unknown }).items) ? "a list" : "a single value";
  return `the top level must be a mapping with a \`${topKey}\` key, but this file holds ${what}`;
}

/** Errors sorted by position, at most MAX_REPORTED_ERRORS of them plus a line saying how many more there are. */
export function configFailed(errors: ConfigError[]): { ok: false; errors: ConfigError[] } {
  const sorted = [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
  if (sorted.length <= MAX_REPORTED_ERRORS) return { ok: false, errors: sorted };
  const shown = sorted.slice(0, MAX_REPORTED_ERRORS);
  const next = sorted[MAX_REPORTED_ERRORS];
  const message = `${sorted.length - MAX_REPORTED_ERRORS} more errors not shown; fix the ones above first`;
  return { ok: false, errors: [...shown, { ...next, path: "", message }] };
}
