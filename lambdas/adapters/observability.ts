import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Logging, metrics and tracing, from one module (STYLE 5). Logs and metrics carry ids, decisions
 * and counts only: never message bodies, addresses or names (P7).
 */
const serviceName = 'contact-screening';

export const logger = new Logger({
  serviceName,
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? (process.env.VITEST ? 'SILENT' : 'INFO'),
});

/**
 * X-Ray: the stack turns tracing on for every function, and the wiring wraps each AWS client with
 * `tracer.captureAWSv3Client` (the functions call nothing else over HTTP, so plain HTTP requests are
 * not traced twice). Outside Lambda (locally, in tests) Powertools turns tracing off by itself.
 */
export const tracer = new Tracer({ serviceName, captureHTTPsRequests: false });

/** Metrics' own notices go to the Logger; a request that screened nothing is no warning here. */
const metricsNotices = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) =>
    message.startsWith('No application metrics') ? logger.debug(message) : logger.warn(message),
  error: (message: string) => logger.error(message),
};

const metricsSettings = { namespace: 'ContactScreening', serviceName, logger: metricsNotices };

/**
 * Metrics whose flush hands each EMF document to `keep` (a test reads them), or drops it: where no
 * CloudWatch reads the console (local runs).
 */
class KeptMetrics extends Metrics {
  readonly #keep: ((document: EmfOutput) => void) | undefined;

  constructor(keep?: (document: EmfOutput) => void) {
    super(metricsSettings);
    this.#keep = keep;
  }

  override publishStoredMetrics(): this {
    if (this.#keep && this.hasStoredMetrics()) this.#keep(this.serializeMetrics());
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}

/**
 * The function's CloudWatch metrics (EMF on stdout, namespace ContactScreening), flushed by the
 * handler's `logMetrics` middleware. `disabled` (POWERTOOLS_METRICS_DISABLED) keeps them off the
 * console; `keep` receives each document instead.
 */
export function createMetrics(
  options: { disabled: boolean; keep?: never } | { keep: (document: EmfOutput) => void },
): Metrics {
  if (options.keep) return new KeptMetrics(options.keep);
  return options.disabled ? new KeptMetrics() : new Metrics(metricsSettings);
}

/** The channels that arrive by themselves and are screened by a function. */
export type ScreenedChannel = 'email' | 'web-form';

/**
 * Each contact is its own EMF document: its dimensions (channel, route) then belong to it alone,
 * even when one invocation screens several (an SES event may hold more than one record).
 */
function startDocument(metrics: Metrics): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/**
 * A contact screened and delivered, for the IT team's charts: ContactsScreened, UnscreenedContacts
 * (screening failed open, P1) and FrequencyAlertsRaised (4.2.7, 4.2.12), by channel and route and by
 * channel alone. The zeros are emitted too, so that an alarm on unscreened contacts has a steady series.
 */
export function recordContactScreened(
  metrics: Metrics,
  contact: { channel: ScreenedChannel; route: string; alertsRaised: number },
): void {
  startDocument(metrics);
  metrics.addDimension('channel', contact.channel).addDimension('route', contact.route);
  metrics.addDimensions({ channel: contact.channel });
  metrics.addMetric('ContactsScreened', MetricUnit.Count, 1);
  metrics.addMetric('UnscreenedContacts', MetricUnit.Count, contact.route === 'unscreened' ? 1 : 0);
  metrics.addMetric('FrequencyAlertsRaised', MetricUnit.Count, contact.alertsRaised);
}

/**
 * A contact that could not be delivered on this attempt (the invocation fails and is retried, or
 * the form answers 503 and the person sends it again): ScreeningFailures, by channel.
 */
export function recordScreeningFailure(metrics: Metrics, channel: ScreenedChannel): void {
  startDocument(metrics);
  metrics.addDimension('channel', channel);
  metrics.addMetric('ScreeningFailures', MetricUnit.Count, 1);
}
