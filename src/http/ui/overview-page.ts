// GET /ui: what repol decided lately, what failed most, how long decisions took, and what is still
// waiting to reach GitHub.
import type { AuditStore } from "../../audit/store.js";
import { dayChart } from "./day-chart.js";
import { html, type Html } from "./html.js";
import { overviewFigures, windowStart, type OverviewFigures } from "./overview-figures.js";
import type { OutboxStatus } from "../../durability/work-store.js";

export const OVERVIEW_DAYS = 30;

export async function overviewBody(store: AuditStore, now: Date): Promise<Html> {
  const figures = await overviewFigures(store.stream({ since: windowStart(now, OVERVIEW_DAYS) }), now, OVERVIEW_DAYS);
  const outbox = store.outbox ? await store.outbox.counts() : null;
  return html`${cards(figures, outbox)}
<h2>Decisions per day, last ${OVERVIEW_DAYS} days (UTC)</h2>
${dayChart(figures.perDay)}
<h2>Top failing rules</h2>
${topRules(figures)}`;
}

function cards(figures: OverviewFigures, outbox: Record<OutboxStatus, number> | null): Html {
  const card = (label: string, value: string | number, href?: string) =>
    html`<div class="card"><div class="value">${href ? html`<a href="${href}">${value}</a>` : value}</div><div class="label">${label}</div></div>`;
  const ms = (value: number | null) => (value === null ? "–" : `${Math.round(value)} ms`);
  return html`<div class="cards">
${card(`decisions, last ${OVERVIEW_DAYS} days`, figures.total, `/ui/decisions?since=${figures.since.slice(0, 10)}`)}
${card("decision time p50", ms(figures.p50))}
${card("decision time p95", ms(figures.p95))}
${card("answers waiting to reach GitHub", outbox ? outbox.pending : "not kept")}
${card("answers GitHub never took (given up)", outbox ? outbox.dead : "not kept")}
</div>`;
}

function topRules(figures: OverviewFigures): Html {
  if (figures.topRules.length === 0) return html`<p class="muted">No denied decisions in this window.</p>`;
  return html`<table class="top-rules">
<thead><tr><th>Rule (violation code)</th><th class="num">Denied decisions</th></tr></thead>
<tbody>${figures.topRules.map((rule) => html`<tr><td><code>${rule.code}</code></td><td class="num">${rule.count}</td></tr>`)}</tbody>
</table>
<p class="muted"><a href="/ui/decisions?decision=deny">All denied decisions</a></p>`;
}
