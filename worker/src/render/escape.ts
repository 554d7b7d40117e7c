/**
 * Escaping for HTML and SVG. Every user-controlled string (repository, model, ref, label…) reaches markup only
 * through `html` below, which escapes interpolations unless they are already `Safe` (the output of `html`).
 * One tagged template for both HTML and SVG: the five characters that matter are the same in XML and HTML text
 * and attribute values (attributes are always double-quoted here).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for use in HTML/XML text content or a double-quoted attribute value. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** Markup that is already safe to emit as is. Create it with `html` (or `raw` for trusted constants). */
export class Safe {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = Safe | string | number | boolean | null | undefined | readonly Interpolation[];

/** Trusted markup (e.g. a library's SVG output). Never pass user input here. */
export function raw(markup: string): Safe {
  return new Safe(markup);
}

function renderValue(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Safe) return v.value;
  if (Array.isArray(v)) return v.map(renderValue).join('');
  return escapeMarkup(String(v));
}

/**
 * Tagged template: `html\`<td>${name}</td>\`` escapes `name`; arrays are joined; null/undefined/false vanish
 * (so `${cond && html\`…\`}` works).
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Safe {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += renderValue(values[i]!) + strings[i + 1]!;
  return new Safe(out);
}
