// Writes the App's credentials to .env. The file holds the private key, so it is written 0600 (owner
// only) through a rename, which also narrows a .env that existed with wider permissions; lines it does
// not set (comments, other variables) are kept as they were.
import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export function updateDotEnv(path: string, values: Record<string, string>): void {
  const lines = readLines(path);
  const pending = new Map(Object.entries(values));
  const updated = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (name === undefined || !pending.has(name)) return line;
    const value = pending.get(name)!;
    pending.delete(name);
    return `${name}=${formatValue(name, value)}`;
  });
  for (const [name, value] of pending) updated.push(`${name}=${formatValue(name, value)}`);
  const text = `${updated.join("\n").replace(/\n*$/, "")}\n`;
  const staged = `${path}.${process.pid}.tmp`;
  writeFileSync(staged, text, { mode: 0o600 });
  // `mode` applies only to a file it creates; a leftover staged file keeps its own.
  chmodSync(staged, 0o600);
  renameSync(staged, path);
}

/** Plain when that reads back unchanged; double-quoted (newlines as \n, which .env readers expand) otherwise. */
function formatValue(name: string, value: string): string {
  if (/^[^\s"'`#\\]*$/.test(value)) return value;
  if (/["\\]/.test(value.replace(/\n/g, ""))) throw new Error(`cannot write ${name} to .env: its value holds a quote or backslash`);
  return `"${value.replace(/\r?\n/g, "\\n")}"`;
}

function readLines(path: string): string[] {
  try {
    const text = readFileSync(path, "utf8");
    return text === "" ? [] : text.replace(/\n$/, "").split("\n");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
