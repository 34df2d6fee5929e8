import type { IncidentRecordedDetail } from '../events';
import { questionLabels, ruleOf } from '../incidents/kinds';
import { formatForPeople } from '../time';
import type { ManagerMessage } from './messages';

/** Who the incident is about, as the register says now. */
export type IncidentPerson = { name: string; customerId: string } | undefined;

const answer = (value: boolean | undefined) => (value === undefined ? 'not recorded' : value ? 'yes' : 'no');

/**
 * The email the managers get at once when an incident is recorded (5.4.2, 5.7, 5.8; 3.3 and 6.1 for
 * threats): what kind, when, by what channel, the answers recorded, and what to consider. What
 * happened in words stays in the file note in the staff console (P7); nothing here decides (P2).
 */
export function incidentMessage(detail: IncidentRecordedDetail, person: IncidentPerson): ManagerMessage {
  const rule = ruleOf(detail.kind);
  const clauses = detail.clauses.join(', ');
  const urgent = detail.severity === 'urgent';
  const who = person
    ? `${person.name} (customer ${person.customerId})`
    : detail.customerId
      ? `customer ${detail.customerId} (no longer in the register)`
      : 'a person not in the register (the note is kept under the details given, and joins their record if they are registered)';
  const answers = rule.questions.map(
    (question) =>
      `  ${questionLabels[question].label} (${questionLabels[question].clause}): ${answer(detail[question])}`,
  );
  return {
    subject: `${urgent ? 'Urgent: ' : ''}${rule.label} recorded (${clauses})${person ? `: ${person.name}` : ''}`,
    text: [
      `An incident was recorded: ${rule.label.toLowerCase()}, at ${formatForPeople(detail.at)} (policy ${clauses}).`,
      '',
      `Who: ${who}`,
      `Channel: ${detail.channel}`,
      ...answers,
      '',
      rule.consider,
      '',
      `The file note, with what happened, is in the staff console: /staff/incidents/${detail.incidentId}`,
      'Nothing has been decided: any warning, letter or restriction is a manager’s decision (7.2, 8.1).',
    ].join('\n'),
  };
}
