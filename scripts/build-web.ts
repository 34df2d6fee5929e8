/**
 * `npm run build:web`: writes web/index.html, the contact form page, from the same renderer the
 * endpoint uses for its own pages (lambdas/contact-form/page.ts). The committed file is built
 * with the defaults (a unit test keeps it in step); the web team builds theirs with their settings:
 *
 *   CONTACT_TOPICS      the topics, comma-separated (the endpoint must be given the same list)
 *   CONTACT_ENDPOINT    where the form posts (default /contact)
 *   COUNCIL_NAME        default "Example Borough Council"
 *   PRIVACY_NOTICE_URL  default /privacy.html
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { renderFormPage } from '../lambdas/contact-form/page';
import { defaultTopics } from '../lambdas/contact-form/schema';
import { configSchema } from '../lambdas/wiring/config';

/** A URL, or a path on the page's own site. */
const link = (example: string) =>
  z
    .string()
    .trim()
    .refine((value) => value.startsWith('/') || URL.canParse(value), {
      error: `must be a URL or a path starting with /, like ${example}`,
    });

/** The endpoint's own settings for topics, name and privacy notice (one definition), and where the form posts. */
const webSettingsSchema = configSchema
  .pick({ CONTACT_TOPICS: true, COUNCIL_NAME: true, PRIVACY_NOTICE_URL: true })
  .extend({ CONTACT_ENDPOINT: link('https://api.council.example/contact').default('/contact') })
  .transform((settings) => ({ ...settings, CONTACT_TOPICS: settings.CONTACT_TOPICS ?? [...defaultTopics] }));

export type WebSettings = z.output<typeof webSettingsSchema>;

/** The settings from the environment; an empty variable counts as unset. Throws naming each bad one. */
export function readWebSettings(env: NodeJS.ProcessEnv): WebSettings {
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = webSettingsSchema.safeParse(set);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`build:web: ${problems.join('; ')}`);
  }
  return result.data;
}

export function renderIndexPage(settings: WebSettings): string {
  return renderFormPage({
    topics: settings.CONTACT_TOPICS,
    action: settings.CONTACT_ENDPOINT,
    councilName: settings.COUNCIL_NAME,
    privacyNoticeUrl: settings.PRIVACY_NOTICE_URL,
  });
}

export const indexPagePath = fileURLToPath(new URL('../web/index.html', import.meta.url));

async function main() {
  const page = renderIndexPage(readWebSettings(process.env));
  await writeFile(indexPagePath, page);
  console.log(`Wrote ${indexPagePath} (${Buffer.byteLength(page)} bytes).`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
