import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { localDeadlines } from '../../lambdas/adapters/dependency-deadlines';
import { createMetrics } from '../../lambdas/adapters/observability';
import { type AwsClients, createAwsClients } from '../../lambdas/wiring/clients';
import { type Config, readConfig } from '../../lambdas/wiring/config';

/**
 * The handlers' configuration for a test, from these settings (its emulators' endpoints, its
 * thresholds), validated as the default wiring validates the environment. Metrics stay off the console.
 */
export function testConfig(settings: Record<string, string> = {}): Config {
  return readConfig({ POWERTOOLS_METRICS_DISABLED: 'true', ...settings });
}

/**
 * The AWS clients for a test's emulators, signing with the credentials they accept. The emulators
 * run in the test's own process, so the clients take the local stack's deadlines (a busy CPU is no
 * failed store); test/integration/store-faults.test.ts tests the deployed ones.
 */
export function testClients(config: Config): AwsClients {
  return createAwsClients(config, { accessKeyId: 'local', secretAccessKey: 'local' }, localDeadlines);
}

/** Metrics that keep each flushed EMF document instead of printing it, so that a test can read what was emitted. */
export function capturedMetrics(): { metrics: Metrics; documents: EmfOutput[] } {
  const documents: EmfOutput[] = [];
  return { metrics: createMetrics({ keep: (document) => documents.push(document) }), documents };
}
