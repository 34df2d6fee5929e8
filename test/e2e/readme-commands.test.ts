import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../helpers/local-stack';
import { repoRoot } from '../helpers/register-cli';
import { type StoredEmail, storedEmails } from '../helpers/ses-emulator';

/**
 * The README's "Quick start" and "Send it an email" commands, taken from the README itself and run with
 * bash, in order, against the local stack with the demo register, as a new user runs them after
 * `npm start`. The commands read PORT, DATA_DIR and SMTP_PORT (defaults 3000, .data, 2525), so the test
 * gives them this stack's and changes nothing in the text. If the README's commands stop working, or
 * the forwards stop arriving where its text says, this fails.
 */
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The text under a heading, up to the next heading of the same or a higher level (outside code blocks). */
function sectionOf(markdown: string, heading: string): string {
  const level = heading.match(/^#+/)?.[0].length ?? 2;
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no "${heading}"`);
  let fenced = false;
  let end = lines.length;
  for (let index = start + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.startsWith('```')) fenced = !fenced;
    const depth = fenced ? undefined : line.match(/^(#+) /)?.[1]?.length;
    if (depth !== undefined && depth <= level) {
      end = index;
      break;
    }
  }
  return lines.slice(start + 1, end).join('\n');
}

/** The section's own text, without its subsections. */
const ownText = (section: string) => section.split(/\n#{3,} /)[0] ?? '';
const shellBlocks = (markdown: string) =>
  [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');

const quickStart = ownText(sectionOf(readme, '## Quick start'));
const sendAnEmail = sectionOf(readme, '### Send it an email');

const installed = (command: string) => {
  try {
    execFileSync('bash', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs README commands with bash: stopping at the first that fails, and with every curl made to fail
 * on an answer that is not 2xx (the README's curls print the answer either way).
 */
function runBash(commands: string, env: Record<string, string>, cwd: string): Promise<Run> {
  const script = [
    'set -euo pipefail',
    'curl() { command curl --fail-with-body --max-time 30 "$@"; }',
    commands,
  ].join('\n');
  const { PORT: _p, DATA_DIR: _d, SMTP_PORT: _s, ADMIN_TOKEN: _t, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd, env: { ...inherited, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe("the README's commands, as written, against the local stack", () => {
  let test: Awaited<ReturnType<typeof startTestStack>>;
  let env: Record<string, string>;
  let cwd: string;

  beforeAll(async () => {
    test = await startTestStack('contact-screening-readme-', { seed: true, env: {} });
    env = {
      PORT: String(test.stack.ports.port),
      DATA_DIR: test.dataDir,
      SMTP_PORT: String(test.stack.ports.smtpPort),
    };
    // A folder of its own, so nothing the commands might write lands in the repository.
    cwd = await mkdtemp(path.join(os.tmpdir(), 'contact-screening-readme-cwd-'));
  });

  afterAll(async () => {
    await test?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  const admin = async (route: string) => {
    const response = await fetch(`${test.stack.urls.gateway}${route}`, {
      headers: { authorization: `Bearer ${test.stack.adminToken}` },
    });
    expect(response.status, route).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  /** The mail the SES emulator took in while `act` ran. */
  async function mailSentDuring(act: () => Promise<Run>): Promise<{ run: Run; sent: StoredEmail[] }> {
    const before = new Set((await storedEmails(test.stack.urls.ses)).map((email) => email.messageId));
    const run = await act();
    await test.stack.inbound.idle();
    const sent = (await storedEmails(test.stack.urls.ses)).filter((email) => !before.has(email.messageId));
    return { run, sent };
  }

  it('Quick start begins with npm ci and npm start, which this test stack stands in for', () => {
    expect(shellBlocks(quickStart)[0]).toBe('npm ci\nnpm start\n');
  });

  it('Quick start: every admin API command answers 2xx, in order, and records what the text says', async () => {
    // Prepare
    const commands = shellBlocks(quickStart).slice(1);
    expect(commands.length).toBeGreaterThan(0);

    // Act
    const run = await runBash(commands.join('\n'), env, cwd);

    // Assess
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toBe('');
    const [found] = (await admin('/admin/customers?email=pat@example.org')).customers as { id: string }[];
    expect(found?.id).toMatch(/^cus_/);
    expect(run.stdout).toContain(found?.id); // the id the commands captured and echoed
    const customer = await admin(`/admin/customers/${found?.id}`);
    const history = (customer.escalation as { history: { stage: string }[] }).history.map(
      (step) => step.stage,
    );
    expect(history).toEqual(expect.arrayContaining(['concern-raised', 'warning-given']));
    expect(customer.restrictions).toEqual([
      expect.objectContaining({
        type: 'single-named-officer',
        namedOfficer: 'officer@council.example',
        namedOfficerPhone: '01707 357123',
      }),
    ]);
    const { letters } = (await admin(`/admin/customers/${found?.id}/letters`)) as {
      letters: { reference: string; postable: boolean }[];
    };
    expect(letters).toEqual([
      expect.objectContaining({ reference: expect.stringMatching(/^LT-/), postable: true }),
    ]);
    expect(run.stdout).toContain(letters[0]?.reference); // the restriction's answer names it
  });

  /** Where the README's text says each example's forward goes: the addresses it names, in order. */
  const destinations = [
    ...(
      sendAnEmail.split(/\n\s*\n/).find((paragraph) => paragraph.startsWith('The first is')) ?? ''
    ).matchAll(/`([^`@\s]+@[^`\s]+)`/g),
  ].map((match) => match[1]);
  const [swaksExample, pythonExample] = (() => {
    const blocks = shellBlocks(sendAnEmail);
    return [blocks.find((block) => /^swaks /m.test(block)), blocks.find((block) => /^python3 /m.test(block))];
  })();

  it('Send it an email: the text names where each example goes', () => {
    expect(swaksExample).toBeDefined();
    expect(pythonExample).toBeDefined();
    expect(destinations).toEqual(['casework.officer@council.example', 'designated.reader@council.example']);
    expect(sendAnEmail).toContain('no\nacknowledgement is sent');
  });

  it.skipIf(!installed('python3'))(
    'Send it an email, with Python: the forward reaches the designated reader, and no acknowledgement is sent (needs python3)',
    async () => {
      const { run, sent } = await mailSentDuring(() => runBash(pythonExample ?? 'false', env, cwd));

      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      const forwards = sent.filter((email) => email.destination.to.includes(destinations[1] ?? ''));
      expect(forwards, JSON.stringify(sent.map((email) => [email.destination, email.subject]))).toHaveLength(
        1,
      );
      expect(forwards[0]?.subject).toContain('CMP-10001');
      // 7.3.7: nothing goes back to the sender.
      expect(sent.filter((email) => email.destination.to.includes('jo.placeholder@example.com'))).toEqual([]);
    },
  );

  it.skipIf(!installed('swaks'))(
    'Send it an email, with swaks: the forward reaches the named officer (needs swaks; skipped where it is not installed)',
    async () => {
      const { run, sent } = await mailSentDuring(() => runBash(swaksExample ?? 'false', env, cwd));

      expect(run.code, run.stderr).toBe(0);
      const forwards = sent.filter((email) => email.destination.to.includes(destinations[0] ?? ''));
      expect(forwards).toHaveLength(1);
      expect(forwards[0]?.subject).toContain('Bins again');
    },
  );
});
