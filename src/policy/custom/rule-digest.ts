// The key a compiled module is cached and stored under: everything that goes into the build.
import { createHash } from "node:crypto";
import type { CustomPolicyKind, RuleFile } from "./custom-rule-types.js";

// Raised when repol changes how it builds modules (entry module, sandbox), so old ones are not reused.
const BUILD_REVISION = 1;

export function ruleDigest(policy: CustomPolicyKind, files: readonly RuleFile[], opaVersion: string): string {
  const sources = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((file) => [file.path, file.text]);
  return createHash("sha256")
    .update(JSON.stringify({ revision: BUILD_REVISION, opa: opaVersion, policy, sources }))
    .digest("hex");
}
