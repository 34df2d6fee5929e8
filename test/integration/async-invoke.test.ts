import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AsyncFailureRecord,
  type AsyncInvokerOptions,
  createAsyncInvoker,
} from '../../local/async-invoke';
import { startInboundSmtp } from '../../local/smtp';
import { makeTempDir } from '../helpers/local-stack';

/**
 * The local asynchronous invoker with a queue folder: what it accepted is on disk before the caller
 * hears so, stays there until it is done or kept as a failure, and a later start replays what a
 * killed process left (P1). Real files in a temporary folder; the handlers are the tests' own.
 */

let data: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  data = await makeTempDir('contact-screening-queue-');
});
afterAll(async () => data?.remove());

let folders = 0;
/** A fresh queue folder and failure folder for one test. */
function foldersFor(name: string) {
  folders += 1;
  const base = path.join(data.dir, `${folders}-${name}`);
  return { queueDir: path.join(base, 'queue'), failureDir: path.join(base, 'failed-events') };
}

const jsonIn = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;

/**
 * A handler that records what it got and fails or hangs when the event says so; once `fixed`, it
 * does neither (the handler of a later start, after the fault has gone).
 */
function recordingHandler({ fixed = false } = {}) {
  const calls: Array<{ id: string; requestId: string }> = [];
  const handler: AsyncInvokerOptions['handler'] = async (event, context: Context) => {
    const { id, fail, hang } = event as { id: string; fail?: boolean; hang?: boolean };
    calls.push({ id, requestId: context.awsRequestId });
    if (fixed) return;
    if (hang) await new Promise(() => undefined);
    if (fail) throw new Error('fails');
  };
  return { calls, handler };
}

/** An attempt that never ends within a test: what a process that is killed leaves running. */
const NEVER_MS = 10 * 60_000;

describe('the local asynchronous invoker with a queue folder', () => {
  it('accepts an event only once its file is written (0600), runs it after, and removes the file when done', async () => {
    const dirs = foldersFor('accept');
    const seenAtStart: string[][] = [];
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const invoker = createAsyncInvoker({
      functionName: 'durable',
      ...dirs,
      handler: async () => {
        seenAtStart.push(await jsonIn(dirs.queueDir));
        await finished;
      },
    });
    const accepted = invoker.invoke({ id: 'one' });
    expect(invoker.pending).toBe(1);
    await accepted;
    const [file, ...others] = await jsonIn(dirs.queueDir);
    expect(others).toEqual([]);
    const queued = await readJson<{ requestId: string; event: unknown }>(path.join(dirs.queueDir, file!));
    expect(queued).toMatchObject({ requestId: file!.replace(/\.json$/, ''), event: { id: 'one' } });
    expect((await stat(path.join(dirs.queueDir, file!))).mode & 0o777).toBe(0o600);

    finish();
    await invoker.idle();
    expect(seenAtStart).toEqual([[file]]); // the handler ran only once the event was on disk
    expect(await jsonIn(dirs.queueDir)).toEqual([]);
    expect(await jsonIn(dirs.failureDir)).toEqual([]);
  });

  it('refuses an event it cannot write, and never runs it', async () => {
    const dirs = foldersFor('refuse');
    await mkdir(path.dirname(dirs.queueDir), { recursive: true });
    await writeFile(dirs.queueDir, 'a file where the folder should be\n');
    const { calls, handler } = recordingHandler();
    const invoker = createAsyncInvoker({ functionName: 'refusing', ...dirs, handler });
    await expect(invoker.invoke({ id: 'lost?' })).rejects.toThrow();
    await invoker.idle();
    expect(calls).toEqual([]);
  });

  it('takes an event that failed every attempt off the queue once its failure record is written', async () => {
    const dirs = foldersFor('fails');
    const { calls, handler } = recordingHandler();
    const invoker = createAsyncInvoker({ functionName: 'failing', ...dirs, retryDelaysMs: [5], handler });
    await invoker.invoke({ id: 'bad', fail: true });
    await invoker.idle();
    expect(calls).toHaveLength(2);
    expect(await jsonIn(dirs.queueDir)).toEqual([]);
    const [record] = await jsonIn(dirs.failureDir);
    expect(
      (await readJson<AsyncFailureRecord>(path.join(dirs.failureDir, record!))).requestContext,
    ).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 2 });
  });

  it('replays, at the next start, what a killed process left in the queue: once, with its request id', async () => {
    const dirs = foldersFor('killed');
    const killed = recordingHandler();
    // The first process accepts two events and is "killed" while they run: it never finishes them.
    const first = createAsyncInvoker({
      functionName: 'inbound',
      ...dirs,
      timeoutMs: NEVER_MS,
      handler: killed.handler,
    });
    await first.invoke({ id: 'a', hang: true });
    await first.invoke({ id: 'b', hang: true });
    expect(await jsonIn(dirs.queueDir)).toHaveLength(2);
    // A write the kill cut short: its caller never heard "accepted".
    const halfWritten = path.join(dirs.queueDir, '00000000-0000-4000-8000-000000000000.json.tmp');
    await writeFile(halfWritten, '{"requestId":');

    const restarted = recordingHandler({ fixed: true });
    const second = createAsyncInvoker({ functionName: 'inbound', ...dirs, handler: restarted.handler });
    expect(await second.recover()).toEqual({ replayed: 2 });
    expect(await second.recover()).toEqual({ replayed: 0 }); // already under way: not twice
    await second.idle();
    expect(restarted.calls.map((call) => call.id).sort()).toEqual(['a', 'b']);
    expect(new Set(restarted.calls.map((call) => call.requestId))).toEqual(
      new Set(killed.calls.map((call) => call.requestId)),
    );
    expect(await readdir(dirs.queueDir)).toEqual([]);

    const third = createAsyncInvoker({ functionName: 'inbound', ...dirs, handler: restarted.handler });
    expect(await third.recover()).toEqual({ replayed: 0 });
  });

  it("replays this function's failure records once, sets them aside, and keeps a replay that fails again", async () => {
    const dirs = foldersFor('records');
    const failing = recordingHandler();
    const before = createAsyncInvoker({
      functionName: 'inbound',
      ...dirs,
      retryDelaysMs: [],
      handler: failing.handler,
    });
    await before.invoke({ id: 'fixed-later', fail: true });
    await before.invoke({ id: 'still-failing', fail: true });
    await before.idle();
    const other = createAsyncInvoker({
      functionName: 'notify',
      ...dirs,
      retryDelaysMs: [],
      handler: failing.handler,
    });
    await other.invoke({ id: 'not-mine', fail: true });
    await other.idle();
    expect(await jsonIn(dirs.failureDir)).toHaveLength(3);

    const now = recordingHandler();
    const after = createAsyncInvoker({
      functionName: 'inbound',
      ...dirs,
      retryDelaysMs: [],
      handler: async (event, context) => {
        const { id } = event as { id: string };
        await now.handler({ id, fail: id === 'still-failing' }, context);
      },
    });
    expect(await after.recover()).toEqual({ replayed: 2 });
    await after.idle();
    expect(now.calls.map((call) => call.id).sort()).toEqual(['fixed-later', 'still-failing']);

    expect(await jsonIn(path.join(dirs.failureDir, 'replayed'))).toHaveLength(2);
    const left = await Promise.all(
      (await jsonIn(dirs.failureDir)).map((name) =>
        readJson<AsyncFailureRecord>(path.join(dirs.failureDir, name)),
      ),
    );
    // The notify record stays for notify; the replay that failed again is a new record, replayed next time.
    expect(left.map((record) => (record.requestPayload as { id: string }).id).sort()).toEqual([
      'not-mine',
      'still-failing',
    ]);
    const fixed = recordingHandler({ fixed: true });
    const again = createAsyncInvoker({ functionName: 'inbound', ...dirs, handler: fixed.handler });
    expect(await again.recover()).toEqual({ replayed: 1 });
    await again.idle();
    expect(fixed.calls.map((call) => call.id)).toEqual(['still-failing']);
    expect(await jsonIn(dirs.failureDir)).toHaveLength(1); // only notify's
  });

  it('replays once an event both queued and kept (a process killed between the two)', async () => {
    const dirs = foldersFor('both');
    const { calls, handler } = recordingHandler();
    const first = createAsyncInvoker({ functionName: 'inbound', ...dirs, retryDelaysMs: [], handler });
    await first.invoke({ id: 'twice?', fail: true });
    await first.idle();
    const [name] = await jsonIn(dirs.failureDir);
    const record = await readJson<AsyncFailureRecord>(path.join(dirs.failureDir, name!));
    // As if killed after the record was written and before the queue file went.
    const { requestId } = record.requestContext;
    await writeFile(
      path.join(dirs.queueDir, `${requestId}.json`),
      JSON.stringify({ requestId, queuedAt: record.timestamp, event: record.requestPayload }),
    );

    const replays = recordingHandler({ fixed: true });
    const second = createAsyncInvoker({ functionName: 'inbound', ...dirs, handler: replays.handler });
    expect(await second.recover()).toEqual({ replayed: 1 });
    await second.idle();
    expect(replays.calls).toEqual([{ id: 'twice?', requestId }]);
    expect(calls).toHaveLength(1);
    expect(await jsonIn(dirs.failureDir)).toEqual([]);
  });

  it('on close, keeps what is unfinished in the failure folder and off the queue; the next start replays it', async () => {
    const dirs = foldersFor('close');
    const { handler } = recordingHandler();
    const first = createAsyncInvoker({ functionName: 'inbound', ...dirs, timeoutMs: NEVER_MS, handler });
    await first.invoke({ id: 'hanging', hang: true });
    await first.close(50);
    expect(await jsonIn(dirs.queueDir)).toEqual([]);
    const [name] = await jsonIn(dirs.failureDir);
    expect(
      (await readJson<AsyncFailureRecord>(path.join(dirs.failureDir, name!))).requestContext.condition,
    ).toBe('LocalStackStopped');
    // Accepted while closing: kept at once, never run.
    await first.invoke({ id: 'late' });
    expect(await jsonIn(dirs.failureDir)).toHaveLength(2);

    const replays = recordingHandler({ fixed: true });
    const second = createAsyncInvoker({ functionName: 'inbound', ...dirs, handler: replays.handler });
    expect(await second.recover()).toEqual({ replayed: 2 });
    await second.idle();
    expect(replays.calls.map((call) => call.id).sort()).toEqual(['hanging', 'late']);
  });
});

describe('inbound SMTP with a durable queue', () => {
  it('answers 451 when the event cannot be queued, and 250 once it is', async () => {
    let queueFails = true;
    const lines: string[] = [];
    const server = await startInboundSmtp({
      host: '127.0.0.1',
      claim: { port: 0, env: 'SMTP_PORT' },
      councilDomains: ['council.example'],
      keyPrefix: '',
      store: async () => undefined,
      deliver: async () => {
        if (queueFails) throw Object.assign(new Error('no space left on device'), { name: 'ENOSPC' });
      },
      log: (line) => lines.push(line),
    });
    try {
      const send = () =>
        createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true }).sendMail({
          envelope: { from: 'pat.sender@example.org', to: ['a@council.example'] },
          raw: 'From: pat.sender@example.org\r\nSubject: test\r\n\r\nHello\r\n',
        });
      await expect(send()).rejects.toMatchObject({ responseCode: 451 });
      expect(lines).toEqual([expect.stringMatching(/could not be queued \(ENOSPC\); the sender was asked/)]);
      queueFails = false;
      expect((await send()).response).toMatch(/^250 /);
    } finally {
      await server.close();
    }
  });
});
