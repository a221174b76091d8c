// Decisions per day as an SVG of stacked bars, drawn on the server: no script, nothing to load, and
// every label goes through the same escaping as the rest of the page.
import { VERDICT_OUTCOMES } from "../../domain/verdict.js";
import { html, type Html } from "./html.js";
import type { DayCounts } from "./overview-figures.js";

const WIDTH = 900;
const HEIGHT = 220;
const LEFT = 40;
const BOTTOM = 24;
const TOP = 10;

export function dayChart(days: readonly DayCounts[]): Html {
  const max = Math.max(1, ...days.map((day) => VERDICT_OUTCOMES.reduce((sum, outcome) => sum + day[outcome], 0)));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const bars = days.map((day, i) => {
    const x = LEFT + i * slot + (slot - barWidth) / 2;
    let top = HEIGHT - BOTTOM;
    const parts = VERDICT_OUTCOMES.filter((outcome) => day[outcome] > 0).map((outcome) => {
      const height = (day[outcome] / max) * plotHeight;
      top -= height;
      return html`<rect class="bar ${outcome}" data-day="${day.day}" data-count="${day[outcome]}" x="${fixed(x)}" y="${fixed(top)}" width="${fixed(barWidth)}" height="${fixed(height)}"><title>${day.day}: ${day[outcome]} ${outcome}</title></rect>`;
    });
    return html`<g>${parts}</g>`;
  });
  const labelEvery = Math.max(1, Math.ceil(days.length / 6));
  const labels = days.map((day, i) =>
    i % labelEvery === 0 || i === days.length - 1
      ? html`<text x="${fixed(LEFT + i * slot + slot / 2)}" y="${HEIGHT - 6}" text-anchor="middle">${day.day.slice(5)}</text>`
      : null,
  );
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Decisions per day by outcome">
<line class="axis" x1="${LEFT}" y1="${HEIGHT - BOTTOM}" x2="${WIDTH}" y2="${HEIGHT - BOTTOM}"/>
<line class="axis" x1="${LEFT}" y1="${TOP}" x2="${WIDTH}" y2="${TOP}"/>
<text x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end">${max}</text>
<text x="${LEFT - 6}" y="${HEIGHT - BOTTOM}" text-anchor="end">0</text>
${bars}${labels}
</svg>
<p class="legend">${VERDICT_OUTCOMES.map((outcome) => html`<span><span class="swatch ${outcome}"></span>${outcome}</span>`)}</p>`;
}

function fixed(value: number): string {
  return value.toFixed(1);
}
