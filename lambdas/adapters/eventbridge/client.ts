import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  awsClientOptions,
  type DependencyDeadlines,
  guardClient,
  type StaticCredentials,
  standardDeadlines,
} from '../aws-client-options';
import { tracer } from '../observability';

/** The region, and locally the local bus's endpoint (it speaks PutEvents; in AWS unset). */
export interface EventBridgeClientSettings {
  AWS_REGION: string;
  EVENTBRIDGE_ENDPOINT?: string | undefined;
}

/**
 * An EventBridge client for these settings (made once per process by the default handler), with
 * deadlines and a circuit, traced with X-Ray. `deadlines`: the local stack gives its own.
 */
export function createEventBridgeClient(
  settings: EventBridgeClientSettings,
  credentials?: StaticCredentials,
  deadlines: DependencyDeadlines = standardDeadlines,
): EventBridgeClient {
  const options = awsClientOptions(
    settings.AWS_REGION,
    settings.EVENTBRIDGE_ENDPOINT,
    credentials,
    deadlines,
  );
  return tracer.captureAWSv3Client(guardClient(new EventBridgeClient(options), 'eventbridge', deadlines));
}
