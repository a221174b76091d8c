import { beforeAll, expect, it } from "vitest";
import { compileRego, type Compiler } from "../../../src/policy/custom/compile-rego.js";
import { findOpa } from "../../../src/policy/custom/find-opa.js";
import { sandboxFor } from "../../../src/policy/custom/sandbox-capabilities.js";

let compiler: Compiler;
beforeAll(async () => {
  const opa = await findOpa();
  if (!opa.ok) throw new Error(opa.message);
  compiler = { opa: opa.binary, sandbox: await sandboxFor(opa.binary) };
});

const REFUSED = [
  ["http.send", 'http.send({"method": "GET", "url": "https://example.invalid"})', /reaches outside repol/],
  ["net.lookup_ip_addr", 'net.lookup_ip_addr("example.invalid")', /network functions/],
  ["opa.runtime", "opa.runtime()", /server's environment/],
  ["time.now_ns", "time.now_ns()", /use input\.now/],
  ["rand.intn", 'rand.intn("seed", 10)', /could not be replayed/],
  ["uuid.rfc4122", 'uuid.rfc4122("seed")', /could not be replayed/],
  ["glob.match", 'glob.match("release/*", ["/"], "release/1")', /regex\.match/],
  ["sprintf", 'sprintf("%d", [1])', /concat/],
  ["json.marshal", "json.marshal({})", /keys in input order/],
  ["yaml.unmarshal", 'yaml.unmarshal("a: 1")', /another YAML library/],
  ["time.diff", "time.diff(0, 1)", /does not implement it/],
  ["crypto.sha256", 'crypto.sha256("x")', /WebAssembly, which cannot run it/],
] as const;

it.each(REFUSED)("refuses %s at compile time, naming it with the reason, file and line", async (builtin, call, reason) => {
  const text = `package repol.deploy.sandbox\n\nx := ${call}\n`;
  const result = await compileRego(compiler, { files: [{ path: ".repol/policies/sandbox.rego", text, sha: "0".repeat(40) }], generated: [], entrypoints: [] });

  expect(result).toMatchObject({ ok: false, errors: [{ file: ".repol/policies/sandbox.rego", line: 3 }] });
  const message = result.ok ? "" : result.errors[0]!.message;
  expect(message).toContain(`builtin ${builtin} is not allowed in repol custom rules: `);
  expect(message).toMatch(reason);
});

it("leaves an unknown function of the author's own as OPA reported it", async () => {
  const text = "package repol.deploy.sandbox\n\nx := helpers.missing(1)\n";
  const result = await compileRego(compiler, { files: [{ path: ".repol/policies/sandbox.rego", text, sha: "0".repeat(40) }], generated: [], entrypoints: [] });

  expect(result).toMatchObject({ ok: false, errors: [{ line: 3, message: "undefined function helpers.missing" }] });
});
