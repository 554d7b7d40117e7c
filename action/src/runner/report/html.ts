/**
 * report.html: one self-contained page. The data is one JSON blob in a `<script type="application/json">` (never
 * executed; every `<`, `>` and `&` escaped, so a response containing `</script>` cannot close it), the page script
 * renders it with DOM text nodes only (no innerHTML of data), and a Content-Security-Policy allows nothing but that
 * one script and stylesheet (by hash) and data: images: no network request is possible, and an injected
 * `<script>` or `onerror=` would not run even if escaping failed.
 */
import { createHash } from 'node:crypto';
import { CLIENT_JS } from './client.js';
import { REPORT_CSS } from './style.js';
import type { ReportData, ReportItem } from './types.js';

/** JSON safe inside a script element: no `<`, `>` or `&` (so no `</script>` or `<!--`), no line separators. */
export function scriptJson(value: unknown): string {
  // one pass: a 100 MB blob is copied once, not once per character class
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export function renderReportHtml(data: ReportData): string {
  return [...reportHtmlChunks(data)].join('');
}

/**
 * The page in pieces, the data blob item by item (in pieces of about CHUNK_CHARS characters), so a 100,000-item report is written
 * without ever holding its whole JSON text — 70 MB or more, twice over while escaping — in memory.
 */
export function* reportHtmlChunks(data: ReportData, expand: (item: ReportItem) => ReportItem = (i) => i): Generator<string> {
  const [head, tail] = pageShell(data).split(BLOB);
  yield head!;
  yield* dataJson(data, expand);
  yield tail!;
}

const BLOB = '\u0000REPORT-DATA\u0000';
/**
 * characters per written piece: small enough that a piece is an ordinary short-lived string (V8 puts strings over
 * ~128 kB in its large-object space, where each one waits for a full collection)
 */
const CHUNK_CHARS = 64 * 1024;

/**
 * Same value as scriptJson(data), key order aside: top-level fields, thumbnails, then each benchmark's items, each
 * passed through `expand` first (the report's deferred text is read back there, one chunk of items at a time).
 */
function* dataJson(d: ReportData, expand: (item: ReportItem) => ReportItem): Generator<string> {
  const { thumbs, benchmarks, ...top } = d;
  yield `${scriptJson(top).slice(0, -1)},"thumbs":[`;
  yield* joined(thumbs, scriptJson);
  yield '],"benchmarks":[';
  for (const [bi, b] of benchmarks.entries()) {
    const { items, ...rest } = b;
    yield `${bi ? ',' : ''}${scriptJson(rest).slice(0, -1)},"items":[`;
    yield* joined(items, (item) => scriptJson(expand(item)));
    yield ']}';
  }
  yield ']}';
}

/** `values.map(json).join(',')` in pieces of about CHUNK_CHARS characters. */
function* joined<T>(values: T[], json: (v: T) => string): Generator<string> {
  let piece = '';
  for (const [i, v] of values.entries()) {
    piece += i ? `,${json(v)}` : json(v);
    if (piece.length >= CHUNK_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

function pageShell(data: ReportData): string {
  const csp = `default-src 'none'; img-src data:; style-src ${hash(REPORT_CSS)}; script-src ${hash(CLIENT_JS)}; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(data.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.title)}</h1>
<p id="meta"></p>
<p id="notice">This page holds questions and model responses: keep it where the data may be. Loading…</p>
</header>
<nav aria-label="Benchmarks and views">
<label for="bench">Benchmark</label> <select id="bench"></select>
<span id="views" role="tablist"></span>
</nav>
<main>
<section id="overview" aria-label="Overview"></section>
<form id="filters" role="search" aria-label="Filters"></form>
<p id="count" aria-live="polite"></p>
<div id="list"></div>
</main>
<footer><p id="notes"></p></footer>
<script type="application/json" id="report-data">${BLOB}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
