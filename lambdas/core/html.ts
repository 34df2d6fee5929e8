/**
 * The one template-and-escape helper for every page and letter the product writes as HTML. `html` escapes
 * each interpolated value unless it is already `Html` (made by `html` itself), so text someone typed, such
 * as `<script>`, is shown as text wherever it lands (P4: a sender's input never becomes markup).
 */

/** Markup that is safe as it is: only `html`, `joinHtml` and `htmlAttributes` make it. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What a template may interpolate: markup, text (escaped), nothing (`false`, null, undefined), lists. */
export type Interpolated = Html | string | number | false | null | undefined | readonly Interpolated[];

const characterReferences: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `&`, `<`, `>`, `"` and `'` as character references: safe in text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => characterReferences[character] as string);
}

function interpolate(value: Interpolated): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A tagged template: html`<p>${text}</p>` escapes `text`; an interpolated `Html` goes in as it is. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  return new Html(strings.reduce((out, part, index) => out + interpolate(values[index - 1]) + part));
}

/** The items (each escaped unless already `Html`) with the markup `separator` between them. */
export function joinHtml(items: readonly Interpolated[], separator: Html): Html {
  return new Html(items.map(interpolate).join(separator.text));
}

/** ` name="value"` for each attribute that is set; `true` gives a bare attribute. */
export function htmlAttributes(list: Record<string, string | number | boolean | undefined>): Html {
  return new Html(
    Object.entries(list)
      .filter(([, value]) => value !== undefined && value !== false)
      .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
      .join(''),
  );
}
