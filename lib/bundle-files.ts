import { type BundlingCommands, shellQuote } from './screening-function';

/** A folder of the repository copied beside a function's bundle. */
export interface BundledFolder {
  /** The folder, relative to the repository root. */
  readonly from: string;
  /** Where it goes, relative to the bundle (the folder of index.mjs: /var/task in Lambda). */
  readonly to: string;
  /** Only files with these extensions (`.njk`). @default every file */
  readonly extensions?: readonly string[];
  /** Sub-folders of `from` left out, relative to it (`assets`). */
  readonly exclude?: readonly string[];
}

/**
 * The after-bundling commands that copy folders beside the bundle. They run with Node, so they work in
 * local and in Docker bundling alike (as `pdfFontsAfterBundling`).
 */
export function copyFoldersAfterBundling(folders: readonly BundledFolder[]): BundlingCommands {
  const script = [
    'const fs = require("node:fs"), path = require("node:path");',
    'const [input, output, spec] = process.argv.slice(1);',
    'for (const folder of JSON.parse(spec)) {',
    'const from = path.join(input, folder.from);',
    'const skipped = (folder.exclude ?? []).map((sub) => path.join(from, sub));',
    'fs.cpSync(from, path.join(output, folder.to), { recursive: true, filter: (file) =>',
    '!skipped.some((sub) => file === sub || file.startsWith(sub + path.sep)) &&',
    '(fs.statSync(file).isDirectory() || !folder.extensions || folder.extensions.includes(path.extname(file))) });',
    '}',
  ].join(' ');
  return (inputDir, outputDir) => [
    ['node', '-e', script, inputDir, outputDir, JSON.stringify(folders)].map(shellQuote).join(' '),
  ];
}
