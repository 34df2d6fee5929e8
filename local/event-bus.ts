import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { type EventRule, eventBusName, eventRules, matchesRule } from '../lambdas/adapters/eventbridge/rules';
import { type AsyncInvoker, type AsyncLambdaHandler, createAsyncInvoker } from './async-invoke';
import { closeServer, listenOn, type PortClaim } from './ports';
import { AWS_REGION } from './settings';

/**
 * The local stand-in for the custom EventBridge bus. No maintained npm emulator speaks EventBridge,
 * so this one speaks the one call we use, `PutEvents` (JSON 1.1 protocol), well enough for the
 * production publisher (@aws-sdk/client-eventbridge) to run against it with only the endpoint changed.
 * Each event it takes is wrapped in the envelope EventBridge delivers to targets, matched against the
 * same rules the CDK stack deploys (lambdas/adapters/eventbridge/rules.ts), and handed to each
 * matching rule's Lambda as an asynchronous invocation, as EventBridge invokes Lambda targets:
 * retries, then a failure record in `$DATA_DIR/failed-events/` (never silently away, P1). With a
 * queue folder, PutEvents answers success for an entry only once its invocations are kept there.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */

/** The account id in envelopes and ARNs, as the other local parts use. */
export const LOCAL_ACCOUNT = '000000000000';
/** PutEvents takes at most 10 entries per request. */
export const MAX_ENTRIES = 10;
/** An entry may be at most 256 KB (Source, DetailType, Detail, Resources and Time, as AWS counts it). */
export const MAX_ENTRY_BYTES = 256 * 1024;
/** Nothing a valid request holds comes near this; refuse before reading more. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How many published events `published()` keeps, newest last. */
const DEFAULT_KEEP = 500;
/** How long `close()` waits for target invocations under way before keeping their events. */
const DRAIN_MS = 5_000;

/** The function a rule target names, as the CDK stack names it (Lambda Context, failure records). */
export const targetFunctionName = (target: EventRule['target']) => `contact-screening-${target}`;

/** What EventBridge hands a target: the event in its envelope. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** One event the bus took, and the rules it matched (their targets were invoked). */
export interface PublishedBusEvent {
  event: EventEnvelope;
  /** Ids of the rules it matched (EventRule.id), in the order of `eventRules`. */
  matchedRules: string[];
  /** When the bus received it (the envelope's `time` may be the publisher's). */
  receivedAt: string;
}

export interface LocalEventBusOptions {
  host: string;
  claim: PortClaim;
  /** Where target invocations that failed every attempt are kept (Lambda's on-failure record). */
  failureDir: string;
  /** Where each target's accepted invocations wait until done (`<queueDir>/<target>`); without it, in memory. */
  queueDir?: string;
  /** @default eventRules — the rules the CDK stack deploys */
  rules?: readonly EventRule[];
  /** @default eventBusName */
  busName?: string;
  /** The handler of each rule target (the stack's notify function; a test's fake). */
  targets: Readonly<Record<EventRule['target'], AsyncLambdaHandler>>;
  /** Waits before the target's retries (default: the async invoker's, 1 s then 2 s). */
  retryDelaysMs?: readonly number[];
  /** How many published events to keep in memory. @default 500 */
  keep?: number;
  /** One line per event a target gave up on; ids and detail types only (P7). */
  log?: (line: string) => void;
  now?: () => Date;
}

export interface LocalEventBus {
  port: number;
  /** `http://127.0.0.1:<port>`: the EVENTBRIDGE_ENDPOINT of the Lambda handlers. */
  endpoint: string;
  busName: string;
  /** The events taken lately (the last `keep`), oldest first. */
  published(): PublishedBusEvent[];
  /** Resolves when no target invocation is running or waiting for a retry. */
  idle(): Promise<void>;
  /** Replays, for every rule target, what a stopped or killed process left (see AsyncInvoker.recover). */
  recover(): Promise<{ replayed: number }>;
  /** Stops taking requests, then lets target invocations finish (or keeps their events). */
  close(graceMs?: number): Promise<void>;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startLocalEventBus(options: LocalEventBusOptions): Promise<LocalEventBus> {
  const {
    host,
    rules = eventRules,
    busName = eventBusName,
    keep = DEFAULT_KEEP,
    log = () => undefined,
    now = () => new Date(),
  } = options;
  const busArn = `arn:aws:events:${AWS_REGION}:${LOCAL_ACCOUNT}:event-bus/${busName}`;
  const recent: PublishedBusEvent[] = [];

  // One asynchronous invoker per target function, made when a rule first needs it.
  const invokers = new Map<EventRule['target'], AsyncInvoker>();
  const invokerFor = (target: EventRule['target']): AsyncInvoker => {
    let invoker = invokers.get(target);
    if (!invoker) {
      invoker = createAsyncInvoker({
        functionName: targetFunctionName(target),
        handler: options.targets[target],
        failureDir: options.failureDir,
        ...(options.queueDir ? { queueDir: path.join(options.queueDir, target) } : {}),
        ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
        log,
        describe: describeEnvelope,
      });
      invokers.set(target, invoker);
    }
    return invoker;
  };

  /** Checks one entry as EventBridge does, and delivers it if it is good. */
  async function putEntry(entry: unknown): Promise<ResultEntry> {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return invalid('Entry', 'Entry must be an object.');
    }
    const { Source, DetailType, Detail, EventBusName, Resources, Time } = entry as Record<string, unknown>;
    const requestedBus = EventBusName === undefined || EventBusName === '' ? 'default' : EventBusName;
    if (requestedBus !== busName && requestedBus !== busArn) {
      return {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: `Event bus ${String(requestedBus)} does not exist.`,
      };
    }
    if (typeof Source !== 'string' || Source === '')
      return invalid('Source', 'Source is a required argument.');
    if (typeof DetailType !== 'string' || DetailType === '') {
      return invalid('DetailType', 'DetailType is a required argument.');
    }
    if (typeof Detail !== 'string' || Detail === '')
      return invalid('Detail', 'Detail is a required argument.');
    if (
      Resources !== undefined &&
      !(Array.isArray(Resources) && Resources.every((resource) => typeof resource === 'string'))
    ) {
      return invalid('Resources', 'Resources must be a list of ARNs.');
    }
    const resources = (Resources ?? []) as string[];
    let detail: unknown;
    try {
      detail = JSON.parse(Detail);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const time = timeOf(Time, now());
    if (!time) return invalid('Time', 'Time must be a timestamp.');
    const size =
      Buffer.byteLength(Source) +
      Buffer.byteLength(DetailType) +
      Buffer.byteLength(Detail) +
      resources.reduce((sum, resource) => sum + Buffer.byteLength(resource), 0) +
      (Time === undefined ? 0 : 14);
    if (size > MAX_ENTRY_BYTES) {
      return invalid('Entry', `Entry is ${size} bytes; the limit is ${MAX_ENTRY_BYTES}.`);
    }

    const event: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': DetailType,
      source: Source,
      account: LOCAL_ACCOUNT,
      time,
      region: AWS_REGION,
      resources,
      detail: detail as Record<string, unknown>,
    };
    const matched = rules.filter((rule) => matchesRule(rule, event));
    const taken: PublishedBusEvent = {
      event,
      matchedRules: matched.map((rule) => rule.id),
      receivedAt: now().toISOString(),
    };
    recent.push(taken);
    if (recent.length > keep) recent.splice(0, recent.length - keep);
    try {
      // Each rule gets its own copy, as EventBridge delivers one per matching rule; success is told
      // only once every copy is kept (a copy kept twice after a retried entry is harmless, P6).
      await Promise.all(matched.map((rule) => invokerFor(rule.target).invoke(structuredClone(event))));
    } catch {
      const at = recent.indexOf(taken);
      if (at >= 0) recent.splice(at, 1);
      return { ErrorCode: 'InternalFailure', ErrorMessage: 'The event could not be kept; send it again.' };
    }
    return { EventId: event.id };
  }

  async function putEvents(body: unknown): Promise<{ FailedEntryCount: number; Entries: ResultEntry[] }> {
    const entries = (body as { Entries?: unknown } | null)?.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new RequestError(
        400,
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    const results = await Promise.all(entries.map(putEntry));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  const server = http.createServer((req, res) => {
    void serve(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { __type: 'InternalException', message: 'Internal error' });
      else res.destroy();
    });
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/health-check') {
      req.resume();
      return reply(res, 200, { status: 'ok', busName, rules: rules.map((rule) => rule.id) });
    }
    try {
      if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
        req.resume();
        throw new RequestError(404, 'UnknownOperationException', 'Only POST / is served.');
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target !== 'AWSEvents.PutEvents') {
        req.resume();
        throw new RequestError(
          400,
          'UnknownOperationException',
          `The local bus speaks AWSEvents.PutEvents only, not ${target || '(no X-Amz-Target)'}.`,
        );
      }
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new RequestError(400, 'SerializationException', 'The request body is not JSON.');
      }
      reply(res, 200, await putEvents(body));
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      reply(res, error.status, { __type: error.type, message: error.message });
    }
  }

  const port = await listenOn(server, host, options.claim);

  async function idle(): Promise<void> {
    while ([...invokers.values()].some((invoker) => invoker.pending > 0)) {
      await Promise.all([...invokers.values()].map((invoker) => invoker.idle()));
    }
  }

  return {
    port,
    endpoint: `http://${host}:${port}`,
    busName,
    published: () => recent.map((entry) => structuredClone(entry)),
    idle,
    async recover() {
      const targets = [...new Set(rules.map((rule) => rule.target))];
      const recovered = await Promise.all(targets.map((target) => invokerFor(target).recover()));
      return { replayed: recovered.reduce((sum, { replayed }) => sum + replayed, 0) };
    },
    async close(graceMs = DRAIN_MS) {
      await closeServer(server);
      await Promise.all([...invokers.values()].map((invoker) => invoker.close(graceMs)));
    },
  };
}

function invalid(parameter: string, reason: string): ResultEntry {
  return {
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
  };
}

/**
 * The envelope's time: the entry's Time (the SDK sends epoch seconds), else now. EventBridge gives it
 * to the second, as `2026-04-03T15:20:00Z`.
 */
function timeOf(value: unknown, now: Date): string | undefined {
  let date: Date;
  if (value === undefined || value === null) date = now;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string') date = new Date(value);
  else return undefined;
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** How a log line names an event: its id and detail type, never its detail (P7). */
function describeEnvelope(event: unknown): string {
  const { id, 'detail-type': detailType } = (event ?? {}) as Partial<EventEnvelope>;
  const safe = (value: unknown) =>
    typeof value === 'string' && /^[A-Za-z0-9._:-]{1,200}$/.test(value) ? value : '?';
  return `event ${safe(id)} (${safe(detailType)})`;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit: answer at once, and let the rest drain unread so that the client hears it.
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        reject(new RequestError(413, 'RequestEntityTooLargeException', 'The request is too large.'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  res.setHeader('x-amzn-requestid', randomUUID());
  res.setHeader('content-length', payload.length);
  res.end(payload);
}
