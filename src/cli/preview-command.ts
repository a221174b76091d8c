// `repol preview`: sends a checkout's `.repol/` files to a running repol (POST /audit/preview) and
// prints which recent recorded decisions they would flip. The server replays against its own audit
// store and policy bundle, so the answer is the one the `repol policy preview` check would give.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { EXIT, parseCommandLine, UsageError, type CliIo, type ExitCode } from "./cli-io.js";
import { locateConfigDir } from "./validate-repo-dir.js";

const POLICY_FILES = ["deploy.yaml", "pullrequest.yaml", "org.yaml"];

export async function previewCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, {
    "audit-url": { type: "string" },
    token: { type: "string" },
    repository: { type: "string" },
    owner: { type: "string" },
    limit: { type: "string" },
    format: { type: "string" },
  });
  if (positionals.length > 1) throw new UsageError(`give one checkout directory, got ${positionals.length}`);
  const auditUrl = values["audit-url"];
  if (auditUrl === undefined) throw new UsageError("--audit-url is required: the address of a running repol (e.g. https://repol.example.com)");
  // The token may come from the environment, so it need not appear in shell history or process lists.
  const token = values.token ?? io.env.AUDIT_API_TOKEN;
  if (!token) throw new UsageError("--token (or AUDIT_API_TOKEN) is required: the server's AUDIT_API_TOKEN");
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json (got "${format}")`);

  const configDir = locateConfigDir(resolve(io.cwd, positionals[0] ?? "."));
  const files = Object.fromEntries(
    POLICY_FILES.filter((name) => existsSync(join(configDir, name))).map((name) => [`.repol/${name}`, readFileSync(join(configDir, name), "utf8")]),
  );
  if (Object.keys(files).length === 0) throw new UsageError(`${configDir} holds none of ${POLICY_FILES.join(", ")}`);
  const subject = subjectOf(values.repository, values.owner, dirname(configDir));
  const body = { files, ...subject, ...(values.limit === undefined ? {} : { limit: Number(values.limit) }) };

  let response: Response;
  try {
    response = await fetch(new URL("/audit/preview", auditUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new UsageError(`could not reach ${auditUrl}: ${(error as Error).message}`);
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (format === "json") io.out(JSON.stringify(answer, null, 2));
  if (response.status === 200) {
    if (format === "text") io.out(String((answer.output as { summary?: string } | undefined)?.summary ?? ""));
    return EXIT.ok;
  }
  if (response.status === 422) {
    if (format === "text")
      for (const e of answer.errors as Array<Record<string, unknown>>) io.err(`${String(e.file)}:${String(e.line)}:${String(e.column)}: ${String(e.message)}`);
    return EXIT.failed;
  }
  throw new UsageError(`${auditUrl} answered ${response.status}: ${String(answer.message ?? answer.error ?? "no message")}`);
}

/** --repository / --owner, else the checkout's GitHub remote; a `.github` repository previews for its owner. */
function subjectOf(repository: string | undefined, owner: string | undefined, checkout: string): { repository: string } | { owner: string } {
  if (repository !== undefined && owner !== undefined) throw new UsageError("give --repository or --owner, not both");
  if (repository !== undefined) return { repository };
  if (owner !== undefined) return { owner };
  const remote = originOf(checkout);
  if (remote === null) throw new UsageError(`cannot tell which repository ${checkout} is; pass --repository owner/name (or --owner for .github files)`);
  return remote.name.toLowerCase() === ".github" ? { owner: remote.owner } : { repository: `${remote.owner}/${remote.name}` };
}

function originOf(checkout: string): { owner: string; name: string } | null {
  const config = join(checkout, ".git", "config");
  if (!existsSync(config) || !statSync(config).isFile()) return null;
  const text = readFileSync(config, "utf8");
  const origin = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(text)?.[1];
  const match = origin === undefined ? null : /[:/]([^/:]+)\/([^/]+?)(\.git)?\/?$/.exec(origin);
  return match === null ? null : { owner: match[1]!, name: match[2]! };
}
