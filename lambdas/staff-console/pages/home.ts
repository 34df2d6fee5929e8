import type { Permission } from '../../core/staff-roles';
import type { ConsolePage, ConsoleRequest } from '../types';
import { lastDay, londonDateTime, londonDay } from '../views/dates';
import { renderPage } from '../views/page';
import { alertHref, whoseLabel } from './alerts';
import { type Cell, customerHref, linkCell, linksCell, tagCell, textCell } from './cells';
import type { Attention, ConsoleDeps, RestrictionAttention } from './deps';
import { titleOf } from './present';
import { quickContactForm } from './record-contact';
import { allowed } from './respond';

/**
 * Home: what needs attention now, each with a link to act on it. The figures come first so a
 * manager sees at a glance whether anything is waiting; the tables follow in the same order.
 * A role that may not act sees the lists without their Action column.
 */
type Link = { href: string; text: string };

interface Section<T> {
  id: string;
  label: string;
  items: readonly T[];
  /** Red when something in it is late. */
  urgent: (items: readonly T[]) => boolean;
  /** Who may see the section at all. */
  see?: Permission;
  head: string[];
  cells: (item: T) => Cell[];
  /** The links to act on an item, for those holding `act`. */
  act?: { permission: Permission; links: (item: T) => Link[]; about: (item: T) => string };
}

const restrictionHref = (item: RestrictionAttention, action?: string) =>
  action
    ? `/staff/restrictions/${encodeURIComponent(item.restrictionId)}/${action}`
    : `${customerHref(item.customerId)}#restriction-${item.restrictionId}`;

const whoAndWhat = (item: RestrictionAttention): Cell[] => [
  linkCell(customerHref(item.customerId), item.customerName),
  linkCell(restrictionHref(item), titleOf(item.type)),
];

const onRestriction = (permission: Permission, ...actions: Array<[string, string]>) => ({
  permission,
  links: (item: RestrictionAttention) =>
    actions.map(([path, text]) => ({ href: restrictionHref(item, path), text })),
  about: (item: RestrictionAttention) => `for ${item.customerName}`,
});

const never = () => false;

function sectionsOf(attention: Attention) {
  return [
    {
      id: 'alerts',
      label: 'New frequency alerts',
      items: attention.newAlerts,
      urgent: (items) => items.length > 0,
      see: 'handle-alerts',
      head: ['Raised', 'About', 'Pattern'],
      cells: (alert) => [
        textCell(londonDateTime(alert.raisedAt)),
        alert.subject.kind === 'customer'
          ? linkCell(customerHref(alert.subject.customerId), whoseLabel(alert))
          : textCell(whoseLabel(alert)),
        textCell(`${alert.count} contacts in ${alert.windowDays} days (${alert.clause})`),
      ],
      act: {
        permission: 'handle-alerts',
        links: (alert) => [{ href: alertHref(alert), text: 'Record outcome' }],
        about: (alert) => `of the alert about ${whoseLabel(alert)}`,
      },
    } satisfies Section<Attention['newAlerts'][number]>,
    {
      id: 'reviews',
      label: 'Reviews due or overdue',
      items: attention.reviewsDue,
      urgent: (items) => items.some((item) => item.stage === 'overdue'),
      head: ['Customer', 'Restriction', 'Review'],
      cells: (item) => [
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
      ],
      act: onRestriction('manage-restrictions', ['review', 'Record review'], ['extend', 'Extend']),
    } satisfies Section<Attention['reviewsDue'][number]>,
    {
      id: 'not-advised',
      label: 'Customers not yet advised',
      items: attention.notYetAdvised,
      urgent: (items) => items.some((item) => item.overdue),
      head: ['Customer', 'Restriction', 'Imposed'],
      cells: (item) => [
        ...whoAndWhat(item),
        // 8.1: the customer is written to promptly; late after 5 working days.
        item.overdue
          ? tagCell({ text: `${item.workingDaysSinceImposed} working days ago`, classes: 'govuk-tag--red' })
          : textCell(`${item.workingDaysSinceImposed} working days ago`),
      ],
      act: onRestriction('record-advice', ['advised', 'Record advice']),
    } satisfies Section<Attention['notYetAdvised'][number]>,
    {
      id: 'conflicts',
      label: 'Clashes with reasonable adjustments',
      items: attention.conflictsToAcknowledge,
      urgent: (items) => items.length > 0,
      head: ['Customer', 'Restriction', 'Starts'],
      cells: (item) => [...whoAndWhat(item), textCell(londonDay(item.startsAt))],
      act: onRestriction('acknowledge-conflicts', ['acknowledge-conflicts', 'Acknowledge']),
    } satisfies Section<RestrictionAttention>,
    {
      id: 'starting',
      label: 'Starting in the next 7 days',
      items: attention.startingThisWeek,
      urgent: never,
      head: ['Customer', 'Restriction', 'Starts'],
      cells: (item) => [...whoAndWhat(item), textCell(londonDay(item.startsAt))],
    } satisfies Section<RestrictionAttention>,
    {
      id: 'ending',
      label: 'Ending in the next 7 days',
      items: attention.endingThisWeek,
      urgent: never,
      head: ['Customer', 'Restriction', 'Last day'],
      cells: (item) => [...whoAndWhat(item), textCell(lastDay(item.endsAt))],
      act: onRestriction('manage-restrictions', ['extend', 'Extend']),
    } satisfies Section<RestrictionAttention>,
  ];
}

/** A section as the template shows it: its figure, and its table with an Action column for those who may act. */
function viewOf<T>(request: ConsoleRequest, section: Section<T>) {
  const act = section.act && allowed(request, section.act.permission) ? section.act : undefined;
  return {
    id: section.id,
    label: section.label,
    count: section.items.length,
    urgent: section.urgent(section.items),
    head: [...section.head, ...(act ? ['Action'] : [])].map((text) => ({ text })),
    rows: section.items.map((item) => [
      ...section.cells(item),
      ...(act ? [linksCell(act.links(item).map((link) => ({ ...link, hiddenText: act.about(item) })))] : []),
    ]),
  };
}

export const homePages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/',
    permission: 'view',
    async handle(request, deps) {
      const sections = (sectionsOf(await deps.attention(deps.now())) as Section<unknown>[])
        .filter((section) => !section.see || allowed(request, section.see))
        .map((section) => viewOf(request, section));
      return renderPage(request, 'home.njk', {
        title: 'What needs attention',
        sections,
        ...(allowed(request, 'record-contacts') ? { quickContact: quickContactForm(request) } : {}),
      });
    },
  },
];
