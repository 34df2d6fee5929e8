import PDFDocument from 'pdfkit';
import { dayInWords } from '../../core/london-day';
import { type FigureTable, type MonitoringReport, reportTables, trendColumns } from '../../core/reports';
import { collectPdfBytes } from './pdf-bytes';

const mm = (value: number) => (value * 72) / 25.4;
const margin = mm(18);
const regular = 'Helvetica';
const bold = 'Helvetica-Bold';

/** Helvetica (WinAnsi) cannot show every character: anything else becomes "?". */
const plain = (value: string) =>
  value.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d]/g, '?');

/**
 * The monitoring report (13.1) as an A4 PDF: each table of figures with a bar chart of the same
 * numbers, then the monthly trends. The figures are the text of the document (a reader gets them
 * out), the bars are drawings beside them. Deterministic: its dates come from the report.
 */
export async function renderReportPdf(report: MonitoringReport): Promise<Uint8Array> {
  const created = new Date(report.generatedAt);
  const title = `Monitoring report ${report.period.from} to ${report.period.to}`;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    font: regular,
    info: {
      Title: title,
      Subject: 'Unreasonably persistent and abusive behaviour policy: monitoring (13.1)',
      Creator: 'Contact screening',
      CreationDate: created,
      ModDate: created,
    },
  });
  const bytes = collectPdfBytes(doc);
  const width = doc.page.width - margin * 2;
  const body = doc.struct('Document');
  doc.addStructure(body);

  body.add(doc.struct('H1', {}, () => doc.font(bold).fontSize(16).text(plain(title), { width })));
  const intro = `${dayInWords(report.period.from)} to ${dayInWords(report.period.to)}. Counts and rates only (13.1).`;
  body.add(doc.struct('P', {}, () => doc.font(regular).fontSize(10).text(plain(intro), { width })));
  doc.moveDown(0.5);
  for (const note of report.notes)
    body.add(doc.struct('P', {}, () => doc.fontSize(9).text(plain(note), { width })));
  doc.moveDown(0.5);

  for (const table of reportTables(report)) drawTable(doc, body, table, width);
  drawTrends(doc, body, report, width);

  body.end();
  return bytes.end();
}

const rowHeight = 13;

function ensureRoom(doc: PDFKit.PDFDocument, height: number) {
  if (doc.y + height > doc.page.height - margin) doc.addPage();
}

/** A table: label, value, and (for counts) a bar scaled to the largest value of the table. */
function drawTable(
  doc: PDFKit.PDFDocument,
  body: PDFKit.PDFStructureElement,
  table: FigureTable,
  width: number,
) {
  ensureRoom(doc, rowHeight * (table.figures.length + 2));
  const heading = plain(`${table.title} (${table.clause})`);
  body.add(doc.struct('H2', {}, () => doc.font(bold).fontSize(11).text(heading, margin, doc.y, { width })));
  doc.moveDown(0.2);
  const numbers = table.figures.map((f) => (typeof f.value === 'number' ? f.value : 0));
  const largest = Math.max(1, ...numbers);
  const labelWidth = width * 0.5;
  const valueWidth = width * 0.12;
  const barLeft = margin + labelWidth + valueWidth + 6;
  const barWidth = width - labelWidth - valueWidth - 6;
  for (const figure of table.figures) {
    const y = doc.y;
    body.add(
      doc.struct('P', {}, () => {
        doc
          .font(regular)
          .fontSize(9)
          .text(plain(figure.label), margin, y, { width: labelWidth, lineBreak: false });
        doc.text(String(figure.value), margin + labelWidth, y, {
          width: valueWidth,
          align: 'right',
          lineBreak: false,
        });
      }),
    );
    if (table.chart && typeof figure.value === 'number' && figure.value > 0) {
      // The bar repeats the figure beside it: decoration to a screen reader.
      doc.markContent('Artifact', { type: 'Layout' });
      doc
        .rect(barLeft, y + 1, (barWidth * figure.value) / largest, rowHeight - 5)
        .fill('#1d70b8')
        .fillColor('black');
      doc.endMarkedContent();
    }
    doc.x = margin;
    doc.y = y + rowHeight;
  }
  doc.moveDown(0.6);
}

function drawTrends(
  doc: PDFKit.PDFDocument,
  body: PDFKit.PDFStructureElement,
  report: MonitoringReport,
  width: number,
) {
  ensureRoom(doc, rowHeight * (report.months.length + 3));
  body.add(
    doc.struct('H2', {}, () => doc.font(bold).fontSize(11).text('Month by month', margin, doc.y, { width })),
  );
  doc.moveDown(0.2);
  const columnWidth = width / trendColumns.length;
  const row = (cells: (string | number)[], font: string) => {
    const y = doc.y;
    doc.font(font).fontSize(7.5);
    body.add(
      doc.struct('P', {}, () => {
        cells.forEach((cell, i) => {
          doc.text(plain(String(cell)), margin + i * columnWidth, y, {
            width: columnWidth - 2,
            lineBreak: false,
          });
        });
      }),
    );
    doc.x = margin;
    doc.y = y + rowHeight;
  };
  const headerY = doc.y;
  doc.font(bold).fontSize(7);
  body.add(
    doc.struct('P', {}, () => {
      trendColumns.forEach(([, label], i) => {
        doc.text(plain(label), margin + i * columnWidth, headerY, { width: columnWidth - 2 });
      });
    }),
  );
  doc.x = margin;
  doc.y = headerY + rowHeight * 2.5;
  for (const month of report.months) {
    ensureRoom(doc, rowHeight);
    row(
      trendColumns.map(([key]) => month[key]),
      regular,
    );
  }
}
