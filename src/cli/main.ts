#!/usr/bin/env node
// The `repol` command line: check a .repol change before pushing it, evaluate inputs, replay webhooks,
// verify the audit trail.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { EXIT, UsageError, type CliIo, type ExitCode } from "./cli-io.js";
import { AUDIT_USAGE, EVAL_USAGE, PREVIEW_USAGE, REPLAY_USAGE, TEST_USAGE, VALIDATE_USAGE } from "./usage.js";
import { repolVersion } from "./version.js";

type Command = (args: string[], io: CliIo) => Promise<ExitCode>;

// Loaded on demand: `validate` needs neither the WASM engine nor SQLite.
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import("./validate-command.js")).validateCommand,
  eval: async () => (await import("./eval-command.js")).evalCommand,
  test: async () => (await import("./test-command.js")).testCommand,
  replay: async () => (await import("./replay-command.js")).replayCommand,
  audit: async () => (await import("./audit-command.js")).auditCommand,
  preview: async () => (await import("./preview-command.js")).previewCommand,
};

export const USAGE = `usage: repol <command> [options]    (repol --version prints the version)

${VALIDATE_USAGE}

${EVAL_USAGE}

${TEST_USAGE}

${REPLAY_USAGE}

${AUDIT_USAGE}

${PREVIEW_USAGE}

Exit codes: 0 valid / allowed / chain intact / tests pass, 1 invalid config / denied / no decision / chain broken, 2 usage or setup error or (repol test) a failing test.`;

export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const [command, ...args] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "--version" || command === "-V") {
    io.out(`repol ${repolVersion()}`);
    return EXIT.ok;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.err(`repol: unknown command "${command}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.out(USAGE);
    return EXIT.ok;
  }
  try {
    return await (await load())(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`repol ${command}: ${error.message}`);
      return EXIT.usage;
    }
    io.err(`repol ${command}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.failed;
  }
}

// Installed as a bin, argv[1] is a symlink (node_modules/.bin/repol); compare real paths.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    env: process.env,
  };
  // exitCode, not exit(): piped stdout must drain before the process ends.
  runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
