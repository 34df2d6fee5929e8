/**
 * Builds the staff console's style sheet and script: GOV.UK Frontend's Sass with the council's
 * branding (console.scss) and GOV.UK Frontend's JavaScript with the console's small enhancements
 * (console.ts), bundled by esbuild as one ES module. `npm start`, the tests and CDK bundling call
 * `buildStaffAssets(outDir)`; it does nothing when the outputs are newer than every source.
 *
 *   tsx scripts/build-staff-assets.ts [outDir]    (default .build/staff-assets)
 */
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The sources: Sass partials and the browser modules. */
export const staffAssetsSourceDir = path.join(root, 'lambdas/staff-console/assets/src');
/** Where the assets go unless told otherwise (gitignored). */
export const defaultStaffAssetsDir = path.join(root, '.build/staff-assets');

export const staffAssetFiles = { css: 'console.css', js: 'console.js' } as const;

export interface StaffAssets {
  css: string;
  js: string;
  /** False when the outputs were already newer than their sources. */
  built: boolean;
}

async function newestSource(): Promise<number> {
  const entries = await readdir(staffAssetsSourceDir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  // A new GOV.UK Frontend (its package.json) is a new source too.
  files.push(
    createRequire(import.meta.url).resolve('govuk-frontend/package.json'),
    fileURLToPath(import.meta.url),
  );
  const times = await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
  return Math.max(...times);
}

async function modifiedAt(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function compileStyles(): Promise<string> {
  const sass = await import('sass');
  const result = await sass.compileAsync(path.join(staffAssetsSourceDir, 'console.scss'), {
    importers: [new sass.NodePackageImporter(root)],
    style: 'compressed',
    // GOV.UK Frontend's own deprecation notices are for its maintainers, not for this build.
    quietDeps: true,
  });
  return result.css;
}

async function bundleScript(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(staffAssetsSourceDir, 'console.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    write: false,
    absWorkingDir: root,
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Writes console.css and console.js into `outDir`, unless they are already newer than their sources. */
export async function buildStaffAssets(outDir: string = defaultStaffAssetsDir): Promise<StaffAssets> {
  const css = path.join(outDir, staffAssetFiles.css);
  const js = path.join(outDir, staffAssetFiles.js);
  const [sources, cssAt, jsAt] = await Promise.all([newestSource(), modifiedAt(css), modifiedAt(js)]);
  if (cssAt !== undefined && jsAt !== undefined && Math.min(cssAt, jsAt) > sources) {
    return { css, js, built: false };
  }
  const [styles, script] = await Promise.all([compileStyles(), bundleScript()]);
  await mkdir(outDir, { recursive: true });
  // Written aside, then renamed: a stack starting meanwhile (tests run several) never reads half a file.
  const writeWhole = async (file: string, content: string | Uint8Array) => {
    const aside = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(aside, content);
    await rename(aside, file);
  };
  await Promise.all([writeWhole(css, styles), writeWhole(js, script)]);
  return { css, js, built: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildStaffAssets(process.argv[2] ? path.resolve(process.argv[2]) : undefined)
    .then(({ css, js, built }) =>
      console.log(built ? `Wrote ${css} and ${js}.` : `Up to date: ${css}, ${js}.`),
    )
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
