import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, htmlAttributes, joinHtml } from '../../lambdas/core/html';

/** The one template-and-escape helper of the form pages and the letters. */

const readAsText = (text: string) =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');

describe('html', () => {
  it('escapes what is interpolated and lets markup made by html through as it is', () => {
    // Prepare
    const typed = '"><script>alert(1)</script>';
    const emphasis = html`<em>${typed}</em>`;

    // Act
    const page = html`<p title="${typed}">${emphasis} & ${42}</p>`.text;

    // Assess
    expect(page).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><em>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</em> & 42</p>',
    );
  });

  it('leaves out false, null and undefined, and runs lists together', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${false}${null}${undefined}`.text).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>',
    );
  });

  it('joins items with a markup separator, escaping each item', () => {
    expect(joinHtml(['1 High St', 'Town & <Country>'], html`<br>`).text).toBe(
      '1 High St<br>Town &amp; &lt;Country&gt;',
    );
  });

  it('writes set attributes, bare when true, escaped when text', () => {
    expect(
      htmlAttributes({ id: 'x', value: 'a"b', required: true, hidden: false, title: undefined }).text,
    ).toBe(' id="x" value="a&quot;b" required');
  });

  it('never lets typed text become markup, and loses none of it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (typed) => {
        const escaped = html`${typed}`.text;
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped).toBe(escapeHtml(typed));
        expect(readAsText(escaped)).toBe(typed);
      }),
    );
  });
});
