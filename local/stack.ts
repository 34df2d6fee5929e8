import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { eventBusName, eventRules } from '../lambdas/adapters/eventbridge/rules';
import { resolveAdminToken } from './admin-token';
import type { GatewayRequest, GatewayResponse } from './api-gateway-v2';
import { asyncLambdaEntry, createAsyncInvoker } from './async-invoke';
import { createTable } from './create-table';
import { lockDataDir } from './data-dir-lock';
import { startDynamoDb, startS3, startSes } from './emulators';
import { type PublishedBusEvent, startLocalEventBus } from './event-bus';
import { createGateway, localRoutes } from './gateway';
import { healthCheck } from './health';
import { assertPortsFree, type PortClaim } from './ports';
import { type SeedOutcome, seedDemoRegister } from './seed';
import { INBOUND_FUNCTION_NAME, type SesReceiptEvent } from './ses-event';
import {
  AWS_REGION,
  LocalStackError,
  type LocalStackOptions,
  MAIL_BUCKET,
  type PortName,
  type Ports,
  portSettings,
  readLocalSettings,
  TABLE_NAME,
} from './settings';
import { s3RawMailStore, startInboundSmtp } from './smtp';
import { staticFiles } from './static-files';

export { LocalStackError, type LocalStackOptions } from './settings';

export interface LocalStack {
  urls: {
    /** The HTTP gateway's base, without a trailing slash. */
    gateway: string;
    form: string;
    admin: string;
    health: string;
    sesUi: string;
    ses: string;
    dynamodb: string;
    s3: string;
    /** Inbound mail: `smtp://127.0.0.1:2525`. */
    smtp: string;
    /** The local EventBridge bus (PutEvents), the handlers' EVENTBRIDGE_ENDPOINT. */
    eventbridge: string;
  };
  /** The ports actually bound (ephemeral ones resolved). */
  ports: Ports;
  adminToken: string;
  dataDir: string;
  tableName: string;
  bucket: string;
  /** The domains inbound mail is accepted for (COUNCIL_DOMAINS). */
  councilDomains: string[];
  seed: SeedOutcome | 'skipped';
  /** Sends a request through the gateway in-process, exactly as the HTTP server would. */
  dispatch(request: GatewayRequest): Promise<GatewayResponse>;
  /** Inbound email, as SES email receiving and Lambda's asynchronous invocation would run it. */
  inbound: {
    /** Resolves when no inbound-email invocation is running or waiting for a retry. */
    idle(): Promise<void>;
    /** Hands an SES receipt event to the Lambda again (SES and Lambda deliver at least once). */
    deliver(event: unknown): void;
    /** The event built for a message received lately, by its SES message id (the SMTP reply names it). */
    receivedEvent(messageId: string): SesReceiptEvent | undefined;
    /** Where events that failed every attempt are kept (the on-failure destination). */
    failedEventsDir: string;
  };
  /** The local EventBridge bus: what was published on it, and the rule targets it invoked. */
  events: {
    /** The events published lately (the last 500), oldest first, with the rules each matched. */
    published(): PublishedBusEvent[];
    /** Resolves when no rule target invocation (notify) is running or waiting for a retry. */
    idle(): Promise<void>;
    /** Where target invocations that failed every attempt are kept (shared with inbound mail). */
    failedEventsDir: string;
  };
  /**
   * Runs the daily review job (lambdas/review) now, as its schedule does, and resolves with its summary.
   * `now` (an ISO 8601 instant) runs it as if it were then: tests use it as a fake clock.
   */
  runReview(now?: string): Promise<import('../lambdas/core/review').ReviewSummary>;
  stop(): Promise<void>;
}

/** How long `stop()` waits for inbound-email invocations under way before keeping their events. */
const INBOUND_DRAIN_MS = 5_000;
/** The same for the bus's rule targets (notify), which run after inbound mail has drained. */
const EVENT_TARGET_DRAIN_MS = 5_000;

/** The daily review runs this long after the start, then every REVIEW_INTERVAL_MINUTES (default a day). */
const REVIEW_FIRST_RUN_MS = 5_000;
const REVIEW_DEFAULT_INTERVAL_MINUTES = 24 * 60;

/** The emulator ports the Lambda modules keep once configured (their endpoints are read once). */
const LAMBDA_PORTS = ['dynamodbPort', 's3Port', 'sesPort', 'eventbridgePort'] as const;

/** Settings passed into this process's environment for the Lambda handlers, which read it once. */
const PASS_THROUGH = [
  'COUNCIL_DOMAINS',
  'SERVICE_INBOX',
  'MANAGERS',
  'SCREENING_FROM',
  'TIME_ZONE',
  'NOTIFY_RESTRICTED_ROUTED',
] as const;

/**
 * What the Lambda modules of this process were configured with. They read their configuration
 * once and keep their clients, so a later start in the same process (a test restarting the stack)
 * must keep the same emulator endpoints and token: ephemeral (0) emulator ports reuse the first
 * start's ports, and a different explicit port or token is refused.
 */
let lambdaEnvironment: { ports: Pick<Ports, (typeof LAMBDA_PORTS)[number]>; adminToken: string } | undefined;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const settings = readLocalSettings(options);
  const log = options.log ?? (() => undefined);
  const { host, dataDir } = settings;
  const ports = { ...settings.ports };
  if (lambdaEnvironment) {
    for (const name of LAMBDA_PORTS) {
      if (ports[name] === 0) ports[name] = lambdaEnvironment.ports[name];
    }
  }
  const claim = (name: PortName): PortClaim => ({ port: ports[name], env: portSettings[name].env });

  await mkdir(dataDir, { recursive: true });
  // The data directory first: `npm start` twice is better told that than "port 3000 is in use".
  const unlockDataDir = await lockDataDir(dataDir);
  const closers: Array<() => Promise<void>> = [unlockDataDir];
  const stopAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };

  let adminToken: string;
  let lambdaConfig: Awaited<ReturnType<typeof assertValidLambdaConfig>>;
  try {
    await assertPortsFree(host, [
      claim('port'),
      claim('smtpPort'),
      claim('sesPort'),
      claim('dynamodbPort'),
      claim('s3Port'),
      claim('eventbridgePort'),
    ]);
    adminToken = await resolveAdminToken(dataDir, settings.adminToken);
    assertSameLambdaEnvironment(ports, adminToken);
    // The lambdas' own validation, before anything starts, so a bad setting costs one clear line.
    const endpoint = (port: number) => ({ endpoint: `http://${host}:${port}` });
    const planned = {
      dynamodb: endpoint(ports.dynamodbPort),
      s3: endpoint(ports.s3Port),
      ses: endpoint(ports.sesPort),
      eventbridge: endpoint(ports.eventbridgePort),
    };
    lambdaConfig = await assertValidLambdaConfig({
      ...process.env,
      ...lambdaEnvironmentFor(settings.env, planned, adminToken),
    });
  } catch (error) {
    await stopAll();
    throw error;
  }

  // The emulators accept any credentials (s3rver once told which), but the SDK must find some.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const signingCredentials = [
    credentials,
    { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
  ];

  const remember = <T extends { close(): Promise<void> }>(part: T): T => {
    closers.push(() => part.close());
    return part;
  };

  try {
    // allSettled: when one fails, the others have started (and are remembered) before we stop them.
    const [dynamodb, s3, ses] = settledOrThrow(
      await Promise.allSettled([
        startDynamoDb(host, dataDir, claim('dynamodbPort')).then(remember),
        startS3(host, dataDir, claim('s3Port'), signingCredentials).then(remember),
        startSes(host, claim('sesPort')).then(remember),
      ]),
    );

    // The bus after the emulators, so that it stops before them: its targets (notify) need them to finish.
    const failedEventsDir = path.join(dataDir, 'failed-events');
    const eventBus = await startLocalEventBus({
      host,
      claim: claim('eventbridgePort'),
      failureDir: failedEventsDir,
      ...(options.eventTargetRetryDelaysMs ? { retryDelaysMs: options.eventTargetRetryDelaysMs } : {}),
      log,
    });
    closers.push(() => eventBus.close(EVENT_TARGET_DRAIN_MS));

    // Before any module under lambdas/ is imported: they read this once.
    Object.assign(
      process.env,
      lambdaEnvironmentFor(settings.env, { dynamodb, s3, ses, eventbridge: eventBus }, adminToken),
    );
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true'; // no CloudWatch here: keep EMF off the console
    lambdaEnvironment = {
      ports: {
        dynamodbPort: dynamodb.port,
        s3Port: s3.port,
        sesPort: ses.port,
        eventbridgePort: eventBus.port,
      },
      adminToken,
    };

    const dynamoClient = new DynamoDBClient({ region: AWS_REGION, endpoint: dynamodb.endpoint, credentials });
    closers.push(async () => dynamoClient.destroy());
    await createTable(dynamoClient, TABLE_NAME).catch((error: unknown) => {
      throw new LocalStackError(
        `Cannot create the table in ${dataDir}/dynamodb (${error instanceof Error ? error.name : 'error'}).`,
      );
    });

    // Probes fail fast and do not retry: a health check must not hang.
    const probeOptions = { region: AWS_REGION, credentials, maxAttempts: 1 };
    const dynamoProbe = new DynamoDBClient({ ...probeOptions, endpoint: dynamodb.endpoint });
    const s3Probe = new S3Client({ ...probeOptions, endpoint: s3.endpoint, forcePathStyle: true });
    closers.push(async () => {
      dynamoProbe.destroy();
      s3Probe.destroy();
    });
    // Inbound mail: SES email receiving (S3 action, then Lambda action, invocation type Event).
    const mailStoreClient = new S3Client({
      region: AWS_REGION,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials,
      // s3rver does not understand aws-chunked uploads, which a streamed body with a checksum uses.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    closers.push(async () => mailStoreClient.destroy());
    const inboundEntry = asyncLambdaEntry('inbound-email');
    const inboundInvoker = createAsyncInvoker({
      functionName: INBOUND_FUNCTION_NAME,
      load: inboundEntry.load,
      failureDir: failedEventsDir,
      ...(options.inboundRetryDelaysMs ? { retryDelaysMs: options.inboundRetryDelaysMs } : {}),
      log,
      describe: (event) => `message ${sesMessageIdOf(event)}`,
    });
    closers.push(() => inboundInvoker.close(INBOUND_DRAIN_MS));
    const councilDomains = [...lambdaConfig.COUNCIL_DOMAINS];
    const smtp = await startInboundSmtp({
      host,
      claim: claim('smtpPort'),
      councilDomains,
      store: s3RawMailStore(mailStoreClient, lambdaConfig.MAIL_BUCKET),
      keyPrefix: lambdaConfig.MAIL_PREFIX,
      deliver: (event) => inboundInvoker.invoke(event),
      log,
    });
    // Closed before the invocations drain (closers run in reverse), and before the emulators they need.
    closers.push(() => smtp.close());

    const health = healthCheck({
      dynamodb: dynamoProbe,
      tableName: TABLE_NAME,
      s3: s3Probe,
      bucket: MAIL_BUCKET,
      sesEndpoint: ses.endpoint,
      smtp: { host, port: smtp.port },
      eventBridgeEndpoint: eventBus.endpoint,
    });

    const webDir = options.webDir ?? fileURLToPath(new URL('../web', import.meta.url));
    const routes = localRoutes({ health: health.handler, staticFiles: staticFiles(webDir) });
    const gateway = createGateway({ routes, log });
    const gatewayPort = await gateway.listen(host, claim('port'));
    closers.push(() => gateway.close());
    const base = `http://${host}:${gatewayPort}`;

    // Load the handlers now, so a broken one shows at start rather than on the first request.
    for (const route of routes) {
      if (route.source === undefined) continue;
      if (!existsSync(route.source)) {
        log(
          `Note: ${route.route} has no handler yet (${path.relative(process.cwd(), route.source)}); it answers 503.`,
        );
        continue;
      }
      await route.load().catch((error: unknown) => {
        const why = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'error';
        log(`Warning: the ${route.route} handler does not load (${why}); it answers 500 until fixed.`);
      });
    }
    await inboundEntry.load().catch((error: unknown) => {
      const why = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'error';
      log(
        `Warning: the inbound-email handler does not load (${why}); inbound mail is stored and its events kept in ${failedEventsDir} until fixed.`,
      );
    });
    for (const target of new Set(eventRules.map((rule) => rule.target))) {
      await asyncLambdaEntry(target)
        .load()
        .catch((error: unknown) => {
          const why = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'error';
          log(
            `Warning: the ${target} handler does not load (${why}); events for it are kept in ${failedEventsDir} until fixed.`,
          );
        });
    }

    const seed =
      options.seed === false
        ? 'skipped'
        : await seedDemoRegister({
            dispatch: gateway.dispatch,
            adminToken,
            dataDir,
            host: `${host}:${gatewayPort}`,
            log,
          });

    // The daily review (10.1) and retention (P7): EventBridge Scheduler runs it at 07:00 in AWS; here
    // shortly after the start and then every REVIEW_INTERVAL_MINUTES (0: never by itself).
    const reviewIntervalMinutes = readReviewInterval(settings.env.REVIEW_INTERVAL_MINUTES);
    let reviewRunning: Promise<unknown> | undefined;
    const runReview = async (now?: string) => {
      const [{ handleReview, reviewDeps }, { runReview: runReviewJob }] = await Promise.all([
        import('../lambdas/review/handler'),
        import('../lambdas/core/review'),
      ]);
      if (now === undefined) return handleReview({ source: 'local.timer', 'detail-type': 'Scheduled Event' });
      const instant = new Date(now);
      if (Number.isNaN(instant.getTime())) throw new LocalStackError(`runReview: "${now}" is not an instant`);
      return runReviewJob({ ...reviewDeps(), now: () => instant.toISOString() });
    };
    const scheduledReview = () => {
      if (reviewRunning) return; // the previous run is still going
      reviewRunning = runReview()
        .then((summary) => log(`Review: ${describeReview(summary)}.`))
        .catch((error: unknown) => {
          const summary = (error as { summary?: ReviewSummaryLike } | undefined)?.summary;
          const why = error instanceof Error ? error.name : 'error';
          log(
            `Review did not finish (${why})${summary ? `: ${describeReview(summary)}` : ''}; it runs again next time.`,
          );
        })
        .finally(() => {
          reviewRunning = undefined;
        });
    };
    const reviewTimers: NodeJS.Timeout[] = [];
    if (reviewIntervalMinutes > 0) {
      reviewTimers.push(setTimeout(scheduledReview, REVIEW_FIRST_RUN_MS).unref());
      reviewTimers.push(setInterval(scheduledReview, reviewIntervalMinutes * 60_000).unref());
    }
    // Stopped first (closers run in reverse): no new run, and the one under way finishes with the emulators up.
    closers.push(async () => {
      for (const timer of reviewTimers) clearTimeout(timer);
      await reviewRunning;
    });

    let stopping: Promise<void> | undefined;
    return {
      urls: {
        gateway: base,
        form: `${base}/`,
        admin: `${base}/admin/`,
        health: `${base}/health`,
        sesUi: `${ses.endpoint}/`,
        ses: ses.endpoint,
        dynamodb: dynamodb.endpoint,
        s3: s3.endpoint,
        smtp: `smtp://${host}:${smtp.port}`,
        eventbridge: eventBus.endpoint,
      },
      ports: {
        ...ports,
        port: gatewayPort,
        smtpPort: smtp.port,
        sesPort: ses.port,
        dynamodbPort: dynamodb.port,
        s3Port: s3.port,
        eventbridgePort: eventBus.port,
      },
      adminToken,
      dataDir,
      tableName: TABLE_NAME,
      bucket: MAIL_BUCKET,
      councilDomains,
      seed,
      dispatch: gateway.dispatch,
      inbound: {
        idle: () => inboundInvoker.idle(),
        deliver: (event) => inboundInvoker.invoke(event),
        receivedEvent: (messageId) => smtp.receivedEvent(messageId),
        failedEventsDir,
      },
      events: {
        published: () => eventBus.published(),
        idle: () => eventBus.idle(),
        failedEventsDir,
      },
      runReview: (now) => runReview(now),
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** REVIEW_INTERVAL_MINUTES: how often the local stack runs the daily review; 0 turns the timer off. */
function readReviewInterval(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return REVIEW_DEFAULT_INTERVAL_MINUTES;
  if (!/^\d+$/.test(value.trim())) {
    throw new LocalStackError(
      `REVIEW_INTERVAL_MINUTES must be a whole number of minutes (0 turns it off), not "${value}".`,
    );
  }
  return Number(value.trim());
}

type ReviewSummaryLike = import('../lambdas/core/review').ReviewSummary;

/** One line per run: counts only, never names (P7). */
function describeReview(summary: ReviewSummaryLike): string {
  const { stages } = summary;
  return [
    `${stages.overdue} overdue, ${stages['due-soon']} due soon, ${stages.ended} ended`,
    `${summary.eventsPublished} event(s) published`,
    `digest ${summary.digest}`,
    `${summary.contactsRemoved ?? 'no'} contact record(s) removed`,
  ].join('; ');
}

/** What the Lambda handlers are told about this stack (the rest of their settings keep their defaults). */
function lambdaEnvironmentFor(
  source: NodeJS.ProcessEnv,
  emulators: Record<'dynamodb' | 's3' | 'ses' | 'eventbridge', { endpoint: string }>,
  adminToken: string,
): Record<string, string> {
  const env: Record<string, string> = {
    TABLE_NAME,
    AWS_REGION,
    DYNAMODB_ENDPOINT: emulators.dynamodb.endpoint,
    S3_ENDPOINT: emulators.s3.endpoint,
    SES_ENDPOINT: emulators.ses.endpoint,
    EVENTBRIDGE_ENDPOINT: emulators.eventbridge.endpoint,
    // The one bus the local bus knows (lambdas/adapters/eventbridge/rules.ts), as the CDK stack binds it.
    EVENT_BUS_NAME: eventBusName,
    MAIL_BUCKET,
    ADMIN_TOKEN: adminToken,
  };
  for (const name of PASS_THROUGH) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function settledOrThrow<T extends unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

function assertSameLambdaEnvironment(ports: Ports, adminToken: string): void {
  if (!lambdaEnvironment) return;
  for (const name of LAMBDA_PORTS) {
    if (ports[name] !== lambdaEnvironment.ports[name]) {
      throw new LocalStackError(
        `This process already ran the stack with ${portSettings[name].env}=${lambdaEnvironment.ports[name]}; the Lambda modules keep their first configuration, so start a new process to change it.`,
      );
    }
  }
  if (adminToken !== lambdaEnvironment.adminToken) {
    throw new LocalStackError(
      'This process already ran the stack with another admin token; the Lambda modules keep their first configuration, so start a new process to change it.',
    );
  }
}

/**
 * The lambdas' own validation, run now so that a bad setting stops the start with one clear line.
 * Returns what the handlers will read, so that the SMTP server uses the same domains and key prefix.
 */
async function assertValidLambdaConfig(env: NodeJS.ProcessEnv) {
  // Its module reads nothing on import (only config() caches), but import it late all the same.
  const { readConfig } = await import('../lambdas/adapters/config');
  try {
    return readConfig(env);
  } catch (error) {
    throw new LocalStackError(error instanceof Error ? error.message : String(error));
  }
}

/** The SES message id of a receipt event, for log lines (an id, never personal data). */
function sesMessageIdOf(event: unknown): string {
  const id = (event as { Records?: Array<{ ses?: { mail?: { messageId?: unknown } } }> } | undefined)
    ?.Records?.[0]?.ses?.mail?.messageId;
  return typeof id === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(id) ? id : '(no message id)';
}
