import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { contactReference } from '../../lambdas/core/reference';
import { startDynamoDb } from '../../local/emulators';
import { LOCAL_CREDENTIALS } from '../../local/lambda-config';
import { newSesMessageId, sesReceiptEvent } from '../../local/ses-event';
import { startLocalStack } from '../../local/stack';
import { makeTempDir } from '../helpers/local-stack';
import { emailsAbout } from '../helpers/ses-emulator';

/**
 * P1 (9.1, never drop a contact) across a crash: `npm start` as a child process takes a burst of mail
 * over SMTP, is killed with SIGKILL in the middle of it, and is started again on the same data
 * directory. Every message that was answered 250 must reach a mailbox, and none twice.
 *
 * How forwards are counted: the SES emulator keeps sent mail in memory, which dies with the child, so
 * the child is started with test/helpers/ses-sent-log.ts, which writes a line for each message the
 * emulator accepts before it answers (the forward's subject carries the contact reference). The
 * ledger as the kill left it (read from the data directory with the child gone) says which contacts
 * were finished, under way or not begun at that instant. And, in-process, an event kept in
 * failed-events/ is replayed once at the next start. Every address is fictional (RFC 2606).
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const BURST = 40;
/** Sent first, one at a time, and forwarded before the burst: contacts the kill finds finished. */
const FIRST = 4;
/** SIGKILL once this many messages were answered 250: the rest of the burst is still arriving. */
const KILL_AFTER = FIRST + 12;

interface Run {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<void>;
}

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** `npm start` in a fresh node on ephemeral ports, watched by the sent-mail log; resolves once it is up. */
async function startNpmStart(dataDir: string, sentLog: string): Promise<Run & { smtpPort: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['ADMIN_TOKEN', 'STAFF_PASSWORD', 'MAILBOXES', 'COUNCIL_DOMAINS']) delete env[name];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/ses-sent-log.ts', 'local/start.ts'],
    {
      cwd: repoRoot,
      env: {
        ...env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        DATA_DIR: dataDir,
        SES_SENT_LOG: sentLog,
        ...Object.fromEntries(
          ['PORT', 'SMTP_PORT', 'SES_PORT', 'DYNAMODB_PORT', 'S3_PORT'].map((n) => [n, '0']),
        ),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await expect
    .poll(
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}: ${output.stderr}`);
        return output.stdout;
      },
      { timeout: 40_000, interval: 100 },
    )
    .toContain('Ctrl-C stops it.');
  const smtpPort = Number(/inbound SMTP\s+smtp:\/\/127\.0\.0\.1:(\d+)/.exec(output.stdout)?.[1]);
  return { child, output, exited, smtpPort };
}

/**
 * The burst: one message per fictional sender, over a pool of connections; the first FIRST one at a
 * time, each forwarded before the next, then the rest in parallel.
 */
function sendBurst(smtpPort: number, sentLog: string, onAccepted: (count: number) => void) {
  const transport = createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 5,
  });
  const accepted: string[] = [];
  const send = (i: number) =>
    transport
      .sendMail({
        envelope: { from: `resident.${i}@example.org`, to: ['customer.services@council.example'] },
        raw: `From: resident.${i}@example.org\r\nTo: customer.services@council.example\r\nSubject: Burst ${i}\r\n\r\nThe bin at number ${i} was not emptied.\r\n`,
      })
      .then((info) => {
        // "250 … Ok <SES message id>": the message id names the contact (contactReference).
        accepted.push(info.response.split(' ').pop()!);
        onAccepted(accepted.length);
      });
  const settled = (async () => {
    for (let i = 0; i < FIRST; i++) {
      await send(i);
      await expect.poll(async () => (await forwardsIn(sentLog)).size, { timeout: 20_000 }).toBe(i + 1);
    }
    await Promise.allSettled(Array.from({ length: BURST - FIRST }, (_, i) => send(FIRST + i)));
  })().finally(() => transport.close());
  return { accepted, settled };
}

/** Forwards per contact reference and per process, from the sent-mail log. */
async function forwardsIn(sentLog: string): Promise<Map<string, number[]>> {
  const text = await readFile(sentLog, 'utf8').catch(() => '');
  const forwards = new Map<string, number[]>();
  for (const line of text.split('\n').filter(Boolean)) {
    const { pid, subject } = JSON.parse(line) as { pid: number; subject: string };
    const reference = /^\[(?:UNSCREENED )?(CS-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2})\] Burst \d+$/.exec(
      subject,
    )?.[1];
    if (reference) forwards.set(reference, [...(forwards.get(reference) ?? []), pid]);
  }
  return forwards;
}

/** Contact claims as the kill left them: reference → status. Read with the child gone (one writer). */
async function ledgerAsLeft(dataDir: string): Promise<Map<string, string>> {
  const dynamodb = await startDynamoDb('127.0.0.1', dataDir, { port: 0, env: 'DYNAMODB_PORT' });
  const client = new DynamoDBClient({
    region: 'eu-west-2',
    endpoint: dynamodb.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const items = await DynamoDBDocumentClient.from(client).send(
      new ScanCommand({
        TableName: 'contact-screening',
        FilterExpression: 'begins_with(PK, :contact) AND SK = :sk',
        ExpressionAttributeValues: { ':contact': 'CONTACT#', ':sk': 'CONTACT' },
      }),
    );
    return new Map(
      (items.Items ?? []).map((item) => [String(item.PK).slice('CONTACT#'.length), item.status]),
    );
  } finally {
    client.destroy();
    await dynamodb.close();
  }
}

describe('npm start killed mid-burst, then started again', () => {
  it('forwards every message it answered 250 to, and none twice', async () => {
    const data = await makeTempDir('contact-screening-restart-');
    cleanups.push(data.remove);
    const sentLog = path.join(data.dir, 'ses-sent.jsonl');
    // The demo register is not needed here: marked as seeded, the starts are quicker.
    await writeFile(path.join(data.dir, 'seeded'), 'test\n');

    const first = await startNpmStart(data.dir, sentLog);
    const burst = sendBurst(first.smtpPort, sentLog, (count) => {
      if (count === KILL_AFTER) first.child.kill('SIGKILL');
    });
    await burst.settled;
    await first.exited;
    const accepted = burst.accepted.map((messageId) => contactReference('email', messageId));
    expect(accepted.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(accepted.length).toBeLessThan(BURST); // killed mid-burst

    const atKill = await ledgerAsLeft(data.dir);

    const second = await startNpmStart(data.dir, sentLog);
    // What the first run had accepted and not finished is replayed before SMTP opens.
    expect(second.output.stderr).toMatch(
      /Restart recovery: \d+ event\(s\) taken up again \(inbound-email [1-9]/,
    );
    const queueDir = path.join(data.dir, 'queues', 'inbound-email');
    await expect
      .poll(async () => (await readdir(queueDir)).filter((name) => name.endsWith('.json')), {
        timeout: 30_000,
      })
      .toEqual([]);
    const forwards = await forwardsIn(sentLog);
    second.child.kill('SIGTERM');
    await second.exited;

    const firstPid = first.child.pid!;
    const secondPid = second.child.pid!;
    const nothingGivenUp = (
      await readdir(path.join(data.dir, 'failed-events')).catch(() => [] as string[])
    ).filter((name) => name.endsWith('.json'));
    expect(nothingGivenUp).toEqual([]);
    for (const reference of accepted) {
      const by = forwards.get(reference) ?? [];
      const inFirst = by.filter((pid) => pid === firstPid).length;
      const inSecond = by.filter((pid) => pid === secondPid).length;
      const status = atKill.get(reference);
      // Nothing lost: every message answered 250 reached the service inbox.
      expect(by.length, `${reference} (${status ?? 'no claim'} at the kill)`).toBeGreaterThanOrEqual(1);
      expect(inFirst + inSecond).toBe(by.length);
      if (status === 'forwarded') {
        // Finished before the kill: its replay, if any, is a duplicate the claim stops (P6).
        expect([inFirst, inSecond], reference).toEqual([1, 0]);
      } else if (status === undefined) {
        // Not begun: forwarded once, by the restarted run.
        expect([inFirst, inSecond], reference).toEqual([0, 1]);
      } else {
        // Under way at the kill (its lease lapsed at the restart): at most once in each run. Twice in
        // all only if the kill fell between the forward and its record: issue 13's "exactly once
        // across partial failures" closes that window, not restart recovery.
        expect(inFirst, reference).toBeLessThanOrEqual(1);
        expect(inSecond, reference).toBeLessThanOrEqual(1);
      }
    }
  }, 120_000);
});

describe('starting again after an event was kept in failed-events/', () => {
  it('replays it once at start, before SMTP opens, and the contact reaches the mailbox', async () => {
    const data = await makeTempDir('contact-screening-replay-');
    const lines: string[] = [];
    const options = {
      port: 0,
      smtpPort: 0,
      sesPort: 0,
      dynamodbPort: 0,
      s3Port: 0,
      eventbridgePort: 0,
      dataDir: data.dir,
      seed: false,
      inboundRetryDelaysMs: [10, 10],
      log: (line: string) => lines.push(line),
    };
    let stack = await startLocalStack(options);
    try {
      const messageId = newSesMessageId();
      const raw = Buffer.from(
        'From: pat.sender@example.org\r\nTo: customer.services@council.example\r\nSubject: Pothole\r\n\r\nThere is a pothole.\r\n',
      );
      const event = await sesReceiptEvent({
        messageId,
        envelope: { mailFrom: 'pat.sender@example.org', rcptTo: ['customer.services@council.example'] },
        receivedAt: new Date(),
        stored: [raw],
      });
      // The stored message cannot be read (as if S3 lost it for a while): every attempt fails, the event is kept.
      await stack.inbound.deliver(event);
      await stack.inbound.idle();
      const kept = () => jsonFilesIn(stack.inbound.failedEventsDir);
      expect(await kept()).toHaveLength(1);

      await stack.clients.s3.send(
        new PutObjectCommand({
          Bucket: stack.bucket,
          Key: `${stack.config.MAIL_PREFIX}${messageId}`,
          Body: raw,
        }),
      );
      await stack.stop();
      stack = await startLocalStack(options);
      await stack.inbound.idle();
      const reference = contactReference('email', messageId);
      const forwards = async () =>
        (await emailsAbout(stack.urls.ses, reference)).filter((email) =>
          email.subject.startsWith(`[${reference}]`),
        );
      expect(await forwards()).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith('Restart recovery:'))).toEqual([
        expect.stringMatching(
          /^Restart recovery: 1 event\(s\) taken up again \(inbound-email 1, stored mail 0, notify 0, form-screening 0\)/,
        ),
      ]);
      expect(await kept()).toEqual([]);
      expect(await jsonFilesIn(path.join(stack.inbound.failedEventsDir, 'replayed'))).toHaveLength(1);

      // Once: a third start has nothing to take up.
      await stack.stop();
      stack = await startLocalStack(options);
      await stack.inbound.idle();
      // The SES emulator's store lives as long as this process: still the one forward.
      expect(await forwards()).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith('Restart recovery:'))).toHaveLength(1);
    } finally {
      await stack.stop();
      await data.remove();
    }
  }, 90_000);
});

async function jsonFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
}
