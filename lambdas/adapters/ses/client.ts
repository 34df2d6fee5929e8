import { SESClient } from '@aws-sdk/client-ses';
import { config } from '../config';

let client: SESClient | undefined;

/** The one SES client of this process. SES_ENDPOINT points it at the local emulator. */
export function sesClient(): SESClient {
  if (!client) {
    const { AWS_REGION, SES_ENDPOINT } = config();
    client = new SESClient({ region: AWS_REGION, ...(SES_ENDPOINT ? { endpoint: SES_ENDPOINT } : {}) });
  }
  return client;
}
