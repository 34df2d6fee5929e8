/**
 * Collects what a PDFKit document writes, from the moment it is made: `end()` finishes the
 * document and resolves to its bytes. One helper for letters (8.1) and reports (13.1).
 */
export function collectPdfBytes(doc: PDFKit.PDFDocument): { end(): Promise<Uint8Array> } {
  const chunks: Uint8Array[] = [];
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  return {
    async end() {
      doc.end();
      await finished;
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}
