import PDFDocument from 'pdfkit';
import type { Letter } from '../../core/letters';
import { collectPdfBytes } from './pdf-bytes';

const mm = (value: number) => (value * 72) / 25.4;
const margin = mm(20);
const footerHeight = mm(8);
const regular = 'Helvetica';
const bold = 'Helvetica-Bold';

/**
 * An informing letter (8.1) as an A4 PDF, in the standard Helvetica font (nothing embedded), tagged for
 * screen readers, with the same words as the HTML and text versions. The output is deterministic: the
 * document's dates and id come from the letter's date.
 *
 * Bundled for Lambda, pdfkit loads the metrics of its standard fonts at run time through the "imports" map
 * of the nearest package.json: a function that renders letters needs `bundlePdfFonts: true` on its
 * ScreeningFunction (lib/screening-function.ts), which ships them next to the bundle.
 */
export async function renderLetterPdf(letter: Letter): Promise<Uint8Array> {
  const created = new Date(letter.date);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, bottom: margin + footerHeight, left: margin, right: margin },
    bufferPages: true,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    font: regular,
    info: {
      Title: plain(letter.subject),
      Author: plain(letter.council.name),
      Subject: `Our reference ${plain(letter.reference)}`,
      Keywords: `${letter.kind}; policy ${letter.clauses.join(', ')}`,
      Creator: 'Contact screening',
      CreationDate: created,
      ModDate: created,
    },
  });
  const bytes = collectPdfBytes(doc);

  const width = doc.page.width - margin * 2;
  const body = doc.struct('Document');
  doc.addStructure(body);
  const paragraph = (value: string, options: PDFKit.Mixins.TextOptions = {}) =>
    body.add(
      doc.struct('P', {}, () => {
        doc.text(plain(value), { width, lineGap: 2, paragraphGap: 6, ...options });
      }),
    );

  // The letterhead: the council's name, address and contact details, on the right.
  doc.font(bold).fontSize(16);
  body.add(doc.struct('P', {}, () => doc.text(plain(letter.council.name), { width, align: 'right' })));
  doc.font(regular).fontSize(9.5).moveDown(0.2);
  const contact = [
    ...letter.council.addressLines,
    ...(letter.council.contactEmail ? [`Email: ${letter.council.contactEmail}`] : []),
    ...(letter.council.contactPhone ? [`Telephone: ${letter.council.contactPhone}`] : []),
  ];
  body.add(doc.struct('P', {}, () => doc.text(contact.map(plain).join('\n'), { width, align: 'right' })));
  doc.markContent('Artifact', { type: 'Layout' });
  doc
    .moveTo(margin, doc.y + 6)
    .lineTo(margin + width, doc.y + 6)
    .lineWidth(0.5)
    .strokeColor('#505a5f')
    .stroke();
  doc.endMarkedContent();

  // The recipient, where a window envelope shows it (about 50 mm from the top, 20 mm from the left).
  doc.font(regular).fontSize(11);
  doc.y = Math.max(doc.y + 18, mm(50));
  paragraph([letter.recipient.name, ...letter.recipient.addressLines].join('\n'), { paragraphGap: 0 });
  doc.moveDown(1.5);
  paragraph(`Date: ${letter.dateText}\nOur reference: ${letter.reference}`, { paragraphGap: 0 });
  doc.moveDown(1.5);

  paragraph(letter.salutation);
  doc.font(bold).fontSize(13);
  keepWithNext(doc, 3);
  body.add(
    doc.struct('H1', {}, () => doc.text(plain(letter.subject), { width, lineGap: 2, paragraphGap: 8 })),
  );
  doc.font(regular).fontSize(11);
  for (const value of letter.opening) paragraph(value);

  for (const section of letter.sections) {
    doc.moveDown(0.4);
    doc.font(bold).fontSize(11.5);
    // A heading stays with at least the first lines of its section.
    keepWithNext(doc, 4);
    const part = doc.struct('Sect');
    body.add(part);
    part.add(doc.struct('H2', {}, () => doc.text(plain(section.heading), { width, paragraphGap: 3 })));
    doc.font(regular).fontSize(11);
    for (const value of section.paragraphs) {
      part.add(doc.struct('P', {}, () => doc.text(plain(value), { width, lineGap: 2, paragraphGap: 6 })));
    }
    part.end();
  }

  doc.moveDown(1);
  keepWithNext(doc, 5);
  paragraph(letter.closing.valediction);
  doc.moveDown(1.5);
  paragraph(`${letter.closing.signedBy}\non behalf of ${letter.closing.onBehalfOf}`);
  body.end();

  // The footer on every page: who wrote, the reference and "page n of m".
  const pages = doc.bufferedPageRange();
  for (let index = pages.start; index < pages.start + pages.count; index += 1) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin must not start a new page
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font(regular)
      .fontSize(8.5)
      .fillColor('#505a5f')
      .text(
        plain(
          `${letter.council.name} · Our reference ${letter.reference} · Page ${index + 1} of ${pages.count}`,
        ),
        margin,
        doc.page.height - margin - 10,
        { width, align: 'center', lineBreak: false },
      )
      .fillColor('black');
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }

  return bytes.end();
}

/** Starts a new page unless `lines` lines of the current font fit on this one. */
function keepWithNext(doc: PDFKit.PDFDocument, lines: number): void {
  const needed = doc.currentLineHeight(true) * lines;
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/**
 * The standard fonts cover Windows-1252 only (pdfkit writes other characters as garbage). Accents fall back
 * to their base letter (`Ł` → `L`) and anything else to `?`: the HTML version keeps the exact spelling.
 */
export function plain(value: string): string {
  let out = '';
  // A telephone number stays on one line (0300 061 0614).
  const kept = value
    .normalize('NFC')
    .replace(/\b0\d{2,4}(?: \d{3,4}){1,2}\b/g, (phone) => phone.replace(/ /g, '\u00a0'));
  for (const char of kept) {
    if (encodable(char)) {
      out += char;
      continue;
    }
    const base = (fallbacks[char] ?? char.normalize('NFKD').replace(/\p{M}/gu, '')).split('');
    out += base.length > 0 && base.every(encodable) ? base.join('') : '?';
  }
  return out;
}

/** Windows-1252's characters above Latin-1's range, by code point. */
const winAnsiExtras = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019,
  0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

function encodable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x0a) return true;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return false;
  return code <= 0xff || winAnsiExtras.has(code);
}

/** Letters that do not decompose into a base letter and a mark. */
const fallbacks: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŋ: 'N',
  ŋ: 'n',
  '\u2010': '-',
  '\u2011': '-',
  '\u2212': '-',
};
