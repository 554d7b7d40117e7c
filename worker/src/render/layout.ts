/**
 * The page shell shared by every HTML page: landmarks (header/nav/main/footer), a skip link, and all CSS inline —
 * no fonts, scripts or other external assets, so a page is one request and renders the same offline.
 * Colours are chosen for WCAG AA contrast (≥ 4.5:1 for text) on white.
 */
import { html, raw, type Safe } from './escape.js';
import { formatInterval, formatPercent } from './format.js';
import type { Score } from './view-models.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f8fafc}
a{color:#1d4ed8}a:focus-visible,button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:1}
header.site{background:#0f172a;color:#f8fafc}
header.site .wrap{display:flex;align-items:center;gap:24px;padding-top:12px;padding-bottom:12px}
header.site a{color:#f8fafc;text-decoration:none}.brand{font-weight:700;font-size:17px;letter-spacing:.2px}
header.site nav a{color:#cbd5e1}header.site nav a:hover{color:#fff}
.wrap{max-width:1120px;margin:0 auto;padding:0 20px}
main{padding:24px 0 40px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px}h3{font-size:16px;margin:20px 0 6px}
.lede{color:#475569;margin:0 0 16px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:16px 18px;margin:12px 0}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
.table-scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:0 0 6px;color:#334155}
th,td{padding:7px 10px;border-bottom:1px solid #e2e8f0;text-align:left;vertical-align:middle}
thead th{background:#f1f5f9;font-size:13px;color:#334155;font-weight:600}
tbody tr:hover{background:#f8fafc}
td.num,th.num{text-align:right}
td.num,td.mono,th[scope=row]{white-space:nowrap}
table.compact .bar{display:none}
.muted{color:#64748b}.small{font-size:13px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
.score{font-weight:600}.ci{color:#64748b;font-size:12px;margin-left:6px;white-space:nowrap}
.bar{display:inline-block;position:relative;width:110px;height:10px;background:#f1f5f9;border-radius:5px;vertical-align:middle;margin-left:8px}
.bar .range{position:absolute;top:2px;height:6px;background:#93c5fd;border-radius:3px}
.bar .dot{position:absolute;top:0;width:3px;height:10px;margin-left:-1px;background:#1d4ed8}
tr.chance td,tr.chance th{color:#64748b;font-style:italic;background:#fafafa}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.pill.better{background:#dcfce7;color:#166534}.pill.worse{background:#fee2e2;color:#991b1b}
.pill.same{background:#f1f5f9;color:#334155}.pill.incomplete{background:#fef3c7;color:#92400e}
.pill.verified{background:#e0e7ff;color:#3730a3}
.split{display:flex;gap:16px;flex-wrap:wrap}.split .card{flex:1 1 240px;margin:0}
.big{font-size:28px;font-weight:700;margin:4px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(440px,100%),1fr));gap:16px}
.charts figure{margin:0}.charts svg{width:100%;height:auto;border:1px solid #e2e8f0;border-radius:6px}
.snippet{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}
.snippet input{flex:1 1 240px;min-width:0;width:100%;font:13px ui-monospace,SFMono-Regular,Menlo,monospace;padding:6px 8px;border:1px solid #cbd5e1;border-radius:4px;color:#1f2937;background:#f8fafc}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dl.meta dt{color:#475569}dl.meta dd{margin:0}
.sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
td.pick,th.pick{width:28px;padding-right:0}td.pick input{width:18px;height:18px;margin:0}
table.board th.name,table.board td.name{white-space:normal;overflow-wrap:anywhere;min-width:7em}
.board-actions{margin:8px 0}.board-actions button{font:inherit;padding:5px 12px;border:1px solid #1d4ed8;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
.pager{margin:4px 0 0;color:#475569}
table.compact th,table.compact td{padding:6px 7px}
table.compact td.mono,table.compact td.num{white-space:normal}
table.compact .ci{display:block;margin-left:0}
table.compact th.group-name{padding-left:20px;font-weight:400;white-space:normal}
@media (max-width:720px){table.compact thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.compact tr{display:block;border-bottom:2px solid #e2e8f0;padding:4px 0}table.compact tr.group{padding-left:12px}
table.compact th,table.compact td{display:flex;justify-content:space-between;gap:12px;border:0;padding:2px 6px;text-align:right}
table.compact th[scope=row]{text-align:left;white-space:normal}
table.compact td::before{content:attr(data-label);color:#475569;font-weight:600;text-align:left}
table.compact .ci{display:inline;margin-left:6px}}
@media (max-width:720px){.wide{display:none}.wrap{padding:0 12px}h1{font-size:22px}
table.board .ci{display:block;margin-left:0}table.board .bar{display:none}header.site .wrap{gap:12px}
table.board th,table.board td{padding:6px 5px}table.board th.name,table.board td.name{min-width:4.5em}}
footer.site{border-top:1px solid #e2e8f0;color:#475569;font-size:13px;padding:16px 0 32px}
`;

/** A small mark for browser tabs (served at /favicon.svg; without it browsers ask for /favicon.ico and get a 404). */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0f172a"/>'
  + '<path d="M7 22h4V14H7zm7 0h4V9h-4zm7 0h4V17h-4z" fill="#93c5fd"/></svg>';

export interface PageInput {
  title: string;
  description?: string;
  body: Safe;
}

export function renderPage(page: PageInput): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · medvlm-bench</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
${page.description && html`<meta name="description" content="${page.description}">`}
<style>${raw(CSS)}</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site"><div class="wrap">
<a class="brand" href="/">medvlm-bench</a>
<nav aria-label="Main"><a href="/">Leaderboard</a></nav>
</div></header>
<main id="content" class="wrap">
${page.body}
</main>
<footer class="site"><div class="wrap">Medical VLM benchmark results. Scores are accuracy with 95% Wilson intervals; ranks are ranges where intervals overlap.</div></footer>
</body>
</html>`.value;
}

/** "63.2% 60.1–66.0" plus a small interval bar (decorative: the numbers carry the information). */
export function scoreCell(score: Score | null): Safe {
  if (!score) return html`<span class="muted">—</span>`;
  return html`<span class="score">${formatPercent(score.value)}</span><span class="ci" title="95% interval">${formatInterval(score.ci95)}</span>${intervalBar(score)}`;
}

function intervalBar(score: Score): Safe {
  const [lo, hi] = score.ci95 ?? [score.value, score.value];
  const pct = (v: number) => (v * 100).toFixed(1);
  return html`<span class="bar" aria-hidden="true"><span class="range" style="left:${pct(lo)}%;width:${pct(Math.max(0.005, hi - lo))}%"></span><span class="dot" style="left:${pct(score.value)}%"></span></span>`;
}
