// The builtins custom rules may call, as an OPA capabilities file: opa-wasm's list (what the WASM
// module plus its JavaScript SDK can run) minus the builtins refused below. OPA then rejects any
// other call at compile time as "undefined function", which explainRefusedBuiltin rewords.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// Why each refused builtin is refused, shown to the rule's author. Prefixes end with a dot.
const REFUSED: Record<string, string> = {
  "http.send": "it reaches outside repol; rules may use only their input",
  "net.": "network functions are not available to repol rules",
  "opa.runtime": "it exposes the server's environment and configuration",
  "rand.": "its result changes between runs, so a decision could not be replayed",
  "uuid.": "its result changes between runs, so a decision could not be replayed",
  "time.now_ns": "use input.now (RFC 3339, UTC), so that a replayed decision sees the same time",
  "glob.match":
    "its WebAssembly build treats regex metacharacters differently from OPA, so a rule could pass `opa test` and decide differently in repol; use regex.match with an anchored pattern, or startswith/endswith",
  "json.marshal": "its WebAssembly build keeps object keys in input order where OPA sorts them; compare values, not their JSON text",
  "time.diff": "repol's WebAssembly engine does not implement it; compare input.now (RFC 3339, UTC) as a string instead",
  "yaml.": "its WebAssembly build uses another YAML library than OPA, so results could differ; use json.unmarshal and json.marshal",
  sprintf:
    "its WebAssembly build formats verbs differently from OPA; build messages with concat (and format_int for numbers), or return an object {msg, ...} with the values as fields",
};

export function refusalOf(builtin: string): string | undefined {
  const key = Object.keys(REFUSED).find((name) => (name.endsWith(".") ? builtin.startsWith(name) : builtin === name));
  return key === undefined ? undefined : REFUSED[key];
}

interface Capabilities {
  builtins: { name: string }[];
  [key: string]: unknown;
}

export interface Sandbox {
  /** The capabilities file's JSON text. */
  capabilities: string;
  /** OPA's message for a call outside the sandbox, reworded to name the builtin and say why. */
  explain(message: string): string;
}

/** Builds the sandbox from the pinned OPA's language features and opa-wasm's builtins. */
export async function sandboxFor(opa: string): Promise<Sandbox> {
  const current = JSON.parse(await run(opa, ["capabilities", "--current"])) as Capabilities;
  const wasm = JSON.parse(readFileSync(join(opaWasmDir(), "capabilities.json"), "utf8")) as Capabilities;
  const allowed = wasm.builtins.filter((builtin) => refusalOf(builtin.name) === undefined);
  const known = new Set(current.builtins.map((builtin) => builtin.name));
  const capabilities = JSON.stringify({
    builtins: allowed,
    wasm_abi_versions: wasm.wasm_abi_versions,
    future_keywords: current.future_keywords,
    features: current.features,
  });
  return { capabilities, explain: (message) => explainRefusedBuiltin(message, known) };
}

function explainRefusedBuiltin(message: string, known: ReadonlySet<string>): string {
  const name = /^undefined function (\S+)$/.exec(message)?.[1];
  // A name OPA does not know as a builtin is the author's own (a typo, a missing import).
  if (name === undefined || !known.has(name)) return message;
  const reason = refusalOf(name) ?? "repol evaluates rules in WebAssembly, which cannot run it";
  return `builtin ${name} is not allowed in repol custom rules: ${reason}`;
}

function opaWasmDir(): string {
  // The package exports only its entry point (src/index.cjs); its capabilities.json sits one level up.
  return join(dirname(createRequire(import.meta.url).resolve("@open-policy-agent/opa-wasm")), "..");
}

function run(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(new Error(`${binary} ${args.join(" ")} failed: ${error.message}`));
      else resolve(stdout);
    });
  });
}
