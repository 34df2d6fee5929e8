import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffAssets, type StaffAssets } from '../../scripts/build-staff-assets';

/**
 * The console's style sheet and script: GOV.UK Frontend with the council's branding, never GOV.UK's
 * typeface, crown or crest (those are for GOV.UK only), and built once until a source changes.
 */
let dir: string;
let first: StaffAssets;
let css: string;
let js: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'staff-assets-'));
  first = await buildStaffAssets(dir);
  [css, js] = await Promise.all([readFile(first.css, 'utf8'), readFile(first.js, 'utf8')]);
}, 120_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the staff console assets', () => {
  it('use the council font stack and brand colour, keeping the yellow focus', () => {
    expect(first.built).toBe(true);
    expect(css).toContain('font-family:"Helvetica Neue",Helvetica,Arial,sans-serif');
    expect(css).toContain('#106165');
    expect(css).toContain('--govuk-focus-colour: #ffdd00');
    expect(css).toContain('.govuk-summary-list');
    expect(css).toContain('.app-attention');
  });

  it('load no font files or images: no GDS Transport, no crown or crest', () => {
    expect(css).not.toMatch(/GDS Transport/i);
    expect(css).not.toContain('@font-face');
    expect(css).not.toMatch(/url\(/);
    expect(css).not.toMatch(/crest|crown/i);
  });

  it('bundle GOV.UK Frontend’s script as one ES module with the console’s enhancements', () => {
    expect(js).not.toMatch(/^\s*import\s/m);
    expect(js).toContain('govuk-frontend-supported');
    expect(js).toContain('app-live-search');
    expect(js).toContain('app-table-filter');
  });

  it('skips the build when the outputs are newer than every source', async () => {
    const before = (await stat(first.css)).mtimeMs;
    const again = await buildStaffAssets(dir);
    expect(again.built).toBe(false);
    expect((await stat(again.css)).mtimeMs).toBe(before);
  });
});
