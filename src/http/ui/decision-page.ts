// GET /ui/decisions/:id: one decision, with the facts it was made on, the policy that made it, and
// every attempt to carry it to GitHub.
import type { AuditRecord } from "../../audit/record.js";
import type { Violation } from "../../domain/verdict.js";
import type { OutboxEntry } from "../../durability/work-store.js";
import { githubLinksOf } from "./github-links.js";
import { html, type Html } from "./html.js";

export function decisionBody(record: AuditRecord, entries: readonly OutboxEntry[] | null, githubApiUrl: string): Html {
  const links = githubLinksOf(record, entries ?? [], githubApiUrl);
  return html`<p><span class="badge ${record.decision}">${record.decision}</span> <span class="muted">${record.policy} policy, ${record.created_at}</span></p>
${links.length > 0 && html`<p class="links">${links.map((link, i) => html`${i > 0 && " · "}<a href="${link.href}">${link.label}</a>`)}</p>`}
<dl class="facts">
${fact("Repository", record.repository)}${fact("Environment", record.environment)}${fact("Ref", record.ref)}${fact("Commit", record.sha)}
${fact("Pull request", record.pr_number === null ? null : `#${record.pr_number}`)}${fact("Actor", record.actor)}
${fact("Event", [record.event, record.action].filter(Boolean).join("."))}${fact("Delivery", record.delivery_id)}
${fact("Decision time", `${record.duration_ms} ms`)}${fact("Policy bundle digest", record.bundle_digest)}${fact("Config blob SHA", record.config_sha)}
${fact("Audit id", record.id)}
</dl>
${record.error !== null && html`<h2>Error</h2><p class="message problem">${record.error}</p>`}
<h2>Violations</h2>
${violationTable(record.violations, "No rule failed.")}
<h2>Warnings</h2>
${violationTable(record.warnings, "No rule set to warn failed.")}
<h2>Answer to GitHub</h2>
${answer(record, entries)}
<h2>Policy input (the facts)</h2>
<pre class="input">${JSON.stringify(record.input, null, 2)}</pre>`;
}

function fact(label: string, value: string | null): Html {
  return html`<dt>${label}</dt><dd class="mono">${value ?? html`<span class="muted">–</span>`}</dd>`;
}

function violationTable(violations: readonly Violation[], none: string): Html {
  if (violations.length === 0) return html`<p class="muted">${none}</p>`;
  return html`<table class="violations"><thead><tr><th>Rule</th><th>Message</th><th>Detail</th></tr></thead><tbody>${violations.map(
    ({ code, msg, ...detail }) =>
      html`<tr><td><code>${code}</code></td><td>${msg}</td><td>${Object.keys(detail).length > 0 && html`<pre>${JSON.stringify(detail, null, 2)}</pre>`}</td></tr>`,
  )}</tbody></table>`;
}

function answer(record: AuditRecord, entries: readonly OutboxEntry[] | null): Html {
  const effect = record.effect;
  const outcome = effect.ok ? "delivered" : effect.superseded_by ? "superseded" : "not delivered";
  const current = html`<p>Latest outcome: <strong>${outcome}</strong> (${effect.kind}${effect.status !== undefined && `, GitHub answered ${effect.status}`})${
    effect.superseded_by && html` by <a href="/ui/decisions/${effect.superseded_by}">a newer decision</a>`
  }${effect.error && html`: <span class="mono">${effect.error}</span>`}</p>`;
  if (entries === null) return html`${current}<p class="muted">This store keeps no outbox.</p>`;
  if (entries.length === 0)
    return html`${current}<p class="muted">No queued attempts are kept for this decision (none were queued, or finished ones were purged).</p>`;
  return html`${current}<table class="attempts"><thead><tr><th>Call</th><th>Status</th><th class="num">Attempts</th><th>Last error</th><th>Queued</th><th>Next attempt</th></tr></thead>
<tbody>${entries.map(
    (entry) => html`<tr><td>${entry.kind}</td><td>${entry.status}</td><td class="num">${entry.attempts}</td><td class="mono">${entry.last_error}</td>
<td>${entry.created_at}</td><td>${entry.status === "pending" ? entry.next_attempt_at : "–"}</td></tr>`,
  )}</tbody></table>`;
}
