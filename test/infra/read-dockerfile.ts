// A small Dockerfile reader for static checks: instructions grouped by build stage.
import { readFileSync } from "node:fs";

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name: string | null;
  instructions: Instruction[];
}

export function readDockerfile(path: string): Stage[] {
  const logical = readFileSync(path, "utf8")
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, " ") };
    if (instruction.keyword === "FROM") {
      const [, from = "", name = null] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

export function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

/** ENV/ARG values of a stage, from both `KEY=value` pairs and the legacy `KEY value` form. */
export function variablesOf(stage: Stage, keyword: "ENV" | "ARG"): Record<string, string> {
  const values: Record<string, string> = {};
  for (const args of argsOf(stage, keyword)) {
    if (!args.includes("=")) {
      const [key = "", ...rest] = args.split(" ");
      values[key] = rest.join(" ");
      continue;
    }
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      values[match[1]!] = match[2]!.replace(/^"(.*)"$/, "$1");
    }
  }
  return values;
}
