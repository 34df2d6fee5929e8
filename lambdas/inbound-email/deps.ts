import type { Metrics } from '@aws-lambda-powertools/metrics';
import { parseInboundMail } from '../adapters/mail/parse-mail';
import { createMetrics } from '../adapters/observability';
import { S3InboundMailSource } from '../adapters/s3/inbound-mail-source';
import type { InboundDeps } from '../core/inbound';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';
import { deliveryDeps } from '../wiring/delivery';

export interface InboundEmailDeps extends InboundDeps {
  metrics: Metrics;
}

/** The inbound-email function's dependencies: the delivery adapters, the stored raw mail in S3, its settings. */
export function inboundEmailDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 's3' | 'ses' | 'eventBridge'>,
): InboundEmailDeps {
  // The lease (45 s) outlives an attempt (the 30 s timeout) and lapses before Lambda's first async
  // retry (about 60 s later), so a redelivery that met a live lease is retried once it is free.
  const base = deliveryDeps(config, clients, 45);
  return {
    ...base,
    source: new S3InboundMailSource(clients.s3, config.MAIL_BUCKET, config.MAIL_PREFIX, parseInboundMail),
    settings: {
      ...base.settings,
      councilDomains: config.COUNCIL_DOMAINS,
      screeningFrom: config.SCREENING_FROM,
      sendAcknowledgements: config.SEND_ACKNOWLEDGEMENTS,
      maxAttachedOriginalBytes: config.MAX_ATTACHED_ORIGINAL_BYTES,
      caseReferencePattern: new RegExp(config.CASE_REFERENCE_PATTERN, 'i'),
    },
    metrics: createMetrics({ disabled: config.POWERTOOLS_METRICS_DISABLED }),
  };
}
