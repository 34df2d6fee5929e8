import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createMetrics } from '../adapters/observability';
import type { FormScreeningDeps as CoreFormScreeningDeps } from '../core/form-screening';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';
import { deliveryDeps } from '../wiring/delivery';

export interface FormScreeningDeps extends CoreFormScreeningDeps {
  metrics: Metrics;
}

/**
 * The lease on a contact (seconds): longer than the function's 20 s timeout, so that no running
 * attempt loses it, and far shorter than the queue's 120 s visibility timeout, so that the message's
 * next delivery (after a ContactBusyError or a failure) finds it lapsed (lib/form-screening.ts).
 */
export const formLeaseSeconds = 30;

/** The form-screening function's dependencies: the delivery adapters and the case reference pattern. */
export function formScreeningDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'ses' | 'eventBridge'>,
): FormScreeningDeps {
  const base = deliveryDeps(config, clients, formLeaseSeconds);
  return {
    ...base,
    settings: { ...base.settings, caseReferencePattern: new RegExp(config.CASE_REFERENCE_PATTERN, 'i') },
    metrics: createMetrics({ disabled: config.POWERTOOLS_METRICS_DISABLED }),
  };
}
