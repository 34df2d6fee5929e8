import type { ConsolePage } from '../types';
import { lastDay, londonDateTime, londonDay } from '../views/dates';
import { renderPage } from '../views/page';
import { alertHref, whoseLabel } from './alerts';
import { type Cell, customerHref, linkCell, linksCell, tagCell, textCell } from './cells';
import type { ConsoleDeps, RestrictionAttention } from './deps';
import { titleOf } from './present';
import { allowed } from './respond';

/**
 * Home: what needs attention now, each with a link to act on it. The figures come first so a
 * manager sees at a glance whether anything is waiting; the tables follow in the same order.
 */
const restrictionHref = (item: RestrictionAttention, action?: string) =>
  action
    ? `/staff/restrictions/${encodeURIComponent(item.restrictionId)}/${action}`
    : `${customerHref(item.customerId)}#restriction-${item.restrictionId}`;

const whoAndWhat = (item: RestrictionAttention): Cell[] => [
  linkCell(customerHref(item.customerId), item.customerName),
  linkCell(restrictionHref(item), titleOf(item.type)),
];

export const homePages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/',
    permission: 'view',
    async handle(request, deps) {
      const attention = await deps.attention(deps.now());
      const manages = allowed(request, 'manage-restrictions');
      const act = (links: Array<{ href: string; text: string }>, item: RestrictionAttention) =>
        linksCell(manages ? links.map((link) => ({ ...link, hiddenText: `for ${item.customerName}` })) : []);
      const sections = [
        {
          id: 'alerts',
          label: 'New frequency alerts',
          urgent: true,
          show: allowed(request, 'handle-alerts'),
          head: ['Raised', 'About', 'Pattern', 'Action'],
          rows: attention.newAlerts.map((alert) => [
            textCell(londonDateTime(alert.raisedAt)),
            alert.subject.kind === 'customer'
              ? linkCell(customerHref(alert.subject.customerId), whoseLabel(alert))
              : textCell(whoseLabel(alert)),
            textCell(`${alert.count} contacts in ${alert.windowDays} days (${alert.clause})`),
            linksCell([
              {
                href: alertHref(alert),
                text: 'Record outcome',
                hiddenText: `of the alert about ${whoseLabel(alert)}`,
              },
            ]),
          ]),
        },
        {
          id: 'reviews',
          label: 'Reviews due or overdue',
          urgent: attention.reviewsDue.some((item) => item.stage === 'overdue'),
          show: true,
          head: ['Customer', 'Restriction', 'Review', 'Action'],
          rows: attention.reviewsDue.map((item) => [
            ...whoAndWhat(item),
            tagCell(
              item.stage === 'overdue'
                ? { text: `Overdue since ${londonDay(item.reviewAt)}`, classes: 'govuk-tag--red' }
                : {
                    // 10.1: one that ends before its review date is looked at before it lapses.
                    text:
                      item.endsAt < item.reviewAt
                        ? `Before it ends ${lastDay(item.endsAt)}`
                        : `Due ${londonDay(item.reviewAt)}`,
                    classes: 'govuk-tag--yellow',
                  },
            ),
            act(
              [
                { href: restrictionHref(item, 'review'), text: 'Record review' },
                { href: restrictionHref(item, 'extend'), text: 'Extend' },
              ],
              item,
            ),
          ]),
        },
        {
          id: 'not-advised',
          label: 'Customers not yet advised',
          urgent: attention.notYetAdvised.some((item) => item.overdue),
          show: true,
          head: ['Customer', 'Restriction', 'Imposed', 'Action'],
          rows: attention.notYetAdvised.map((item) => [
            ...whoAndWhat(item),
            item.overdue
              ? tagCell({
                  text: `${item.workingDaysSinceImposed} working days ago`,
                  classes: 'govuk-tag--red',
                })
              : textCell(`${item.workingDaysSinceImposed} working days ago`),
            allowed(request, 'record-advice')
              ? linksCell([
                  {
                    href: restrictionHref(item, 'advised'),
                    text: 'Record advice',
                    hiddenText: `for ${item.customerName}`,
                  },
                ])
              : textCell(''),
          ]),
        },
        {
          id: 'conflicts',
          label: 'Clashes with reasonable adjustments',
          urgent: attention.conflictsToAcknowledge.length > 0,
          show: true,
          head: ['Customer', 'Restriction', 'Starts', 'Action'],
          rows: attention.conflictsToAcknowledge.map((item) => [
            ...whoAndWhat(item),
            textCell(londonDay(item.startsAt)),
            allowed(request, 'acknowledge-conflicts')
              ? linksCell([
                  {
                    href: restrictionHref(item, 'acknowledge-conflicts'),
                    text: 'Acknowledge',
                    hiddenText: `for ${item.customerName}`,
                  },
                ])
              : textCell(''),
          ]),
        },
        {
          id: 'starting',
          label: 'Starting in the next 7 days',
          urgent: false,
          show: true,
          head: ['Customer', 'Restriction', 'Starts'],
          rows: attention.startingThisWeek.map((item) => [
            ...whoAndWhat(item),
            textCell(londonDay(item.startsAt)),
          ]),
        },
        {
          id: 'ending',
          label: 'Ending in the next 7 days',
          urgent: false,
          show: true,
          head: ['Customer', 'Restriction', 'Last day', 'Action'],
          rows: attention.endingThisWeek.map((item) => [
            ...whoAndWhat(item),
            textCell(lastDay(item.endsAt)),
            act([{ href: restrictionHref(item, 'extend'), text: 'Extend' }], item),
          ]),
        },
      ]
        .filter((section) => section.show)
        .map((section) => ({
          ...section,
          // A role that may not act sees no empty Action column.
          head: (manages || section.id === 'alerts'
            ? section.head
            : section.head.filter((h) => h !== 'Action')
          ).map((text) => ({ text })),
          rows:
            manages || section.id === 'alerts' ? section.rows : section.rows.map((row) => row.slice(0, 3)),
        }));
      return renderPage(request, 'home.njk', { title: 'What needs attention', sections });
    },
  },
];
