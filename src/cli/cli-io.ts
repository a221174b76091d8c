// What every `repol` command is handed: where to write, and how to say "you called me wrong".
import { parseArgs, type ParseArgsConfig } from "node:util";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Exit codes: 0 valid / allowed, 1 invalid config or denied (or no decision), 2 usage or setup error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A problem with how repol was called or what it was pointed at: exit 2, message on stderr. */
export class UsageError extends Error {}

export type OutputFormat = "text" | "json";

export function formatOf(value: string | undefined, allowed: readonly string[] = ["text", "json"]): string {
  const format = value ?? "text";
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of: ${allowed.join(", ")} (got "${format}")`);
  return format;
}

/** A command's arguments with positionals allowed; an unknown or malformed option is a UsageError. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
