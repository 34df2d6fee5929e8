import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  awsClientOptions,
  guardClient,
  type StaticCredentials,
  scaledDeadlines,
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
 * deadlines and a circuit, traced with X-Ray. `deadlineScale`: 1 in AWS; the local stack's LOCAL_DEADLINE_SCALE.
 */
export function createEventBridgeClient(
  settings: EventBridgeClientSettings,
  credentials?: StaticCredentials,
  deadlineScale = 1,
): EventBridgeClient {
  const deadlines = scaledDeadlines(standardDeadlines, deadlineScale);
  const options = awsClientOptions(
    settings.AWS_REGION,
    settings.EVENTBRIDGE_ENDPOINT,
    credentials,
    deadlines,
  );
  return tracer.captureAWSv3Client(guardClient(new EventBridgeClient(options), 'eventbridge', deadlines));
}
