import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLetterPdf } from '../../lambdas/adapters/pdf/letter-pdf';
import { composeLetter, type Letter, type LetterInput } from '../../lambdas/core/letters';
import { letterReference } from '../../lambdas/core/reference';
import { esmRequireBanner, pdfFontsAfterBundling } from '../../lib/screening-function';
import { pdfText } from '../helpers/pdf-text';
import { aRestriction } from '../helpers/register-fixtures';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

const council = {
  name: 'Example Borough Council',
  postalAddress: 'Customer Services, Council Offices, The Campus, Example Town, AL10 0ZZ',
  contactEmail: 'customer.services@council.example',
  contactPhone: '01707 357000',
};
/** The short reference the letter prints in place of its id. */
const reference = letterReference('let_01JLETTERPDF');
const reason = 'Daily calls to different officers about one closed complaint (4.2.7, 4.2.8)';

function namedOfficerLetter(overrides: Partial<LetterInput> = {}): Letter {
  const restriction = aRestriction({
    type: 'single-named-officer',
    namedOfficer: 'casework.officer@council.example',
    namedOfficerName: 'Chris Caseworker',
    namedOfficerPhone: '01707 357123',
    reason,
    decidedBy: 'Jo Manager, Service Manager',
    startsAt: '2026-12-01',
    endsAt: '2027-11-30',
    reviewAt: '2027-09-01',
    measuresWhenContactNecessary: 'If we need to visit you, we will write first to arrange it.',
  });
  return composeLetter({
    kind: 'restriction-imposed',
    letterId: 'let_01JLETTERPDF',
    date: '2026-11-20T10:00:00.000Z',
    council,
    customer: { name: 'Alex Example', address: '1 Sample Street\nExample Town', postcode: 'AL100ZZ' },
    restriction,
    signedBy: restriction.decidedBy,
    ...overrides,
  });
}

/** What every informing letter must say (8.1, 10.1, 11), as the PDF reads. */
function expectTheEssentials(text: string) {
  expect(text).toContain(reason); // 8.1.1: why
  expect(text).toContain('all your contact with us should be with one member of staff: Chris Caseworker'); // 8.1.2
  expect(text).toContain('from 1 December 2026 until the end of 30 November 2027'); // 8.1.3: how long
  expect(text).toContain('will review the arrangement on 1 September 2027'); // 10.1
  // 7.3.4: who to contact, by name, mailbox and telephone
  expect(text).toContain('Chris Caseworker (casework.officer@council.example, telephone 01707 357123)');
  expect(text).toContain(
    'please contact Chris Caseworker, at casework.officer@council.example or by telephone on 01707 357123',
  );
  expect(text).toContain('If we need to visit you, we will write first to arrange it.'); // 12.1.5
  expect(text).toContain('genuinely new complaint'); // 9.1
  expect(text).toContain('Local Government and Social Care Ombudsman'); // 11
  expect(text).toContain('www.lgo.org.uk');
  expect(text).toContain('0300 061 0614');
}

describe('renderLetterPdf', () => {
  it('renders an A4 letter whose text says everything 8.1 asks for', async () => {
    // Prepare
    const letter = namedOfficerLetter();

    // Act
    const pdf = await renderLetterPdf(letter);

    // Assess
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { text, pages, info } = await pdfText(pdf);
    expectTheEssentials(text);
    expect(text).toContain('Example Borough Council');
    expect(text).toContain('Alex Example 1 Sample Street Example Town AL10 0ZZ');
    expect(text).toContain(`Date: 20 November 2026 Our reference: ${reference}`);
    expect(text).not.toContain('let_01JLETTERPDF'); // the short reference, never the 30-character id
    expect(text).toContain(`Page 1 of ${pages.length}`);
    expect(info).toMatchObject({
      Title: letter.subject,
      Author: 'Example Borough Council',
      Language: 'en-GB',
    });
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/); // A4
    expect(raw).toContain('/BaseFont /Helvetica');
    expect(raw).not.toContain('/FontFile'); // standard fonts: nothing embedded
    expect(raw).toContain('/StructTreeRoot'); // tagged
  });

  it('breaks a long letter over pages, with a footer on each', async () => {
    const long = Array.from({ length: 40 }, (_, index) => `Paragraph ${index + 1} of the reason.`).join(
      '\n\n',
    );
    const letter = namedOfficerLetter({
      restriction: aRestriction({
        type: 'witness-required',
        reason: long,
        startsAt: '2026-12-01',
        endsAt: '2027-11-30',
      }),
    });

    const { text, pages } = await pdfText(await renderLetterPdf(letter));

    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => {
      expect(page).toContain(`Our reference ${reference} · Page ${index + 1} of ${pages.length}`);
    });
    expect(text).toContain('Paragraph 40 of the reason.');
    expect(text).toContain('www.lgo.org.uk');
  });

  it('is deterministic: the same letter gives the same bytes', async () => {
    const letter = namedOfficerLetter();
    const [first, second] = await Promise.all([renderLetterPdf(letter), renderLetterPdf(letter)]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('writes names outside the standard fonts as near as they allow', async () => {
    const letter = namedOfficerLetter({ customer: { name: 'Łukasz Żółć', postcode: 'AL100ZZ' } });
    const { text } = await pdfText(await renderLetterPdf(letter));
    expect(text).toContain('Dear Lukasz Zólc'); // Ł, Ż and ć lose their marks; ó is in the font
  });
});

describe('renderLetterPdf bundled for Lambda', () => {
  // Bundled as lib/screening-function.ts bundles every function, into a folder with no node_modules near it.
  let workspace: string;
  let bundled: string;

  beforeAll(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'letter-pdf-bundle-'));
    bundled = path.join(workspace, 'asset');
    await build({
      entryPoints: [path.join(repositoryRoot, 'lambdas/adapters/pdf/letter-pdf.ts')],
      outfile: path.join(bundled, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: esmRequireBanner },
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    writeFileSync(path.join(workspace, 'letter.json'), JSON.stringify(namedOfficerLetter()));
  });

  afterAll(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  /** Runs the bundle in a plain Node process, as Lambda would: it writes letter.pdf, or fails. */
  const renderWith = (folder: string) => {
    const runner = path.join(folder, 'render.mjs');
    writeFileSync(
      runner,
      [
        "import { readFileSync, writeFileSync } from 'node:fs';",
        "import { renderLetterPdf } from './index.mjs';",
        `const letter = JSON.parse(readFileSync(${JSON.stringify(path.join(workspace, 'letter.json'))}, 'utf8'));`,
        "writeFileSync(new URL('./letter.pdf', import.meta.url), await renderLetterPdf(letter));",
      ].join('\n'),
    );
    execFileSync(process.execPath, ['--enable-source-maps', runner], { cwd: folder, stdio: 'pipe' });
    return new Uint8Array(readFileSync(path.join(folder, 'letter.pdf')));
  };

  it('fails without the standard fonts beside it (why bundlePdfFonts exists)', () => {
    const bare = path.join(workspace, 'bare');
    execFileSync('mkdir', ['-p', bare]);
    copyFileSync(path.join(bundled, 'index.mjs'), path.join(bare, 'index.mjs'));
    expect(() => renderWith(bare)).toThrow(/#standard-fonts\/Helvetica/);
  });

  it('renders the letter once the afterBundling hook has shipped the fonts', async () => {
    // Act: the hook exactly as NodejsFunction runs it (bash -c, from the project root).
    for (const command of pdfFontsAfterBundling(repositoryRoot, bundled)) {
      execFileSync('bash', ['-c', command], { cwd: repositoryRoot, stdio: 'pipe' });
    }

    // Assess
    expect(existsSync(path.join(bundled, 'pdfkit-standard-fonts', 'Helvetica.cjs'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(bundled, 'package.json'), 'utf8'))).toEqual({
      imports: { '#standard-fonts/*': './pdfkit-standard-fonts/*.cjs' },
    });
    const { text } = await pdfText(renderWith(bundled));
    expectTheEssentials(text);
  });

  it('keeps a package.json that nodeModules installation wrote', () => {
    const folder = path.join(workspace, 'with-manifest');
    execFileSync('mkdir', ['-p', folder]);
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ dependencies: { example: '1.0.0' } }));
    for (const command of pdfFontsAfterBundling(repositoryRoot, folder)) {
      execFileSync('bash', ['-c', command], { cwd: repositoryRoot, stdio: 'pipe' });
    }
    expect(JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'))).toEqual({
      dependencies: { example: '1.0.0' },
      imports: { '#standard-fonts/*': './pdfkit-standard-fonts/*.cjs' },
    });
  });
});
