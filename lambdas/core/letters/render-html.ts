import { type Html, html, joinHtml } from '../html';
import type { Letter, LetterSection } from './letter';

const lineBreak = html`<br>\n        `;
const newline = html`\n`;

const paragraphs = (values: readonly string[], indent: string) =>
  joinHtml(
    values.map((paragraph) => html`${indent}<p>${paragraph}</p>`),
    newline,
  );

const renderSection = (section: LetterSection) =>
  html`      <section>\n        <h2>${section.heading}</h2>\n${paragraphs(section.paragraphs, '        ')}\n      </section>`;

/** A complete, self-contained HTML document: no scripts, no external resources, every text escaped. */
export function renderLetterHtml(letter: Letter): string {
  const { council } = letter;
  const contact: Html[] = [
    ...(council.contactEmail
      ? [html`Email: <a href="mailto:${council.contactEmail}">${council.contactEmail}</a>`]
      : []),
    ...(council.contactPhone ? [html`Telephone: ${council.contactPhone}`] : []),
  ];
  return html`<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="author" content="${council.name}">
    <title>${letter.subject}</title>
    <style>
      :root { color: #0b0c0c; background: #fff; }
      body { font-family: Arial, Helvetica, sans-serif; font-size: 1.0625rem; line-height: 1.5;
             max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
      .letterhead { text-align: right; border-bottom: 1px solid #505a5f; padding-bottom: 0.75rem; }
      .letterhead .council { font-size: 1.5rem; font-weight: bold; margin: 0; }
      .letterhead address, .recipient { font-style: normal; }
      .recipient { margin: 2rem 0 1.5rem; }
      dl.details { display: grid; grid-template-columns: max-content auto; gap: 0 0.75rem; margin: 0 0 1.5rem; }
      dl.details dt { font-weight: bold; }
      dl.details dd { margin: 0; }
      h1 { font-size: 1.25rem; margin: 1.5rem 0 1rem; }
      h2 { font-size: 1.0625rem; margin: 1.5rem 0 0.25rem; }
      p { margin: 0 0 0.75rem; }
      a { color: #1d70b8; }
      .closing { margin-top: 2rem; }
      @media print {
        @page { size: A4; margin: 20mm; }
        body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
        a { color: inherit; text-decoration: none; }
        h2 { break-after: avoid; page-break-after: avoid; }
        p { orphans: 3; widows: 3; }
        .closing { break-inside: avoid; }
      }
    </style>
  </head>
  <body>
    <header class="letterhead">
      <p class="council">${council.name}</p>
      <address>
        ${joinHtml(council.addressLines, lineBreak)}${contact.length > 0 && html`${lineBreak}${joinHtml(contact, lineBreak)}`}
      </address>
    </header>
    <main>
      <address class="recipient" aria-label="Recipient">
        ${joinHtml([letter.recipient.name, ...letter.recipient.addressLines], lineBreak)}
      </address>
      <dl class="details">
        <dt>Date</dt>
        <dd><time datetime="${letter.date}">${letter.dateText}</time></dd>
        <dt>Our reference</dt>
        <dd>${letter.reference}</dd>
      </dl>
      <p>${letter.salutation}</p>
      <h1>${letter.subject}</h1>
${paragraphs(letter.opening, '      ')}
${joinHtml(letter.sections.map(renderSection), newline)}
      <div class="closing">
        <p>${letter.closing.valediction}</p>
        <p>${letter.closing.signedBy}<br>
        on behalf of ${letter.closing.onBehalfOf}</p>
      </div>
    </main>
  </body>
</html>
`.text;
}
