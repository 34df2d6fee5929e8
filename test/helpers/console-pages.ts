import { DynamoContactLog } from '../../lambdas/adapters/dynamodb/contact-log';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import type { FrequencyAlertDetail } from '../../lambdas/core/events';
import { normaliseEmail, normalisePhone, normalisePostcode } from '../../lambdas/core/identity';
import { type RegisterChangeDeps, readCustomer, recordEscalationStep } from '../../lambdas/core/register';
import { restrictionApplies, unacknowledgedConflicts } from '../../lambdas/core/restriction';
import { classifyForReview } from '../../lambdas/core/review';
import { may, type StaffRole } from '../../lambdas/core/staff-roles';
import { toInstant } from '../../lambdas/core/time';
import type {
  AlertView,
  Attention,
  ConsoleDeps,
  ContactView,
  CustomerMatch,
  RestrictionAttention,
} from '../../lambdas/staff-console/pages/deps';
import { consolePages } from '../../lambdas/staff-console/pages/index';
import type { ConsoleRequest, ConsoleResponse } from '../../lambdas/staff-console/types';
import { startTestTable, type TestTable } from './dynalite';
import { changeDeps } from './register-fixtures';

/**
 * The console's pages on a dynalite register with the real core use cases. The use cases being
 * written beside the console (search, contact by reference, attention, alert outcomes) are small
 * stand-ins here over the same register, so the pages can be driven as the shell drives them.
 */
export interface ConsoleUnderTest {
  table: TestTable;
  deps: ConsoleDeps;
  register: RegisterChangeDeps;
  /** Moves the clock every part reads. */
  setNow(instant: string): void;
  contacts: Map<string, ContactView>;
  alerts: AlertView[];
  stop(): Promise<void>;
}

const dayMs = 86_400_000;

export async function startConsole(now = '2026-06-01T09:00:00.000Z'): Promise<ConsoleUnderTest> {
  const table = await startTestTable();
  let clock = now;
  const store = new DynamoRegisterStore(table.documentClient, table.tableName);
  const register = changeDeps({ store, now: () => clock });
  const contacts = new Map<string, ContactView>();
  const alerts: AlertView[] = [];

  const attentionItem = async (restrictionId: string, customerId: string): Promise<RestrictionAttention> => {
    const customer = await readCustomer(customerId, register);
    const r = customer.restrictions.find((candidate) => candidate.id === restrictionId)!;
    return {
      restrictionId,
      customerId,
      customerName: customer.name,
      type: r.type,
      status: r.status,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      reviewAt: r.reviewAt,
    };
  };

  const deps: ConsoleDeps = {
    register,
    contacts: new DynamoContactLog(table.documentClient, table.tableName),
    now: () => new Date(clock),
    async findCustomers(q) {
      const email = normaliseEmail(q);
      const phone = normalisePhone(q);
      const postcode = normalisePostcode(q);
      const found = [];
      for (const customer of await store.listCustomers()) {
        const matchedBy: CustomerMatch['matchedBy'] = [];
        if (customer.name.toLowerCase().includes(q.toLowerCase())) matchedBy.push('name');
        if (email && customer.emails.includes(email)) matchedBy.push('email');
        if (phone && customer.phones.includes(phone)) matchedBy.push('phone');
        if (postcode && customer.postcode === postcode) matchedBy.push('name-postcode');
        if (matchedBy.length === 0) continue;
        const record = await store.loadCustomer(customer.id);
        found.push({
          customerId: customer.id,
          name: customer.name,
          ...(customer.postcode ? { postcode: customer.postcode } : {}),
          matchedBy,
          restrictionsInForce: (record?.restrictions ?? []).filter((r) => restrictionApplies(r, clock))
            .length,
        });
      }
      return { customers: found, ...(contacts.has(q) ? { contact: { reference: q } } : {}) };
    },
    readContact: async (reference) => contacts.get(reference),
    async attention(at) {
      const instant = toInstant(at);
      const restrictions = await store.listRestrictions();
      const live = restrictions.filter((r) => r.liftedAt === undefined && r.endsAt > instant);
      const within = (value: string) =>
        value >= instant && Date.parse(value) - Date.parse(instant) <= 7 * dayMs;
      const items = (list: typeof restrictions) =>
        Promise.all(list.map((r) => attentionItem(r.id, r.customerId)));
      const reviews = classifyForReview(restrictions, instant).filter((i) => i.stage !== 'ended');
      const notAdvised = live.filter((r) => !r.customerAdvisedAt);
      const result: Attention = {
        newAlerts: alerts.filter((a) => a.status === 'open'),
        reviewsDue: await Promise.all(
          reviews.map(async (i) => ({
            ...(await attentionItem(i.restriction.id, i.restriction.customerId)),
            stage: i.stage as 'due-soon' | 'overdue',
          })),
        ),
        startingThisWeek: await items(live.filter((r) => within(r.startsAt))),
        endingThisWeek: await items(live.filter((r) => within(r.endsAt))),
        conflictsToAcknowledge: await items(live.filter((r) => unacknowledgedConflicts(r).length > 0)),
        notYetAdvised: await Promise.all(
          notAdvised.map(async (r) => {
            const days = Math.floor((Date.parse(instant) - Date.parse(r.createdAt)) / dayMs);
            return {
              ...(await attentionItem(r.id, r.customerId)),
              workingDaysSinceImposed: days,
              overdue: days > 5,
            };
          }),
        ),
      };
      return result;
    },
    listAlerts: async (filter) =>
      alerts.filter(
        (a) =>
          (filter.status === undefined || filter.status === 'all' || a.status === filter.status) &&
          (filter.customerId === undefined ||
            (a.subject.kind === 'customer' && a.subject.customerId === filter.customerId)),
      ),
    readAlert: async (alertId) => alerts.find((a) => a.alertId === alertId),
    async recordAlertOutcome(alertId, input, actor) {
      const alert = alerts.find((a) => a.alertId === alertId)!;
      if (input.outcome === 'warning-given' && alert.subject.kind === 'customer') {
        await recordEscalationStep(
          alert.subject.customerId,
          { step: 'warning-given', how: input.how, by: input.by },
          actor,
          register,
        );
      }
      alert.status = 'closed';
      alert.outcome = { ...input, at: clock, recordedBy: actor };
      return alert;
    },
  };
  return {
    table,
    deps,
    register,
    setNow: (instant) => {
      clock = instant;
    },
    contacts,
    alerts,
    stop: () => table.stop(),
  };
}

/** A frequency alert as the stand-in store keeps it. */
export function anAlert(
  customerId: string,
  customerName: string,
  overrides: Partial<AlertView> = {},
): AlertView {
  const detail: FrequencyAlertDetail = {
    alertId: `alr_${Math.random().toString(16).slice(2, 10)}`,
    subject: { kind: 'customer', customerId },
    window: 'topic',
    clause: '4.2.7',
    topic: { key: 'cmp-12345', label: 'CMP-12345', how: 'case-reference' },
    count: 12,
    threshold: 10,
    windowDays: 7,
    channels: ['email', 'web-form'],
    firstContactAt: '2026-05-26T08:00:00.000Z',
    lastContactAt: '2026-05-31T18:00:00.000Z',
    contactReferences: ['CS-0001', 'CS-0002'],
  };
  return { ...detail, raisedAt: '2026-05-31T18:00:01.000Z', status: 'open', customerName, ...overrides };
}

const people: Record<StaffRole, { name: string; email: string }> = {
  officer: { name: 'Olive Officer', email: 'officer@council.example' },
  'service-manager': { name: 'Sam Manager', email: 'manager@council.example' },
  'senior-manager': { name: 'Sue Senior', email: 'senior@council.example' },
};

/** Matches an Express-style pattern (`/staff/customers/:id`) against a path. */
function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_all, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = path.match(new RegExp(`^${source}$`));
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
}

/**
 * Calls the console as the shell does: finds the page for the method and address, answers 403
 * when the role lacks the page's permission, else hands the page a parsed, CSRF-checked request.
 */
export async function visit(
  deps: ConsoleDeps,
  role: StaffRole,
  method: 'GET' | 'POST',
  url: string,
  form: ConsoleRequest['form'] = {},
): Promise<ConsoleResponse & { html?: string }> {
  const { pathname, searchParams } = new URL(url, 'http://console.test');
  for (const page of consolePages) {
    if (page.method !== method) continue;
    const params = matchPattern(page.pattern, pathname);
    if (!params) continue;
    const person = people[role];
    const request: ConsoleRequest = {
      method,
      path: pathname,
      params,
      query: Object.fromEntries(searchParams),
      form: method === 'POST' ? { csrfToken: 'test-csrf-token', ...form } : {},
      user: { subject: `sub-${role}`, name: person.name, email: person.email, roles: [role] },
      csrfToken: 'test-csrf-token',
      actor: `${person.name} (sub-${role})`,
      cspNonce: 'test-nonce',
      councilName: 'Example Borough Council',
    };
    if (!may(request.user.roles, page.permission))
      return { kind: 'page', status: 403, html: 'forbidden by the shell' };
    return page.handle(request, deps);
  }
  throw new Error(`no console page for ${method} ${url}`);
}

/** The page's HTML, failing when the answer was not a page. */
export function htmlOf(response: ConsoleResponse): string {
  if (response.kind !== 'page') throw new Error(`expected a page, got ${response.kind}`);
  return response.html;
}

/** The visible text of a page, tags removed and whitespace folded, for assertions about wording. */
export const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
