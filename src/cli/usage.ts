// What `repol --help` prints; kept apart so help does not load the policy engine.

export const VALIDATE_USAGE = `repol validate [dir] [--format text|json|github]
  Validates <dir>/.repol/*.yaml (default: the current directory) against repol's schemas, org.yaml included,
  and compiles the custom rules in <dir>/.repol/policies/**/*.rego with the pinned OPA, in repol's sandbox.
  Errors print as file:line:col: message. --format github also emits workflow annotations.`;

export const EVAL_USAGE = `repol eval deploy|pullrequest --input <input.json|-> [--config <.repol/file.yaml>] [--rules <checkout>] [--format text|json] [--bundle <policy.wasm>]
  Evaluates a full policy input. --config validates a local config file and uses it as the input's repo_policy.
  Custom rules of <checkout>/.repol/policies (default: the current directory, when it has them) are
  evaluated too, as the App evaluates them; a blocking finding or a rule error exits 1.`;

export const TEST_USAGE = `repol test [dir] [--examples <folder>] [--format text|json]
  Runs the *_test.rego files of <dir>/.repol/policies (default: the current directory) twice: through
  the WASM build repol evaluates in production and through \`opa test\`, and fails when they disagree.
  JSON files in <folder> (default: <dir>/schemas/examples, when present) are data.repol.examples.<name>.
  Exit codes as \`opa test\`: 0 all pass, 2 a test failed or the engines disagree, 1 the rules do not compile.`;

export const REPLAY_USAGE = `repol replay <webhook.json> --event <name> --facts <facts.json> [--config <.repol/file.yaml>] [--now <ISO 8601>] [--format text|json] [--bundle <policy.wasm>]
  Replays a saved deployment_protection_rule, pull_request or pull_request_review payload against
  recorded GitHub facts (see docs/check-your-policy.md).
  --config replaces the recorded .repol file with a local one; --now pins the time judged (daily limits, windows, freezes).
repol replay --audit-id <id> [--format text|json] [--bundle <policy.wasm>]
  Evaluates a recorded decision's stored input again under the policy bundle that made it (kept in
  the audit store: DATABASE_URL, else AUDIT_DB_PATH) and under the current bundle. Exits 0 when the
  recorded policy gives the recorded decision again, 1 when it differs or the row cannot be replayed.`;

export const AUDIT_USAGE = `repol audit verify [--format text|json]
  Walks the audit trail's hash chain in the server's database (DATABASE_URL, else AUDIT_DB_PATH) and
  names the first row that was edited, deleted or reordered; exit 0 when every row verifies.`;

export const PREVIEW_USAGE = `repol preview --audit-url <url> [--token <token>] [--repository owner/name | --owner <owner>] [--limit <n>] [--format text|json] [dir]
  Sends <dir>/.repol/ (deploy.yaml, pullrequest.yaml, org.yaml) to a running repol, which replays its
  recent recorded decisions under them, and prints those that would flip. The token defaults to
  AUDIT_API_TOKEN; the repository to the checkout's origin remote (a .github checkout previews for
  its owner). Exit 0 with the table, 1 when the files are invalid.`;
