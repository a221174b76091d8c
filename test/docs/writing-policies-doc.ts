// docs/writing-policies.md read as data, and the worked examples it shows, so tests can hold the
// guide to the code and files it describes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyName } from "../../src/domain/policy-name.js";
import { repoRoot } from "../helpers/policy-bundle.js";

export const guide = readFileSync(join(repoRoot, "docs", "writing-policies.md"), "utf8");

/** The text under a `## heading`, up to the next heading of that level. */
export function section(heading: string): string {
  const start = guide.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/writing-policies.md has no "## ${heading}" section`);
  const end = guide.indexOf("\n## ", start + 1);
  return guide.slice(start, end < 0 ? undefined : end);
}

/** The cells of one column of the Markdown table(s) in `text`, header and separator rows left out. */
export function tableColumn(text: string, column: number): string[] {
  const rows = text.split("\n").filter((line) => line.startsWith("| "));
  return rows
    .map((row) => row.split(" | ").map((cell) => cell.replace(/^\| | \|$/g, "").trim()))
    .filter((cells, i, all) => !/^-+$/.test(cells[0] ?? "") && !/^-+$/.test(all[i + 1]?.[0] ?? ""))
    .map((cells) => cells[column] ?? "");
}

/** Backticked names in a cell, e.g. "`tests_passed`, `required_checks`" → both names. */
export const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);

/** Every fenced block of a language, with the line that introduces it. */
export function fencedBlocks(language: string): { intro: string; body: string }[] {
  const pattern = new RegExp(`([^\\n]*)\\n\\n\`\`\`${language}\\n([\\s\\S]*?)\`\`\`\\n`, "g");
  return [...guide.matchAll(pattern)].map((match) => ({ intro: match[1] as string, body: match[2] as string }));
}

export interface WorkedExample {
  /** Folder under examples/policies: laid out like a repository checkout. */
  folder: string;
  policy: PolicyName;
  /** What `repol eval` finds on the folder's input.json. */
  finding: { package: string; code: string; enforcement: "block" | "warn" };
}

export const workedExamples: WorkedExample[] = [
  {
    folder: "change-approved-label",
    policy: "deploy",
    finding: { package: "repol.deploy.change_approved", code: "change_approved.missing", enforcement: "block" },
  },
  {
    folder: "infra-approvals",
    policy: "pullrequest",
    finding: { package: "repol.pullrequest.infra_approvals", code: "infra.approvals_insufficient", enforcement: "block" },
  },
  {
    folder: "do-not-merge",
    policy: "pullrequest",
    finding: { package: "repol.pullrequest.do_not_merge", code: "labels.do_not_merge", enforcement: "block" },
  },
  {
    folder: "large-pull-request",
    policy: "pullrequest",
    finding: { package: "repol.pullrequest.large_pull_request", code: "size.large", enforcement: "warn" },
  },
];

export const exampleDir = (example: WorkedExample): string => join(repoRoot, "examples", "policies", example.folder);
