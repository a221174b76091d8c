// docs/writing-policies.md documents each policy's input from the schemas themselves; this fails when
// a schema changed and the section was not regenerated, or when a key has nothing to say for itself.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/policy-bundle.js";

interface InputDocs {
  START: string;
  END: string;
  renderInputSection(root?: string): string;
  withInputSection(doc: string, section: string): string;
}

let docs: InputDocs;
const copies: string[] = [];
beforeAll(async () => {
  docs = (await import(pathToFileURL(join(repoRoot, "scripts", "input-docs.mjs")).href)) as InputDocs;
});
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

describe("the generated input section of docs/writing-policies.md", () => {
  it("is what the schemas generate today (run `npm run docs:input` after changing a schema)", () => {
    const doc = readFileSync(join(repoRoot, "docs", "writing-policies.md"), "utf8");
    expect(doc).toContain(docs.renderInputSection());
  });

  it("lists nested keys under their path, with each key's type and description", () => {
    const section = docs.renderInputSection();
    expect(section).toContain("| `pull_request.changed_files_truncated` | boolean | true when `changed_files` holds fewer files");
    expect(section).toContain("| `pull_requests` | list of (object or null) |");
    expect(section).toContain("| `deployment.creator` | string or null |");
  });

  it("refuses a schema key without a description", () => {
    const root = mkdtempSync(join(tmpdir(), "repol-input-docs-"));
    copies.push(root);
    cpSync(join(repoRoot, "schemas"), join(root, "schemas"), { recursive: true });
    const path = join(root, "schemas", "policy-input-facts.schema.json");
    const schema = JSON.parse(readFileSync(path, "utf8"));
    delete schema.definitions.pull_request.properties.title.description;
    writeFileSync(path, JSON.stringify(schema));
    expect(() => docs.renderInputSection(root)).toThrow("pull_requests[].title has no description");
  });

  it("replaces only what lies between the markers, and refuses a document without them", () => {
    const doc = `# Before\n${docs.START}\nstale\n${docs.END}\nAfter\n`;
    expect(docs.withInputSection(doc, `${docs.START}\nfresh\n${docs.END}`)).toBe(`# Before\n${docs.START}\nfresh\n${docs.END}\nAfter\n`);
    expect(() => docs.withInputSection("# No markers\n", "x")).toThrow("lacks the markers");
  });
});
