// repol validate [dir] [--format text|json|github]
import { renderConfigErrors } from "../policy/load-repo-config.js";
import { EXIT, formatOf, parseCommandLine, UsageError, type CliIo, type ExitCode } from "./cli-io.js";
import { shownFrom, validateRepoDir, type DirVerdict } from "./validate-repo-dir.js";
import { validateRuleFiles } from "./validate-rule-files.js";

const OPTIONS = { format: { type: "string" } } as const;

export async function validateCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (positionals.length > 1) throw new UsageError(`validate takes one directory, got ${positionals.length}`);
  const format = formatOf(values.format, ["text", "json", "github"]);
  const { root, ...dirVerdict } = validateRepoDir(positionals[0] ?? ".", io.cwd);
  const rules = await validateRuleFiles(root, shownFrom(io.cwd));
  const files = [...dirVerdict.files, ...rules];
  const verdict = { ...dirVerdict, files, valid: files.every((file) => file.errors.length === 0) };
  if (format === "json") io.out(JSON.stringify(verdict, null, 2));
  else printText(verdict, io, format === "github");
  return verdict.valid ? EXIT.ok : EXIT.failed;
}

function printText(verdict: Omit<DirVerdict, "root">, io: CliIo, annotate: boolean): void {
  for (const { file, errors } of verdict.files) {
    if (errors.length === 0) {
      io.out(`${file}: ok`);
      continue;
    }
    io.out(renderConfigErrors(errors));
    if (annotate) {
      for (const error of errors) io.out(`::error file=${escapeProperty(error.file)},line=${error.line},col=${error.column}::${escapeData(error.message)}`);
    }
  }
  const failed = verdict.files.filter((file) => file.errors.length > 0);
  const count = failed.reduce((sum, file) => sum + file.errors.length, 0);
  io.out(
    failed.length === 0
      ? `${verdict.configDir}: valid`
      : `${verdict.configDir}: ${count} error${count === 1 ? "" : "s"} in ${failed.length} file${failed.length === 1 ? "" : "s"}`,
  );
}

// GitHub's workflow command encoding.
function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
