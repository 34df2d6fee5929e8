import type { PublishedEvent } from '../../lambdas/core/events';
import { type CountInput, emptyState, type FrequencyState, withContact } from '../../lambdas/core/frequency';
import type {
  AlertClaims,
  ContactCounts,
  EventLog,
  EventPublisher,
  RecordedEvent,
} from '../../lambdas/core/ports';

const copy = (state: FrequencyState): FrequencyState => ({
  days: new Map(
    [...state.days].map(([day, topics]) => [
      day,
      new Map([...topics].map(([k, v]) => [k, { contacts: [...v.contacts], overflow: v.overflow }])),
    ]),
  ),
  topics: new Map(state.topics),
});

/**
 * In-memory contact counts, alert claims and event log for the core's unit tests, one object
 * behind the three ports (the DynamoDB adapters are tested on dynalite).
 */
export class MemoryFrequencyStore implements ContactCounts, AlertClaims, EventLog {
  readonly states = new Map<string, FrequencyState>();
  readonly alerts = new Map<string, string>();
  readonly recorded: { event: PublishedEvent; status: string }[] = [];

  async read(subjectId: string) {
    return copy(this.states.get(subjectId) ?? emptyState());
  }

  async count(input: CountInput) {
    const before = copy(this.states.get(input.subjectId) ?? emptyState());
    const after = withContact(
      before,
      input.day,
      input.topic,
      input.contact,
      input.overflow ? 0 : Number.POSITIVE_INFINITY,
    );
    after.topics = new Map(before.topics).set(input.topic.key, {
      key: input.topic.key,
      label: input.topic.label,
      how: input.topic.how,
      lastDay: input.day,
      ...(input.topic.fingerprint ? { fingerprint: input.topic.fingerprint } : {}),
    });
    for (const day of [...after.days.keys()]) if (day < input.oldestDay) after.days.delete(day);
    this.states.set(input.subjectId, after);
    return before;
  }

  async claim(key: string, now: string, until: string) {
    const current = this.alerts.get(key);
    if (current && current > now) return false;
    this.alerts.set(key, until);
    return true;
  }

  async recordEvent(event: PublishedEvent, _at: string, status: 'published' | 'failed') {
    this.recorded.push({ event, status });
  }

  async listEvents(): Promise<RecordedEvent[]> {
    return [];
  }

  async listAlerts(): Promise<RecordedEvent[]> {
    return [];
  }
}

/** The one in-memory store as the three ports the counting and delivery deps name. */
export const frequencyPorts = (store: MemoryFrequencyStore) => ({
  counts: store,
  alertClaims: store,
  eventLog: store,
});

/** Collects published events; `failing` makes it refuse them. */
export class MemoryEventPublisher implements EventPublisher {
  readonly published: PublishedEvent[] = [];
  failing = false;
  async publish(events: readonly PublishedEvent[]) {
    if (this.failing) throw new Error('EventBridge refused');
    this.published.push(...events);
  }
}
