import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text a reader (or a screen reader) gets out of a PDF, with pdf.js, whitespace folded. */
export async function pdfText(bytes: Uint8Array) {
  const document = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? ' ' : ''}` : ''))
        .join('')
        .replace(/\s+/g, ' '),
    );
  }
  const info = (await document.getMetadata()).info as Record<string, unknown>;
  await document.destroy();
  return { text: pages.join(' '), pages, info };
}
