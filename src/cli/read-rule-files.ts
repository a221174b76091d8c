// The custom rule files of a checkout, as the App reads them from the default branch: every
// .repol/policies/**/*.rego, by repository path, with the git blob SHA GitHub would report.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { RuleFile } from "../policy/custom/custom-rule-types.js";

export const RULES_DIR = join(".repol", "policies");

/** `root` is the checkout (holding .repol/); no policies folder means no custom rules. */
export function readRuleFiles(root: string): RuleFile[] {
  const dir = join(root, RULES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".rego"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((file) => {
      const bytes = readFileSync(file);
      return { path: relative(root, file).split(sep).join("/"), text: bytes.toString("utf8"), sha: gitBlobSha(bytes) };
    });
}

/** What `git hash-object` prints for these bytes. */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
