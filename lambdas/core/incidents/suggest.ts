import { type Escalation, type EscalationStage, escalationStages } from '../escalation';
import type { Incident } from './incident';
import { ruleOf } from './kinds';

/**
 * What the console suggests after an incident: the next step of staged escalation (7.2), from the
 * kind's suggested step and where the customer stands. Only a suggestion, shown as a link to the
 * form where a person decides (P2); nothing is recorded by it.
 */
export type NextStep =
  | { next: 'concern-raised' | 'warning-given' | 'written-notice'; clause: string; why: string }
  | { next: 'consider-restriction'; clause: '7.3'; why: string }
  | { next: 'register-customer'; clause: '12.1.1'; why: string };

const stepClauses = { 'concern-raised': '7.2', 'warning-given': '7.2.1', 'written-notice': '7.2.2' } as const;
const stepWords = {
  'concern-raised': 'record a concern',
  'warning-given': 'ask the customer to moderate their behaviour',
  'written-notice': 'write setting out the procedures that will apply',
} as const;

const rank = (stage: EscalationStage) => escalationStages.indexOf(stage);

export function suggestNextStep(incident: Incident, escalation: Escalation | undefined): NextStep {
  if (!incident.customerId || !escalation) {
    return {
      next: 'register-customer',
      clause: '12.1.1',
      why: 'The person is not in the register. If it goes on, register them: this incident will join their record.',
    };
  }
  const stage = escalation.stage;
  if (stage === 'restricted' || stage === 'all-contact-refused' || stage === 'written-notice') {
    return {
      next: 'consider-restriction',
      clause: '7.3',
      why:
        stage === 'written-notice'
          ? 'The customer has had a written notice (7.2.2): consider whether a restriction is now needed (7.3).'
          : 'Restrictions are in force: consider whether they still fit, or whether more is needed (7.3, 8.2).',
    };
  }
  const suggested = ruleOf(incident.kind).suggestedStep;
  // Steps go forward: never suggest one the customer has already had.
  const next =
    rank(suggested) > rank(stage)
      ? suggested
      : (escalationStages[rank(stage) + 1] as 'concern-raised' | 'warning-given' | 'written-notice');
  return {
    next,
    clause: stepClauses[next],
    why: `Suggested next: ${stepWords[next]} (${stepClauses[next]}). A manager decides; nothing is recorded until they do.`,
  };
}
