import { escapeHtml } from '../../core/html';

/**
 * Table cells for GOV.UK's table macro. Text cells are escaped by the macro; the few cells with
 * markup (a link, a tag) are escaped here with the letters' one escape helper.
 */
export type Cell = { text: string; classes?: string } | { html: string; classes?: string };

/** A date that does not wrap across lines. */
export const dayCell = (text: string): Cell => ({ text, classes: 'app-nowrap' });

export const textCell = (text: string | number | undefined): Cell => ({
  text: text === undefined ? '' : String(text),
});

export const linkCell = (href: string, text: string, hiddenText = ''): Cell => ({
  html: `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}${
    hiddenText ? `<span class="govuk-visually-hidden"> ${escapeHtml(hiddenText)}</span>` : ''
  }</a>`,
});

export const tagHtml = (tag: { text: string; classes: string }) =>
  `<strong class="govuk-tag ${escapeHtml(tag.classes)}">${escapeHtml(tag.text)}</strong>`;

export const tagCell = (tag: { text: string; classes: string }): Cell => ({ html: tagHtml(tag) });

/** Links one a line, e.g. a row's actions. */
export const linksCell = (
  links: ReadonlyArray<{ href: string; text: string; hiddenText?: string }>,
): Cell => ({
  html: links.length
    ? `<ul class="app-actions">${links
        .map(
          (link) => `<li>${(linkCell(link.href, link.text, link.hiddenText) as { html: string }).html}</li>`,
        )
        .join('')}</ul>`
    : '',
});

export const customerHref = (customerId: string) => `/staff/customers/${encodeURIComponent(customerId)}`;
