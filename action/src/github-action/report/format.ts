/** Number and markdown formatting shared by gate messages and reports. */

export function fmt(x: number): string {
  return x.toFixed(3);
}

/** Signed with a real minus sign, so columns of differences line up and read well. */
export function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function fmtP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export function label(benchmark: string, group: string | null | undefined): string {
  return group ? `${benchmark} [${group}]` : benchmark;
}

/** Escape text from results (labels, group values) for a markdown table cell; no HTML tag gets through. */
export function cell(s: string): string {
  return s
    // only a `<` that could open a tag or comment is neutralised, so "0.25 < 0.70" stays readable
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/[\\|`*_[\]]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** A markdown table; when `maxRows` cuts rows, a last line says how many were left out and where to find them. */
export function table(header: string[], rows: string[][], maxRows = Infinity, moreHint = 'see the job summary'): string {
  const shown = rows.slice(0, maxRows);
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...shown.map((r) => `| ${r.join(' | ')} |`)];
  if (rows.length > shown.length) lines.push('', `_… ${rows.length - shown.length} more rows not shown (${moreHint})._`);
  return lines.join('\n');
}
