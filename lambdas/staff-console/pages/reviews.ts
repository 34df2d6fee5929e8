import { classifyForReview, type ReviewRestriction } from '../../core/review';
import { toInstant } from '../../core/time';
import type { ConsolePage } from '../types';
import { lastDay, londonDay } from '../views/dates';
import { renderPage } from '../views/page';
import { customerHref, linkCell, linksCell, tagCell, textCell } from './cells';
import type { ConsoleDeps } from './deps';
import { titleOf } from './present';

/**
 * Reviews (10.1): restrictions whose review is due within 14 days or overdue, and those that
 * ended lately, as the daily review job sees them. Only a person reviews, extends or lifts (P2).
 */
const stageTags = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--yellow' },
  ended: { text: 'Ended', classes: 'govuk-tag--grey' },
} as const;

/** When the review falls: its date, or (10.1) the last day when it ends before the review would be due. */
function whenOf(restriction: ReviewRestriction, stage: keyof typeof stageTags, daysOverdue?: number): string {
  if (stage === 'ended') return `Last day was ${lastDay(restriction.endsAt)}`;
  if (stage === 'overdue') return `Was due ${londonDay(restriction.reviewAt)}, ${daysOverdue ?? 0} days ago`;
  return restriction.endsAt <= restriction.reviewAt
    ? `Ends before its review: last day ${lastDay(restriction.endsAt)}`
    : `Due ${londonDay(restriction.reviewAt)}`;
}

export const reviewPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/reviews',
    permission: 'manage-restrictions',
    async handle(request, deps) {
      const { store } = deps.register;
      const [restrictions, customers] = await Promise.all([store.listRestrictions(), store.listCustomers()]);
      const names = new Map(customers.map((customer) => [customer.id, customer.name]));
      const items = classifyForReview(restrictions, toInstant(deps.now()));
      const rowsOf = (stage: keyof typeof stageTags) =>
        items
          .filter((item) => item.stage === stage)
          .map(({ restriction, daysOverdue }) => {
            const base = `/staff/restrictions/${encodeURIComponent(restriction.id)}`;
            return [
              linkCell(
                customerHref(restriction.customerId),
                names.get(restriction.customerId) ?? restriction.customerId,
              ),
              textCell(titleOf(restriction.type)),
              tagCell(stageTags[stage]),
              textCell(whenOf(restriction, stage, daysOverdue)),
              stage === 'ended'
                ? textCell('')
                : linksCell([
                    { href: `${base}/review`, text: 'Record review', hiddenText: titleOf(restriction.type) },
                    { href: `${base}/extend`, text: 'Extend', hiddenText: titleOf(restriction.type) },
                    { href: `${base}/lift`, text: 'Lift', hiddenText: titleOf(restriction.type) },
                  ]),
            ];
          });
      return renderPage(request, 'reviews.njk', {
        title: 'Reviews',
        overdue: rowsOf('overdue'),
        dueSoon: rowsOf('due-soon'),
        ended: rowsOf('ended'),
      });
    },
  },
];
