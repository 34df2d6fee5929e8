import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { eventSource, type PublishedEvent } from '../../core/events';
import type { EventPublisher } from '../../core/ports';

const maxAttempts = 4;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PutEvents on the custom bus. PutEvents can take some entries and refuse others
 * (FailedEntryCount): only the refused ones are sent again, with backoff.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly PublishedEvent[]): Promise<void> {
    let pending: PutEventsRequestEntry[] = events.map((event) => ({
      EventBusName: this.busName,
      Source: eventSource,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Resources: event.resources ?? [],
    }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const output = await this.client.send(new PutEventsCommand({ Entries: pending }));
      if (!output.FailedEntryCount) return;
      const failed = pending.filter((_, i) => output.Entries?.[i]?.ErrorCode);
      if (attempt >= maxAttempts) {
        const codes = [...new Set(output.Entries?.map((entry) => entry.ErrorCode).filter(Boolean))];
        throw new Error(
          `EventBridge refused ${failed.length} event(s) after ${attempt} attempts (${codes.join(', ')})`,
        );
      }
      pending = failed;
      await delay(50 * 2 ** attempt);
    }
  }
}
