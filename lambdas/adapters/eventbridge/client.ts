import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { awsClientOptions, guardClient, type StaticCredentials } from '../aws-client-options';
import { tracer } from '../observability';

/** The region, and locally the local bus's endpoint (it speaks PutEvents; in AWS unset). */
export interface EventBridgeClientSettings {
  AWS_REGION: string;
  EVENTBRIDGE_ENDPOINT?: string | undefined;
}

/** An EventBridge client for these settings (made once per process by the default handler), with deadlines and a circuit, traced with X-Ray. */
export function createEventBridgeClient(
  settings: EventBridgeClientSettings,
  credentials?: StaticCredentials,
): EventBridgeClient {
  const client = new EventBridgeClient(
    awsClientOptions(settings.AWS_REGION, settings.EVENTBRIDGE_ENDPOINT, credentials),
  );
  return tracer.captureAWSv3Client(guardClient(client, 'eventbridge'));
}
