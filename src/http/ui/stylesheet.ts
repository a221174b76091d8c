// The one stylesheet of /ui, served from repol itself (the CSP allows styles from 'self' only, none inline).
import type { RequestHandler } from "express";

export const STYLESHEET_PATH = "/ui/static/repol.css";

const CSS = `
:root { --allow: #2da44e; --deny: #cf222e; --error: #bf8700; --line: #d0d7de; --muted: #57606a; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; background: #fff; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #24292f; }
header.top a { color: #fff; }
header.top .brand { font-weight: 600; font-size: 16px; }
header.top nav { display: flex; gap: 16px; flex: 1; }
header.top .sign-out button { background: none; border: 1px solid #57606a; color: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
main { max-width: 1200px; margin: 0 auto; padding: 8px 24px 48px; }
h1 { font-size: 22px; font-weight: 600; }
h2 { font-size: 16px; font-weight: 600; margin-top: 28px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 150px; background: var(--bg); }
.card .value { font-size: 22px; font-weight: 600; }
.card .label { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-all; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow: auto; max-height: 600px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; color: #fff; font-size: 12px; font-weight: 600; }
.badge.allow { background: var(--allow); } .badge.deny { background: var(--deny); } .badge.error { background: var(--error); } .badge.pending { background: var(--muted); }
.muted { color: var(--muted); }
.message { padding: 12px 16px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.message.problem { border-color: var(--deny); color: var(--deny); }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; margin-bottom: 16px; }
form.filters label, form.sign-in label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
input, select { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; }
button.primary { font: inherit; background: #1f883d; color: #fff; border: 0; border-radius: 6px; padding: 5px 14px; cursor: pointer; }
form.sign-in { display: flex; flex-direction: column; gap: 12px; max-width: 420px; }
.paging { margin-top: 12px; display: flex; gap: 16px; }
svg.chart { width: 100%; max-width: 900px; height: auto; }
svg.chart .bar.allow, .legend .allow { fill: var(--allow); background: var(--allow); }
svg.chart .bar.deny, .legend .deny { fill: var(--deny); background: var(--deny); }
svg.chart .bar.error, .legend .error { fill: var(--error); background: var(--error); }
svg.chart .bar.pending, .legend .pending { fill: var(--muted); background: var(--muted); }
svg.chart .axis { stroke: var(--line); }
svg.chart text { fill: var(--muted); font-size: 11px; }
.legend { display: flex; gap: 16px; margin: 4px 0 0; }
.legend span.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
`;

export function serveStylesheet(): RequestHandler {
  return (_req, res) => {
    res.set("Cache-Control", "public, max-age=300").type("css").send(CSS);
  };
}
