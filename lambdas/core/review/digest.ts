import { dateWithWeekdayInWords, formatForPeople } from '../london-day';
import { restrictionCatalogue } from '../restriction';
import type { Instant } from '../time';
import { type ReviewItem, type ReviewStage, reviewNoticeDays } from './stages';

/** The managers' daily digest (10.1): plain text, one section per stage, and what to do. */

export interface DigestEntry {
  item: ReviewItem;
  /** The customer's name from the register (managers may read it in their own mail; never logged). */
  customerName?: string;
  /** Not in any digest before this one. */
  isNew: boolean;
}

export interface ReviewDigest {
  subject: string;
  text: string;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function whenDue(entry: DigestEntry): string {
  const { item } = entry;
  const at = formatForPeople(item.restriction.reviewAt);
  if (item.stage === 'due-soon') {
    const days = item.daysUntilReview ?? 0;
    return `Review due:      ${at} (${days === 0 ? 'today' : `in ${plural(days, 'day')}`})`;
  }
  if (item.stage === 'overdue') {
    const days = item.daysOverdue ?? 0;
    return `Review was due:  ${at} (${days === 0 ? 'today' : `${plural(days, 'day')} ago`})`;
  }
  return `Review date was: ${at}`;
}

function describeEntry(entry: DigestEntry): string[] {
  const { restriction, stage } = entry.item;
  const { clause, title } = restrictionCatalogue[restriction.type];
  const who = entry.customerName
    ? `${entry.customerName} (customer ${restriction.customerId})`
    : `customer ${restriction.customerId} (no longer in the register)`;
  return [
    `  ${entry.isNew ? 'NEW ' : '    '} ${who}`,
    `       [${clause}] ${title} — restriction ${restriction.id}`,
    `       ${whenDue(entry)}`,
    stage === 'ended'
      ? `       Ended:           ${formatForPeople(restriction.endsAt)}`
      : `       Ends:            ${formatForPeople(restriction.endsAt)}`,
  ];
}

const sectionTitles: Record<ReviewStage, string> = {
  overdue: 'Reviews overdue',
  'due-soon': `Reviews due within ${reviewNoticeDays} days`,
  ended: 'Ended since the last digest',
};

/** The daily digest for the managers: what is overdue, due soon and newly ended, and what to do (10.1). */
export function composeReviewDigest(entries: readonly DigestEntry[], now: Instant): ReviewDigest {
  const byStage = (stage: ReviewStage) => entries.filter((entry) => entry.item.stage === stage);
  const counts = (['overdue', 'due-soon', 'ended'] as const)
    .map((stage) => [stage, byStage(stage).length] as const)
    .filter(([, count]) => count > 0)
    .map(([stage, count]) =>
      stage === 'overdue'
        ? `${count} overdue`
        : stage === 'due-soon'
          ? `${count} due within ${reviewNoticeDays} days`
          : `${count} ended`,
    );
  const newCount = entries.filter((entry) => entry.isNew).length;
  const lines = [
    `Restriction reviews — ${dateWithWeekdayInWords(now)}`,
    '',
    'Policy 10.1: the service manager reviews the status of each restricted customer; the review',
    'date is in the register (10.2). Below is every restriction whose review is overdue or due',
    `within ${reviewNoticeDays} days, and every restriction that has ended since the last digest.`,
    newCount > 0
      ? `NEW marks what is new since the last digest (${newCount}).`
      : 'Nothing is new since the last digest.',
  ];
  for (const stage of ['overdue', 'due-soon', 'ended'] as const) {
    const section = byStage(stage);
    if (section.length === 0) continue;
    lines.push('', `${sectionTitles[stage]} (${section.length})`);
    for (const entry of section) lines.push(...describeEntry(entry), '');
    lines.pop();
  }
  lines.push(
    '',
    'What to do (policy 10.1)',
    'For each restriction whose review is due, the service manager reviews it and records the outcome',
    'in the register:',
    '  - extend it, if the contact has continued and the restriction is still needed: give the new end',
    '    date and the reason, and advise the customer of the extension;',
    '  - lift it, if it is no longer needed, with the reason; or',
    '  - record the review, if it stays as it is, with the next review date.',
    'An ended restriction no longer applies: it stopped at its end date by itself. Nothing needs doing',
    'unless a new restriction is needed, which is a decision for a person (7.2, 8.2).',
    '',
    'This digest changes nothing in the register. The restriction ids above are in GET /admin/register.',
  );
  return {
    subject: `Restriction reviews: ${counts.join(', ')}${newCount > 0 ? ` (${newCount} new)` : ''}`,
    text: lines.join('\n'),
  };
}
