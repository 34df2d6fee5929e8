import type { EscalationHistoryEntry } from '../../core/escalation';
import { incidentRules } from '../../core/incidents';
import { postcodeForPrint } from '../../core/letters';
import { listLetters, readAudit, readCustomer } from '../../core/register';
import { listStepLetters, stepLetterRules } from '../../core/step-letters';
import type { ConsolePage, ConsoleRequest } from '../types';
import { londonDateTime, londonDay } from '../views/dates';
import { frameContext, renderPage } from '../views/page';
import { customerHref, linkCell, tagCell, tagHtml, textCell } from './cells';
import type { ConsoleDeps } from './deps';
import {
  channelLabels,
  personOf,
  phoneForPeople,
  restrictionActions,
  restrictionRows,
  routeLabels,
  signalTagOf,
  stageLabels,
  statusTags,
  titleOf,
} from './present';
import { notFound, noticeFor, orNotFound } from './respond';

/** Find a customer, and everything about one customer with the actions the signed-in role may take. */

const matchLabels: Record<string, string> = {
  email: 'Email',
  phone: 'Phone',
  'name-postcode': 'Name and postcode',
  name: 'Name',
  reference: 'Contact reference',
  letter: 'Letter reference',
};

const shortened = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const find: ConsolePage<ConsoleDeps> = {
  method: 'GET',
  pattern: '/staff/customers',
  permission: 'view',
  async handle(request, deps) {
    const q = (request.query.q ?? '').trim().slice(0, 320);
    const search = q ? await deps.findCustomers(q) : undefined;
    return renderPage(request, 'find.njk', {
      title: q ? `Customers matching your search` : 'Find a customer',
      q,
      contact: search?.contact,
      letter: search?.letter,
      rows: (search?.customers ?? []).map((customer) => [
        linkCell(customerHref(customer.customerId), customer.name),
        textCell(customer.postcode ? postcodeForPrint(customer.postcode) : ''),
        textCell(customer.matchedBy.map((kind) => matchLabels[kind] ?? kind).join(', ')),
        customer.restrictionsInForce > 0
          ? tagCell({ text: `${customer.restrictionsInForce} in force`, classes: 'govuk-tag--blue' })
          : textCell('None'),
      ]),
    });
  },
};

const stepWords: Record<string, string> = {
  'concern-raised': 'Concern raised',
  'warning-given': 'Warning given',
  'written-notice': 'Written notice sent',
  restricted: 'Restriction imposed',
  'all-contact-refused': 'All contact refused',
};

function timelineOf(history: readonly EscalationHistoryEntry[], restrictionTitles: Map<string, string>) {
  return history.map((entry) => ({
    ...entry,
    title: `${stepWords[entry.stage] ?? entry.stage} (${entry.clause})`,
    restrictionTitle: entry.restrictionId ? restrictionTitles.get(entry.restrictionId) : undefined,
  }));
}

const auditWords: Record<string, string> = {
  'customer-registered': 'Customer registered',
  'customer-changed': 'Customer details changed',
  'escalation-recorded': 'Escalation step recorded',
  'restriction-imposed': 'Restriction imposed',
  'restriction-lifted': 'Restriction lifted',
  'restriction-extended': 'Restriction extended',
  'restriction-reviewed': 'Review recorded',
  'restriction-advised': 'Advice dates recorded',
  'conflicts-acknowledged': 'Clash acknowledged',
  'letter-generated': 'Letter written',
  'alert-outcome-recorded': 'Alert outcome recorded',
  'incident-recorded': 'Incident recorded',
  'incidents-joined': 'Earlier incident joined',
  'step-letter-drafted': 'Letter drafted',
  'step-letter-changed': 'Draft letter changed',
  'step-letter-sent': 'Letter sent',
};

const inForceFirst = ['active', 'review-overdue', 'scheduled', 'ended', 'lifted'];

async function showCustomer(request: ConsoleRequest, deps: ConsoleDeps) {
  const id = request.params.id ?? '';
  const customer = await orNotFound(readCustomer(id, deps.register));
  if (!customer) return notFound(request, 'customer');
  const { can } = frameContext(request);
  // Letters and the audit trail are for those who decide (8.1, 12.1); officers see what to observe.
  const [letters, contacts, alerts, audit, incidents, stepLetters] = await Promise.all([
    can('letters') ? listLetters(id, deps.register) : Promise.resolve(undefined),
    deps.contacts.listContactsOfCustomer(id, 50),
    deps.listAlerts({ customerId: id, status: 'all', limit: 20 }),
    can('letters') ? readAudit(id, deps.register) : Promise.resolve(undefined),
    deps.incidents.incidents.listOfCustomer(id),
    can('write-step-letters') ? listStepLetters(id, deps.stepLetters) : Promise.resolve(undefined),
  ]);
  const restrictions = [...customer.restrictions]
    .sort(
      (a, b) =>
        inForceFirst.indexOf(a.status) - inForceFirst.indexOf(b.status) ||
        a.startsAt.localeCompare(b.startsAt),
    )
    .map((restriction) => ({
      id: restriction.id,
      title: titleOf(restriction.type),
      status: restriction.status,
      tag: statusTags[restriction.status],
      current: ['active', 'review-overdue', 'scheduled'].includes(restriction.status),
      rows: restrictionRows(restriction),
      warnings: restriction.conflictsAcknowledged ? [] : (restriction.conflicts ?? []).map((c) => c.warning),
      actions: restrictionActions(restriction, can),
    }));
  const titles = new Map(customer.restrictions.map((r) => [r.id, titleOf(r.type)]));
  return renderPage(request, 'customer.njk', {
    title: customer.name,
    notice: noticeFor(request),
    customer,
    postcode: customer.postcode ? postcodeForPrint(customer.postcode) : undefined,
    phones: customer.phones.map(phoneForPeople),
    registeredBy: personOf(customer.createdBy),
    stage: stageLabels[customer.escalation.stage],
    current: restrictions.filter((r) => r.current),
    past: restrictions.filter((r) => !r.current),
    timeline: timelineOf(customer.escalation.history, titles),
    // 5.4.2, 5.7: the file notes, newest first; each links to the incident and what to consider next.
    incidents: [...incidents].reverse().map((incident) => ({
      id: incident.id,
      title: `${incidentRules[incident.kind].label} (${incident.clauses.join(', ')})`,
      at: incident.at,
      channel: channelLabels[incident.channel] ?? incident.channel,
      urgent: incident.severity === 'urgent',
      recordedBy: incident.recordedBy,
      what: incident.what,
    })),
    canRecordIncident: can('record-incidents'),
    canWriteLetters: can('write-step-letters'),
    stepLetterRows: stepLetters?.map((letter) => [
      linkCell(`/staff/step-letters/${encodeURIComponent(letter.id)}`, letter.subject),
      textCell(`${stepLetterRules[letter.kind].title} (${stepLetterRules[letter.kind].mainClause})`),
      textCell(londonDay(letter.createdAt)),
      tagCell(
        letter.status === 'sent'
          ? { text: 'Sent', classes: 'govuk-tag--green' }
          : { text: 'Draft', classes: 'govuk-tag--yellow' },
      ),
    ]),
    // Each type's form is chosen on the next page (8.2: refusing all contact only for senior managers).
    canImpose: can('manage-restrictions'),
    letterRows: letters?.map((letter) => [
      linkCell(`/staff/letters/${encodeURIComponent(letter.id)}`, letter.subject),
      textCell(londonDay(letter.createdAt)),
      linkCell(`/staff/letters/${encodeURIComponent(letter.id)}?format=pdf`, 'PDF', letter.subject),
    ]),
    flaggedContacts: contacts.filter((contact) => contact.signalCategories?.length).length,
    contactRows: contacts.map((contact) => [
      flaggedReferenceCell(contact.reference, contact.signalCategories),
      textCell(londonDateTime(contact.receivedAt)),
      textCell(channelLabels[contact.channel] ?? contact.channel),
      // A contact staff recorded: the start of their summary, the rest on the contact's page.
      textCell(
        [contact.topic?.label, contact.summary ? shortened(contact.summary, 120) : undefined]
          .filter(Boolean)
          .join(': '),
      ),
      textCell(routeLabels[contact.route] ?? contact.route),
      textCell([...new Set(contact.reasons.map((r) => r.clause).filter(Boolean))].join(', ')),
    ]),
    alertRows: alerts.map((alert) => [
      can('handle-alerts')
        ? linkCell(`/staff/alerts/${encodeURIComponent(alert.alertId)}`, londonDay(alert.raisedAt), 'alert')
        : textCell(londonDay(alert.raisedAt)),
      textCell(`${alert.count} contacts in ${alert.windowDays} days (${alert.clause})`),
      textCell(alert.topic?.label ?? 'All topics'),
      tagCell(
        alert.status === 'open'
          ? { text: 'Open', classes: 'govuk-tag--red' }
          : { text: 'Closed', classes: 'govuk-tag--grey' },
      ),
    ]),
    auditRows: audit
      ?.slice()
      .reverse()
      .map((entry) => [
        textCell(londonDateTime(entry.at)),
        textCell(auditWords[entry.action] ?? entry.action),
        textCell(personOf(entry.actor)),
        textCell(entry.why ?? ''),
      ]),
  });
}

export const customerPages: ConsolePage<ConsoleDeps>[] = [
  find,
  { method: 'GET', pattern: '/staff/customers/:id', permission: 'view', handle: showCustomer },
];

/** The contact's link, with a tag per content flag its words raised (3.1, 3.2.5, 3.3, 3.2.8). */
function flaggedReferenceCell(reference: string, categories: readonly string[] = []) {
  const link = linkCell(`/staff/contacts/${encodeURIComponent(reference)}`, reference) as { html: string };
  if (categories.length === 0) return link;
  const tags = categories.map((category) => tagHtml(signalTagOf(category))).join(' ');
  return { html: `${link.html}<br>${tags}` };
}
