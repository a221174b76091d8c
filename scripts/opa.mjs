// Runs the pinned OPA CLI with the given arguments: `node scripts/opa.mjs test policies/ -v`.
import { spawnSync } from "node:child_process";
import { constants } from "node:os";
import { ensureOpa } from "./ensure-opa.mjs";

let opa;
try {
  opa = ensureOpa();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const result = spawnSync(opa, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`opa: could not run ${opa}: ${result.error.message}`);
  process.exit(1);
}
// A signal-killed child has no status; report it as a failure, like a shell would (128 + n).
process.exit(result.status ?? 128 + (constants.signals[result.signal] ?? 0));
