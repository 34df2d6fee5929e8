import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { localDeadlines } from '../lambdas/adapters/dependency-deadlines';
import type { ReviewSummary } from '../lambdas/core/review';
import { type AwsClients, createAwsClients, destroyAwsClients } from '../lambdas/wiring/clients';
import type { Config } from '../lambdas/wiring/config';
import { resolveAdminToken } from './admin-token';
import type { GatewayRequest, GatewayResponse } from './api-gateway-v2';
import { createTable } from './create-table';
import { lockDataDir } from './data-dir-lock';
import { type RunningEmulator, startDynamoDb, startS3, startSes } from './emulators';
import { type LocalEventBus, type PublishedBusEvent, startLocalEventBus } from './event-bus';
import { createLocalFormQueue, formQueueDir, type LocalFormQueue } from './form-queue';
import { createGateway, localRoutes } from './gateway';
import type { LocalHandlers } from './handlers';
import { healthCheck } from './health';
import { type LocalInboundMail, startLocalInboundMail } from './inbound-mail';
import { LOCAL_CREDENTIALS, type LocalEndpoints, localLambdaConfig } from './lambda-config';
import { assertPortsFree, type PortClaim } from './ports';
import { lapseAbandonedLeases, logRecovery, QUEUES_FOLDER } from './restart-recovery';
import { readReviewInterval, startReviewTimer } from './review-timer';
import { type SeedOutcome, seedDemoRegister } from './seed';
import type { SesReceiptEvent } from './ses-event';
import {
  AWS_REGION,
  type LocalSettings,
  LocalStackError,
  type LocalStackOptions,
  MAIL_BUCKET,
  type PortName,
  type Ports,
  portSettings,
  readLocalSettings,
  TABLE_NAME,
} from './settings';
import type { LocalStaffConsole } from './staff-console';
import { staticFiles } from './static-files';
import { type StopList, stopList } from './stop-list';

export { LocalStackError, type LocalStackOptions } from './settings';

export interface LocalStack {
  urls: {
    /** The HTTP gateway's base, without a trailing slash. */
    gateway: string;
    form: string;
    admin: string;
    /** The staff console (sign in as a demo staff account). */
    staff: string;
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
  /** The demo staff accounts' password. */
  staffPassword: string;
  dataDir: string;
  tableName: string;
  bucket: string;
  /** The domains inbound mail is accepted for (COUNCIL_DOMAINS). */
  councilDomains: string[];
  /** The configuration this stack's handlers were built from (its emulators' endpoints). */
  config: Config;
  /** The AWS clients this stack's handlers talk through (a test may watch what they send). */
  clients: AwsClients;
  seed: SeedOutcome | 'skipped';
  /** Sends a request through the gateway in-process, exactly as the HTTP server would. */
  dispatch(request: GatewayRequest): Promise<GatewayResponse>;
  /** Inbound email, as SES email receiving and Lambda's asynchronous invocation would run it. */
  inbound: {
    /** Resolves when no inbound-email invocation is running or waiting for a retry. */
    idle(): Promise<void>;
    /** Hands an SES receipt event to the Lambda again (SES and Lambda deliver at least once); resolves once queued. */
    deliver(event: unknown): Promise<void>;
    /** The event built for a message received lately, by its SES message id (the SMTP reply names it). */
    receivedEvent(messageId: string): SesReceiptEvent | undefined;
    /** Where events that failed every attempt are kept (the on-failure destination). */
    failedEventsDir: string;
  };
  /** The contact form's queue (SQS in AWS): what the form accepted, screened by the form-screening handler. */
  form: {
    /** Resolves when no submission is being screened, queued or waiting for another attempt. */
    idle(): Promise<void>;
    /** Where submissions that failed every attempt are kept (shared with inbound mail). */
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
  runReview(now?: string): Promise<ReviewSummary>;
  stop(): Promise<void>;
}

/** Where events that failed every attempt are kept (Lambda's on-failure destination), under the data directory. */
const FAILED_EVENTS = 'failed-events';
/** How long `stop()` waits for the bus's rule targets (notify), which run after inbound mail has drained. */
const EVENT_TARGET_DRAIN_MS = 5_000;

/**
 * The whole stack in this process: the emulators, the local bus, the handlers (built from this stack's
 * own configuration, so several stacks with different settings can run side by side), inbound mail,
 * the HTTP gateway, the seed and the review timer. Anything that fails to start stops what had started.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const settings = readLocalSettings(options);
  const log = options.log ?? (() => undefined);
  const { host, dataDir } = settings;
  const claim = (name: PortName): PortClaim => ({ port: settings.ports[name], env: portSettings[name].env });
  const stops = stopList();

  await mkdir(dataDir, { recursive: true });
  // The data directory first: `npm start` twice is better told that than "port 3000 is in use".
  stops.push(await lockDataDir(dataDir));
  try {
    const adminToken = await checkBeforeStart(settings, claim);
    // Loaded once the checks pass: a port in use or a bad setting is told without waiting for them.
    const [{ createLocalHandlers }, { startLocalStaffConsole }] = await Promise.all([
      import('./handlers'),
      import('./staff-console'),
    ]);
    const emulators = await startEmulators(settings, claim, stops);

    // The handlers' clients close once everything that uses them has drained (stops run in reverse).
    let clients: AwsClients | undefined;
    stops.push(async () => clients && destroyAwsClients(clients));
    // The bus starts before the handlers (their configuration names its endpoint); its targets call
    // them once they are made. It stops before the emulators: its targets (notify) need them to finish.
    let handlers: LocalHandlers | undefined;
    const failedEventsDir = path.join(dataDir, FAILED_EVENTS);
    const queuesDir = path.join(dataDir, QUEUES_FOLDER);
    const eventBus = await startLocalEventBus({
      host,
      claim: claim('eventbridgePort'),
      failureDir: failedEventsDir,
      queueDir: queuesDir,
      targets: { notify: (event, context) => built(handlers).notify(event, context) },
      ...(options.eventTargetRetryDelaysMs ? { retryDelaysMs: options.eventTargetRetryDelaysMs } : {}),
      log,
    });
    stops.push(() => eventBus.close(EVENT_TARGET_DRAIN_MS));

    const consoleUrl = settings.ports.port ? `http://${host}:${settings.ports.port}` : undefined;
    const config = localLambdaConfig(
      settings.env,
      { ...emulators, eventbridge: eventBus },
      adminToken,
      consoleUrl,
    );
    clients = createAwsClients(config, LOCAL_CREDENTIALS, localDeadlines);
    // The form's queue (SQS in AWS): the contact form accepts into it, form-screening works from it.
    const formQueue = stops.remember(
      createLocalFormQueue({
        handler: (event, context) => built(handlers).formScreening(event, context),
        failureDir: failedEventsDir,
        queueDir: formQueueDir(dataDir),
        retryDelaysMs: options.formRetryDelaysMs,
        log,
      }),
    );
    handlers = createLocalHandlers(config, clients, formQueue.submissions);
    await createStackTable(emulators.dynamodb.endpoint, dataDir, stops);
    // Before anything can start an attempt: the leases still live were held by a process that has gone.
    const lapsedLeases = await lapseAbandonedLeases(clients.dynamodb, config.TABLE_NAME);

    const inbound = stops.remember(
      await startLocalInboundMail({
        host,
        claim: claim('smtpPort'),
        config,
        handler: handlers.inboundEmail,
        failureDir: failedEventsDir,
        queueDir: path.join(queuesDir, 'inbound-email'),
        dynamodb: clients.dynamodb,
        retryDelaysMs: options.inboundRetryDelaysMs,
        log,
      }),
    );
    const { replayed, storedBeforeQueue } = inbound.recovered;
    const notify = (await eventBus.recover()).replayed;
    const form = (await formQueue.invoker.recover()).replayed;
    logRecovery(log, lapsedLeases, {
      'inbound-email': replayed,
      'stored mail': storedBeforeQueue,
      notify,
      'form-screening': form,
    });
    const health = startHealth(host, emulators, inbound.smtp.port, eventBus, stops);
    let staffConsole: LocalStaffConsole | undefined;
    const gateway = stops.remember(
      createGateway({
        routes: localRoutes({
          ...handlers,
          staffConsole: (event, context) => {
            if (!staffConsole) throw new LocalStackError('the staff console is still starting');
            return staffConsole.handler(event, context);
          },
          health,
          staticFiles: staticFiles(options.webDir ?? fileURLToPath(new URL('../web', import.meta.url))),
        }),
        log,
      }),
    );
    const gatewayPort = await gateway.listen(host, claim('port'));
    // The console's sign-in provider's issuer names the port, so both come once the gateway listens.
    staffConsole = await startLocalStaffConsole({
      origin: `http://${host}:${gatewayPort}`,
      gateway,
      config,
      clients,
      dataDir,
      env: settings.env,
      stops,
      log,
    });
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
    // Stopped first: no new run, and the one under way finishes with the emulators up.
    const { review } = handlers;
    stops.remember(
      startReviewTimer({
        intervalMinutes: readReviewInterval(settings.env.REVIEW_INTERVAL_MINUTES),
        run: () => review(),
        log,
      }),
    );

    return localStackOf({
      settings,
      gatewayPort,
      emulators,
      eventBus,
      inbound,
      formQueue,
      adminToken,
      staffPassword: staffConsole.password,
      config,
      clients,
      seed,
      dispatch: gateway.dispatch,
      runReview: review,
      stop: stops.stopAll,
    });
  } catch (error) {
    await stops.stopAll();
    throw error;
  }
}

/** What the caller gets: where everything is, and the stack's parts to drive and watch. */
function localStackOf(parts: {
  settings: LocalSettings;
  gatewayPort: number;
  emulators: Emulators;
  eventBus: LocalEventBus;
  inbound: LocalInboundMail;
  formQueue: LocalFormQueue;
  adminToken: string;
  staffPassword: string;
  config: Config;
  clients: AwsClients;
  seed: LocalStack['seed'];
  dispatch: LocalStack['dispatch'];
  runReview: LocalStack['runReview'];
  stop: () => Promise<void>;
}): LocalStack {
  const { settings, gatewayPort, emulators, eventBus, inbound, config } = parts;
  const base = `http://${settings.host}:${gatewayPort}`;
  const failedEventsDir = path.join(settings.dataDir, FAILED_EVENTS);
  let stopping: Promise<void> | undefined;
  return {
    urls: {
      gateway: base,
      form: `${base}/`,
      admin: `${base}/admin/`,
      staff: `${base}/staff/`,
      health: `${base}/health`,
      sesUi: `${emulators.ses.endpoint}/`,
      ses: emulators.ses.endpoint,
      dynamodb: emulators.dynamodb.endpoint,
      s3: emulators.s3.endpoint,
      smtp: `smtp://${settings.host}:${inbound.smtp.port}`,
      eventbridge: eventBus.endpoint,
    },
    ports: {
      ...settings.ports,
      port: gatewayPort,
      smtpPort: inbound.smtp.port,
      sesPort: emulators.ses.port,
      dynamodbPort: emulators.dynamodb.port,
      s3Port: emulators.s3.port,
      eventbridgePort: eventBus.port,
    },
    adminToken: parts.adminToken,
    staffPassword: parts.staffPassword,
    dataDir: settings.dataDir,
    tableName: TABLE_NAME,
    bucket: MAIL_BUCKET,
    councilDomains: [...config.COUNCIL_DOMAINS],
    config,
    clients: parts.clients,
    seed: parts.seed,
    dispatch: parts.dispatch,
    inbound: {
      idle: () => inbound.invoker.idle(),
      deliver: (event) => inbound.invoker.invoke(event),
      receivedEvent: (messageId) => inbound.smtp.receivedEvent(messageId),
      failedEventsDir,
    },
    form: {
      idle: () => parts.formQueue.idle(),
      failedEventsDir,
    },
    events: {
      published: () => eventBus.published(),
      idle: () => eventBus.idle(),
      failedEventsDir,
    },
    runReview: (now) => parts.runReview(now),
    stop: () => {
      stopping ??= parts.stop();
      return stopping;
    },
  };
}

/** The handlers, once made (the bus may be called before: nothing publishes until they exist). */
function built(handlers: LocalHandlers | undefined): LocalHandlers {
  if (!handlers) throw new LocalStackError('The local handlers are not built yet.');
  return handlers;
}

/**
 * What can be checked before anything starts: the ports are free, the admin token is good, and the
 * handlers' own validation accepts the settings (with the endpoints the emulators are to have), so a
 * bad setting costs one clear line. Resolves with the admin token.
 */
async function checkBeforeStart(
  settings: LocalSettings,
  claim: (name: PortName) => PortClaim,
): Promise<string> {
  const { host, ports } = settings;
  await assertPortsFree(
    host,
    (['port', 'smtpPort', 'sesPort', 'dynamodbPort', 's3Port', 'eventbridgePort'] as const).map(claim),
  );
  const adminToken = await resolveAdminToken(settings.dataDir, settings.adminToken);
  const planned = (port: number) => ({ endpoint: `http://${host}:${port}` });
  const endpoints: LocalEndpoints = {
    dynamodb: planned(ports.dynamodbPort),
    s3: planned(ports.s3Port),
    ses: planned(ports.sesPort),
    eventbridge: planned(ports.eventbridgePort),
  };
  localLambdaConfig(settings.env, endpoints, adminToken);
  readReviewInterval(settings.env.REVIEW_INTERVAL_MINUTES);
  return adminToken;
}

type Emulators = Record<'dynamodb' | 's3' | 'ses', RunningEmulator>;

/** dynalite, s3rver and the SES emulator, together; when one fails, the others are stopped too. */
async function startEmulators(
  settings: LocalSettings,
  claim: (name: PortName) => PortClaim,
  stops: StopList,
): Promise<Emulators> {
  const { host, dataDir } = settings;
  // allSettled: when one fails, the others have started (and are remembered) before we stop them.
  const [dynamodb, s3, ses] = settledOrThrow(
    await Promise.allSettled([
      startDynamoDb(host, dataDir, claim('dynamodbPort')).then(stops.remember),
      startS3(host, dataDir, claim('s3Port'), [LOCAL_CREDENTIALS]).then(stops.remember),
      startSes(host, claim('sesPort')).then(stops.remember),
    ]),
  );
  return { dynamodb, s3, ses };
}

async function createStackTable(endpoint: string, dataDir: string, stops: StopList): Promise<void> {
  const client = new DynamoDBClient({ region: AWS_REGION, endpoint, credentials: LOCAL_CREDENTIALS });
  stops.push(async () => client.destroy());
  await createTable(client, TABLE_NAME).catch((error: unknown) => {
    throw new LocalStackError(
      `Cannot create the table in ${dataDir}/dynamodb (${error instanceof Error ? error.name : 'error'}).`,
    );
  });
}

/** `GET /health`, with probes that fail fast and do not retry: a health check must not hang. */
function startHealth(
  host: string,
  emulators: Emulators,
  smtpPort: number,
  eventBus: LocalEventBus,
  stops: StopList,
) {
  const probeOptions = { region: AWS_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  const dynamodb = new DynamoDBClient({ ...probeOptions, endpoint: emulators.dynamodb.endpoint });
  const s3 = new S3Client({ ...probeOptions, endpoint: emulators.s3.endpoint, forcePathStyle: true });
  stops.push(async () => {
    dynamodb.destroy();
    s3.destroy();
  });
  return healthCheck({
    dynamodb,
    tableName: TABLE_NAME,
    s3,
    bucket: MAIL_BUCKET,
    sesEndpoint: emulators.ses.endpoint,
    smtp: { host, port: smtpPort },
    eventBridgeEndpoint: eventBus.endpoint,
  }).handler;
}

function settledOrThrow<T extends unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}
