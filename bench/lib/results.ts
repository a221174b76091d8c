// The figures each bench reports, and the one table `npm run bench` ends with. A bench run on its own
// prints its rows; run by bench/run.ts (BENCH_RESULTS_FILE set) it hands them over as JSON lines.
import { appendFileSync, existsSync, readFileSync } from "node:fs";

export interface Figure {
  figure: string;
  goal: string;
  result: string;
  /** null when the figure has no goal of its own. */
  met: boolean | null;
  /** API calls per event are printed last, with the calls by route after the table. */
  calls?: boolean;
}

export interface BenchReport {
  figures: Figure[];
  /** Lines printed after the table (the calls by route). */
  details?: string[];
}

export function report(result: BenchReport): void {
  const file = process.env.BENCH_RESULTS_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
  else printReports([result]);
}

export function readReports(file: string): BenchReport[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BenchReport);
}

export function printReports(reports: BenchReport[]): void {
  const figures = reports.flatMap((r) => r.figures);
  const ordered = [...figures.filter((f) => !f.calls), ...figures.filter((f) => f.calls)];
  const rows = ordered.map((f) => [f.figure, f.goal, f.result, f.met === null ? "-" : f.met ? "yes" : "NO"]);
  const header = ["figure", "goal", "result", "met?"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n${line(header)}`);
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
  const details = reports.flatMap((r) => r.details ?? []);
  if (details.length > 0) console.log(`\n${details.join("\n")}`);
}

/** "1,234" */
export const count = (n: number) => Math.round(n).toLocaleString("en-US");
