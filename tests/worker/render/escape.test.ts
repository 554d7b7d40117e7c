import { describe, expect, it } from 'vitest';
import { escapeMarkup, html, raw } from '../../../worker/src/render/escape.js';
import { EVIL } from './fixtures.js';

describe('escapeMarkup / html', () => {
  it('escapes the five markup characters', () => {
    expect(escapeMarkup(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('escapes interpolations in text and attributes but not nested html or raw', () => {
    const out = html`<p title="${EVIL}">${EVIL}${html`<b>${EVIL}</b>`}${raw('<i>ok</i>')}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(out).toContain('<b>&lt;script&gt;');
    expect(out).toContain('<i>ok</i>');
  });

  it('joins arrays and drops null, undefined and false', () => {
    const items = ['a<', 'b'];
    expect(html`${items.map((x) => html`<li>${x}</li>`)}${null}${undefined}${false}${0}`.value)
      .toBe('<li>a&lt;</li><li>b</li>0');
  });
});
