import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AsyncFailureRecord } from './async-invoke';

/**
 * The files behind the local asynchronous invoker: its queue (one file per invocation accepted and
 * not finished yet, so that a killed process loses none, P1) and its failure folder (Lambda's
 * on-failure destination). Both hold events, and events hold addresses: the folders are the
 * owner's only (0700) and every file 0600 (P7).
 */

/** Lambda's request ids are UUIDs; anything else is not used in a file name. */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isRequestId = (value: unknown): value is string =>
  typeof value === 'string' && REQUEST_ID.test(value);

/** Where records that were replayed are set aside, inside the failure folder (each is replayed once). */
export const REPLAYED_FOLDER = 'replayed';

/**
 * Writes `text` to `file` so that a reader finds the whole file or none: a temporary file, fsync,
 * rename, then the folder fsynced so that the rename itself survives a crash of the machine.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await syncFolder(dir);
}

async function syncFolder(dir: string): Promise<void> {
  // Not every platform can open a folder to fsync it (Windows cannot); the rename is done either way.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle
    .sync()
    .catch(() => undefined)
    .finally(() => handle.close());
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** The names in a folder; none if it does not exist yet. */
async function namesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch((error: unknown) => {
    if (isMissing(error)) return [] as string[];
    throw error;
  });
}

/** The `.json` files of a folder, by name (`.tmp` files are half-written ones). */
async function jsonFilesIn(dir: string): Promise<string[]> {
  return (await namesIn(dir)).filter((name) => name.endsWith('.json')).sort();
}

/** One invocation accepted and not finished: what the queue file holds. */
export interface QueuedInvocation {
  requestId: string;
  /** When the invocation was accepted (ISO 8601). */
  queuedAt: string;
  event: unknown;
}

export interface InvocationQueue {
  readonly dir: string;
  /** Resolves once the invocation is on disk, durably. */
  put(invocation: QueuedInvocation): Promise<void>;
  /** The invocation is finished (or kept in the failure folder): its file goes. */
  remove(requestId: string): Promise<void>;
  /**
   * Every invocation in the folder (at start: those a stopped or killed process left), oldest
   * first, and the names of files that could not be read (left where they are).
   */
  leftovers(): Promise<{ invocations: QueuedInvocation[]; unreadable: string[] }>;
  /** Removes half-written files, whose callers never heard "accepted", of the request ids `abandoned` names. */
  removeHalfWritten(abandoned: (requestId: string) => boolean): Promise<void>;
}

export function invocationQueue(dir: string): InvocationQueue {
  const fileOf = (requestId: string) => path.join(dir, `${requestId}.json`);
  return {
    dir,
    put: (invocation) => writeFileAtomically(fileOf(invocation.requestId), `${JSON.stringify(invocation)}\n`),
    async remove(requestId) {
      await rm(fileOf(requestId), { force: true });
    },
    async leftovers() {
      const invocations: QueuedInvocation[] = [];
      const unreadable: string[] = [];
      for (const name of await jsonFilesIn(dir)) {
        const invocation = await readJson(path.join(dir, name));
        if (invocation === GONE) continue; // finished meanwhile
        if (isQueuedInvocation(invocation) && name === `${invocation.requestId}.json`) {
          invocations.push(invocation);
        } else unreadable.push(name);
      }
      invocations.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
      return { invocations, unreadable };
    },
    async removeHalfWritten(abandoned) {
      const halfWritten = (await namesIn(dir)).filter(
        (name) => name.endsWith('.json.tmp') && abandoned(name.slice(0, -'.json.tmp'.length)),
      );
      await Promise.all(halfWritten.map((name) => rm(path.join(dir, name), { force: true })));
    },
  };
}

const GONE = Symbol('gone');

/** The file's JSON; undefined if it is not JSON; GONE if it was removed after the folder was read. */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return isMissing(error) ? GONE : undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isQueuedInvocation(value: unknown): value is QueuedInvocation {
  const candidate = value as Partial<QueuedInvocation> | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    isRequestId(candidate.requestId) &&
    typeof candidate.queuedAt === 'string' &&
    'event' in candidate
  );
}

/** A record in the failure folder, and its file. */
export interface KeptFailure {
  file: string;
  record: AsyncFailureRecord;
}

/** The file name of a failure record: when, then the request id (several records may share one). */
export function failureRecordFile(failureDir: string, record: AsyncFailureRecord): string {
  const stamp = record.timestamp.replace(/[:.]/g, '-');
  return path.join(failureDir, `${stamp}-${record.requestContext.requestId}.json`);
}

/**
 * The records in the failure folder for one function (its ARN, with or without a qualifier such as
 * `:$LATEST`), oldest first. Records of other functions, and files that are not records, stay.
 */
export async function failureRecordsFor(failureDir: string, functionArn: string): Promise<KeptFailure[]> {
  const kept: KeptFailure[] = [];
  for (const name of await jsonFilesIn(failureDir)) {
    const file = path.join(failureDir, name);
    const read = await readJson(file);
    if (typeof read !== 'object' || read === null || !('requestPayload' in read)) continue;
    const record = read as Partial<AsyncFailureRecord>;
    const arn = record.requestContext?.functionArn;
    if (typeof arn !== 'string' || !(arn === functionArn || arn.startsWith(`${functionArn}:`))) continue;
    kept.push({ file, record: record as AsyncFailureRecord });
  }
  return kept;
}

/** Moves a replayed record into `replayed/`, so that the next start does not replay it again. */
export async function setAsideReplayed(failureDir: string, kept: KeptFailure): Promise<void> {
  const aside = path.join(failureDir, REPLAYED_FOLDER);
  await mkdir(aside, { recursive: true, mode: 0o700 });
  await rename(kept.file, path.join(aside, path.basename(kept.file)));
  await syncFolder(failureDir);
}
