import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { tracer } from '../observability';

/** The region, and locally the local bus's endpoint (it speaks PutEvents; in AWS unset). */
export interface EventBridgeClientSettings {
  AWS_REGION: string;
  EVENTBRIDGE_ENDPOINT?: string | undefined;
}

/** An EventBridge client for these settings (made once per process by the default handler), traced with X-Ray. */
export function createEventBridgeClient(
  settings: EventBridgeClientSettings,
  credentials?: EventBridgeClientConfig['credentials'],
): EventBridgeClient {
  return tracer.captureAWSv3Client(
    new EventBridgeClient({
      region: settings.AWS_REGION,
      ...(settings.EVENTBRIDGE_ENDPOINT ? { endpoint: settings.EVENTBRIDGE_ENDPOINT } : {}),
      ...(credentials ? { credentials } : {}),
    }),
  );
}
