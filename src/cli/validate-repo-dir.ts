// Checks every `.repol/*.yaml` of a checkout the way the App will read it from the default branch.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { ConfigError } from "../policy/decision.js";
import { ORG_CONFIG_PATH, parseOrgConfig } from "../policy/load-org-config.js";
import { CONFIG_PATHS, parseRepoConfig } from "../policy/load-repo-config.js";
import { UsageError } from "./cli-io.js";
import type { PolicyName } from "../domain/policy-name.js";

export interface FileVerdict {
  /** As the user should see it: relative to the working directory when inside it. */
  file: string;
  /** The policy a YAML config is for, "org" for org.yaml, "rules" for a custom Rego file, null for a file repol does not read. */
  kind: PolicyName | "org" | "rules" | null;
  errors: ConfigError[];
}

export interface DirVerdict {
  configDir: string;
  /** The checkout holding configDir, where .repol/policies is read. */
  root: string;
  files: FileVerdict[];
  valid: boolean;
}

const KIND_BY_NAME = new Map<string, PolicyName | "org">([
  ...Object.entries(CONFIG_PATHS).map(([kind, path]) => [basename(path), kind as PolicyName] as const),
  // Read only from the owner's .github repository; validated wherever it is, so that checkout can be checked too.
  [basename(ORG_CONFIG_PATH), "org"],
]);
const KNOWN_NAMES = Object.values(CONFIG_PATHS)
  .map((path) => basename(path))
  .join(" and ");

/** `dir` is a checkout (holding .repol/) or the .repol directory itself. */
export function validateRepoDir(dir: string, cwd: string): DirVerdict {
  const configDir = locateConfigDir(dir);
  const shown = shownFrom(cwd);
  const names = readdirSync(configDir)
    .filter((name) => /\.ya?ml$/i.test(name) && statSync(join(configDir, name)).isFile())
    .sort();
  const files: FileVerdict[] = names.map((name) => {
    const file = shown(join(configDir, name));
    const kind = KIND_BY_NAME.get(name) ?? null;
    if (kind === null) return { file, kind, errors: [misnamed(file, name)] };
    const text = readFileSync(join(configDir, name));
    const result = kind === "org" ? parseOrgConfig(text, { now: new Date(), file }) : parseRepoConfig(kind, text, file);
    return { file, kind, errors: result.ok ? [] : result.errors };
  });
  if (!files.some((verdict) => verdict.kind !== null)) {
    const file = shown(configDir);
    files.push({ file, kind: null, errors: [{ file, line: 1, column: 1, path: "", message: `no repol config here; add ${KNOWN_NAMES}` }] });
  }
  return { configDir: shown(configDir), root: dirname(configDir), files, valid: files.every((verdict) => verdict.errors.length === 0) };
}

/** A path as the user should see it: relative to the working directory when inside it. */
export function shownFrom(cwd: string): (path: string) => string {
  return (path) => {
    const rel = relative(cwd, path);
    return rel === "" || rel.startsWith("..") ? path : rel;
  };
}

export function locateConfigDir(dir: string): string {
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory; give a checkout or its .repol directory`);
  const nested = join(dir, ".repol");
  if (existsSync(nested) && statSync(nested).isDirectory()) return nested;
  if (basename(dir) === ".repol") return dir;
  throw new UsageError(`${dir} has no .repol directory; run this at the root of a checkout, or pass its path`);
}

// The App reads exactly these names; anything else in .repol/ would be silently ignored.
function misnamed(file: string, name: string): ConfigError {
  const stem = name.replace(/\.ya?ml$/i, "").toLowerCase();
  const intended = [...KIND_BY_NAME.keys()].find((known) => known.replace(/\.yaml$/, "") === stem);
  const message = intended
    ? `repol reads ${intended}, not ${name}; rename the file or it is ignored`
    : `repol does not read ${name}; its config files are ${KNOWN_NAMES}`;
  return { file, line: 1, column: 1, path: "", message };
}
