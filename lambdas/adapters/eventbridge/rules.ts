import { detailTypes, eventSource } from '../../core/events';

/**
 * The event rules, defined once: the CDK stack deploys them on the custom bus and the local
 * runtime's bus matches events against the very same patterns and invokes the same handlers.
 * A pattern here uses only what both understand: exact values in arrays, per field.
 */
export interface EventRule {
  /** Construct id in the stack, and the rule's name locally. */
  id: string;
  description: string;
  pattern: { source: string[]; 'detail-type': string[] };
  /** The Lambda entry (lambdas/<entry>/handler.ts) the rule invokes. */
  target: 'notify';
}

export const eventBusName = 'contact-screening';

/**
 * Managers are told about these (notify). RestrictedContactRouted is on the rule, but the
 * notify handler only mails it when NOTIFY_RESTRICTED_ROUTED is true.
 */
export const eventRules: readonly EventRule[] = [
  {
    id: 'NotifyManagers',
    description:
      'Frequency alerts, restricted contacts routed, content concerns and incidents go to the managers',
    pattern: {
      source: [eventSource],
      'detail-type': [
        detailTypes.frequency,
        detailTypes.restrictedRouted,
        detailTypes.abusive,
        detailTypes.safeguarding,
        detailTypes.incident,
      ],
    },
    target: 'notify',
  },
];

/** Whether an event matches a rule's pattern (exact match on every field the pattern names). */
export function matchesRule(rule: EventRule, event: { source: string; 'detail-type': string }): boolean {
  return (
    rule.pattern.source.includes(event.source) && rule.pattern['detail-type'].includes(event['detail-type'])
  );
}
