import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { lastDay, londonDateTime, londonDay, startDay } from './dates';

/**
 * The console's one template environment (STYLE 11): GOV.UK Frontend's Nunjucks macros and our
 * templates, autoescaped. Templates are read from disk once and cached. In the source tree they sit
 * next to this module; beside a Lambda bundle they are copied to `templates/` and `govuk-frontend/`.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

const isDirectory = (dir: string) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** Our templates. */
export function templatesDir(): string {
  return path.join(here, 'templates');
}

/** GOV.UK Frontend's `dist` folder: its templates import each other as `govuk/components/...`. */
export function govukFrontendDir(): string {
  const bundled = path.join(here, 'govuk-frontend');
  if (isDirectory(path.join(bundled, 'govuk'))) return bundled;
  const packageJson = createRequire(import.meta.url).resolve('govuk-frontend/package.json');
  return path.join(path.dirname(packageJson), 'dist');
}

let environment: nunjucks.Environment | undefined;

/** The environment, made on first use. */
export function templateEnvironment(): nunjucks.Environment {
  if (!environment) {
    environment = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([templatesDir(), govukFrontendDir()]),
      { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
    );
    // Dates as London days, in the letters' words (dates.ts).
    environment.addFilter('day', londonDay);
    environment.addFilter('startDay', startDay);
    environment.addFilter('lastDay', lastDay);
    environment.addFilter('dateTime', londonDateTime);
  }
  return environment;
}

/** Renders one of our templates (`'customer.njk'`) with its context; every value is escaped unless marked safe. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return templateEnvironment().render(template, context);
}
