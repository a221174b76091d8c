// Writes the "Input" section of docs/writing-policies.md from schemas/*-input.schema.json, so the
// documented input cannot drift from the schemas the tests check real inputs against.
// `node scripts/input-docs.mjs` rewrites the section; `--check` only fails when it is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const START = "<!-- input:start: generated from schemas/*-input.schema.json by `npm run docs:input`; edit the schemas, not this section -->";
export const END = "<!-- input:end -->";
const POLICIES = [
  ["deploy-input", "Deployment policy"],
  ["pullrequest-input", "Pull request policy"],
];

const defaultRoot = fileURLToPath(new URL("..", import.meta.url));

/** The generated section, markers included. */
export function renderInputSection(root = defaultRoot) {
  const schemas = new Map();
  const load = (file) => {
    if (!schemas.has(file)) schemas.set(file, JSON.parse(readFileSync(join(root, "schemas", file), "utf8")));
    return schemas.get(file);
  };
  const parts = [START, ""];
  for (const [name, heading] of POLICIES) {
    const file = `${name}.schema.json`;
    const schema = load(file);
    parts.push(`### ${heading}`, "", `${schema.description} (\`schemas/${file}\`)`, "", "| Key | Type | Description |", "| --- | --- | --- |");
    for (const row of rows(schema, file, load, "")) parts.push(`| \`${row.key}\` | ${row.type} | ${escapeCell(row.description)} |`);
    parts.push("");
  }
  parts.push(END);
  return parts.join("\n");
}

/** Follows `$ref` (in this file or another schema) and a lone `allOf`, keeping the outer description. */
function resolve(schema, file, load) {
  let current = { schema, file };
  let description = schema.description;
  for (;;) {
    const { schema: s, file: f } = current;
    if (s.$ref) {
      const [target, pointer = ""] = s.$ref.split("#");
      const targetFile = target || f;
      let next = load(targetFile);
      for (const part of pointer.split("/").filter(Boolean)) next = next[part];
      current = { schema: next, file: targetFile };
    } else if (Array.isArray(s.allOf) && s.allOf.length === 1) current = { schema: s.allOf[0], file: f };
    else return { ...current, description: description ?? s.description };
    description ??= current.schema.description;
  }
}

function rows(schema, file, load, prefix) {
  const found = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${key}`;
    const { schema: s, file: f, description } = resolve(property, file, load);
    if (!description) throw new Error(`${file}: ${path} has no description; every input key must say what it is`);
    const optional = (schema.required ?? []).includes(key) ? "" : " (optional)";
    found.push({ key: path, type: `${typeOf(s, f, load)}${optional}`, description });
    found.push(...nested(s, f, load, path));
  }
  return found;
}

/** The keys inside an object, or inside each item of a list (`key[].inner`), or inside the non-null branch. */
function nested(schema, file, load, path) {
  if (schema.properties) return rows(schema, file, load, `${path}.`);
  if (schema.items) {
    const item = resolve(schema.items, file, load);
    return nested(item.schema, item.file, load, `${path}[]`);
  }
  const branch = (schema.anyOf ?? []).map((option) => resolve(option, file, load)).find((option) => option.schema.type !== "null");
  return branch ? nested(branch.schema, branch.file, load, path) : [];
}

function typeOf(schema, file, load) {
  if (schema.enum) return `one of ${schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(", ")}`;
  const typeOfPart = (part) => {
    const resolved = resolve(part, file, load);
    return typeOf(resolved.schema, resolved.file, load);
  };
  if (schema.anyOf) return schema.anyOf.map(typeOfPart).join(" or ");
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? "any"];
  return types
    .map((type) => {
      if (type === "array") {
        const item = typeOfPart(schema.items ?? {});
        return `list of ${item.includes(" or ") ? `(${item})` : item}`;
      }
      if (type === "string" && schema.format === "date-time") return "string (RFC 3339 date-time)";
      return type;
    })
    .join(" or ");
}

function escapeCell(text) {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** `doc` with its section between the markers replaced; an error when the markers are missing. */
export function withInputSection(doc, section) {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/writing-policies.md lacks the markers of the input section:\n${START}\n${END}`);
  return doc.slice(0, start) + section + doc.slice(end + END.length);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const path = join(defaultRoot, "docs", "writing-policies.md");
  const doc = readFileSync(path, "utf8");
  const updated = withInputSection(doc, renderInputSection());
  if (process.argv.includes("--check")) {
    if (updated !== doc) {
      console.error("docs/writing-policies.md's input section is out of date: run npm run docs:input");
      process.exit(1);
    }
  } else if (updated !== doc) writeFileSync(path, updated);
}
