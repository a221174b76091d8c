// GET /ui/decisions: the audit trail as a table, with the filters and cursor paging of GET /audit
// (parsed by the same function, so both refuse the same typos).
import type { AuditRecord } from "../../audit/record.js";
import type { AuditStore } from "../../audit/store.js";
import { POLICY_NAMES } from "../../domain/policy-name.js";
import { VERDICT_OUTCOMES } from "../../domain/verdict.js";
import { parseListQuery } from "../audit-params.js";
import { html, type Html } from "./html.js";

const TEXT_FILTERS = [
  ["repository", "Repository", "owner/name"],
  ["environment", "Environment", "production"],
  ["actor", "Actor", "login"],
  ["pr", "Pull request", "42"],
  ["since", "Since", "2025-01-31 or …T08:00:00Z"],
  ["until", "Until", "2025-02-28"],
] as const;

export type DecisionsBody = { status: 200 | 400; body: Html };

export async function decisionsBody(store: AuditStore, query: Record<string, unknown>): Promise<DecisionsBody> {
  // An empty field of the filter form means "any", not an empty value to match.
  const given = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ""));
  const filters = filterForm(given);
  const parsed = parseListQuery(given);
  if (!parsed.ok) return { status: 400, body: html`${filters}<p class="message problem">${parsed.message}</p>` };
  const { rows, next } = await store.query(parsed.value);
  const { cursor: _cursor, ...kept } = given;
  const nextHref = next === null ? null : `/ui/decisions?${new URLSearchParams({ ...(kept as Record<string, string>), cursor: next })}`;
  return {
    status: 200,
    body: html`${filters}${rows.length === 0 ? html`<p class="message">No decisions match these filters.</p>` : table(rows)}
<div class="paging">${given.cursor !== undefined && html`<a href="/ui/decisions?${new URLSearchParams(kept as Record<string, string>)}">First page</a>`}${nextHref && html`<a rel="next" href="${nextHref}">Next page</a>`}</div>`,
  };
}

function filterForm(given: Record<string, unknown>): Html {
  const value = (name: string) => (typeof given[name] === "string" ? given[name] : "");
  const select = (name: string, label: string, options: readonly string[]) =>
    html`<label>${label}<select name="${name}"><option value="">any</option>${options.map(
      (option) => html`<option${value(name) === option ? html` selected` : ""}>${option}</option>`,
    )}</select></label>`;
  return html`<form class="filters" method="get" action="/ui/decisions">
${select("decision", "Decision", VERDICT_OUTCOMES)}
${select("policy", "Policy", POLICY_NAMES)}
${TEXT_FILTERS.map(([name, label, hint]) => html`<label>${label}<input name="${name}" value="${value(name)}" placeholder="${hint}"></label>`)}
<button class="primary" type="submit">Filter</button>
<a href="/ui/decisions">Clear</a>
</form>`;
}

function table(rows: readonly AuditRecord[]): Html {
  return html`<table class="decisions">
<thead><tr><th>Time (UTC)</th><th>Decision</th><th>Policy</th><th>Repository</th><th>Environment</th><th>Ref</th><th>PR</th><th>Actor</th><th>Failed rules</th><th class="num">ms</th></tr></thead>
<tbody>${rows.map(
    (row) => html`<tr>
<td><a href="/ui/decisions/${row.id}">${row.created_at.replace("T", " ").slice(0, 19)}</a></td>
<td><span class="badge ${row.decision}">${row.decision}</span></td>
<td>${row.policy}</td><td>${row.repository}</td><td>${row.environment}</td>
<td class="mono ref">${row.ref}</td><td>${row.pr_number !== null && `#${row.pr_number}`}</td><td>${row.actor}</td>
<td>${row.violations.map((violation) => violation.code).join(", ")}</td><td class="num">${Math.round(row.duration_ms)}</td>
</tr>`,
  )}</tbody>
</table>`;
}
