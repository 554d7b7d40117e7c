/** The item report's stylesheet (inlined; hashed into the page's Content-Security-Policy). */
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg2: #f6f8fa; --good: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --bg2: #161b22; --good: #3fb950; --bad: #f85149; --warn: #d29922; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1200px; padding: 0 16px 48px; }
h1 { font-size: 20px; margin: 16px 0 4px; } h2 { font-size: 16px; margin: 20px 0 8px; }
#meta, #count, #notes, .muted { color: var(--muted); }
#notice { font-size: 12px; color: var(--muted); }
nav, #filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 8px 0; border-bottom: 1px solid var(--line); }
#views button { border: 1px solid var(--line); background: var(--bg2); color: inherit; padding: 4px 10px; border-radius: 6px; cursor: pointer; }
#views button[aria-selected="true"] { border-color: var(--fg); font-weight: 600; }
select, input { font: inherit; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; }
.item { border: 1px solid var(--line); border-radius: 8px; margin: 10px 0; padding: 8px 12px; }
.item header { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; }
.item h3 { font: 600 13px ui-monospace, monospace; margin: 0 8px 0 0; }
.badge { font-size: 12px; border-radius: 10px; padding: 0 8px; border: 1px solid var(--line); }
.b-correct { color: var(--good); border-color: var(--good); } .b-wrong, .b-error, .b-regressed { color: var(--bad); border-color: var(--bad); }
.b-unparsed, .b-truncated { color: var(--warn); border-color: var(--warn); } .b-improved { color: var(--good); border-color: var(--good); }
.grp { font-size: 12px; color: var(--muted); }
.body { display: flex; gap: 12px; margin-top: 6px; } .thumbs { display: flex; flex-direction: column; gap: 4px; flex: none; }
.thumbs img { max-width: 128px; max-height: 128px; border-radius: 4px; background: var(--bg2); }
.text { min-width: 0; flex: 1; } .q { white-space: pre-wrap; margin: 0 0 6px; }
ol.opts { margin: 0 0 6px; padding-left: 0; list-style: none; } ol.opts li { padding: 1px 4px; border-radius: 4px; }
.gold { background: color-mix(in srgb, var(--good) 15%, transparent); } .picked { outline: 1px dashed var(--fg); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 4px 0; } dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
details { margin: 4px 0; } summary { cursor: pointer; color: var(--muted); }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg2); padding: 8px; border-radius: 6px; max-height: 480px; overflow: auto; margin: 4px 0; }
button.more { margin: 8px 0; padding: 6px 14px; border: 1px solid var(--line); background: var(--bg2); color: inherit; border-radius: 6px; cursor: pointer; }
`;
