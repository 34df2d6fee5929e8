import { eventBridgeEnvelopeSchema } from '../core/events';
import { type NotifyEvent, notifyEventSchemas } from '../core/notify/notify-events';
import { parseOrThrow, ValidationError } from '../core/validation';

/**
 * Parses what EventBridge hands the notify Lambda: the envelope first, then the detail by its
 * detail type (lambdas/core/notify/notify-events.ts). Throws a ValidationError naming each bad field
 * (`detail.count: …`); the event then fails, and after Lambda's retries goes to the rule's failure
 * queue rather than being retried forever.
 */
export function parseNotifyEvent(event: unknown): NotifyEvent {
  const envelope = parseOrThrow(eventBridgeEnvelopeSchema, event);
  const detailType = envelope['detail-type'];
  if (!Object.hasOwn(notifyEventSchemas, detailType)) {
    throw new ValidationError([
      {
        field: 'detail-type',
        problem: `${detailType.slice(0, 100)} is not a detail type the notify function handles (${Object.keys(notifyEventSchemas).join(', ')})`,
      },
    ]);
  }
  return parseOrThrow(notifyEventSchemas[detailType as keyof typeof notifyEventSchemas], event);
}
