import {
  type AlertLog,
  type AlertOutcomeStore,
  type AlertView as CoreAlertView,
  listAlertsWithOutcomes,
  readAlert,
  recordAlertOutcome,
} from '../core/alert-outcomes';
import { type AttentionSummary, attentionSummary, type RestrictionItem } from '../core/attention';
import { readContact } from '../core/contact-view';
import { findCustomers } from '../core/customer-search';
import type { IncidentDeps } from '../core/incidents';
import type { ContactLog } from '../core/ports';
import { NotFoundError } from '../core/ports';
import { type RecordingDeps, recordContact } from '../core/recorded-contacts';
import type { RegisterChangeDeps } from '../core/register';
import { buildReport, type ReportTotals } from '../core/reports';
import { restrictionApplies, restrictionStatus } from '../core/restriction';
import type { StepLetterDeps } from '../core/step-letters';
import { toInstant } from '../core/time';
import { ValidationError } from '../core/validation';
import type { AlertView, Attention, ConsoleDeps, RestrictionAttention } from './pages/deps';

/** What the console's use cases are built on: the same stores the admin API uses. */
export interface ConsoleStores {
  register: RegisterChangeDeps;
  contacts: Pick<ContactLog, 'listContactsOfCustomer' | 'loadContactRecords'>;
  alerts: AlertLog;
  outcomes: AlertOutcomeStore;
  incidents: IncidentDeps;
  stepLetters: StepLetterDeps;
  now?: () => Date;
  /** Bank holidays (London days), not counted as working days (8.1). */
  holidays?: readonly string[];
  /** What recording a contact staff took needs (the same as POST /admin/contacts). */
  recording?: RecordingDeps;
  /** The monitoring totals kept as contacts are delivered (13.1). */
  totals: Pick<ReportTotals, 'read'>;
  /** Whether incidents are counted in the totals (recordIncidentTotals). */
  incidentsRecorded?: boolean;
}

function alertViewOf(alert: CoreAlertView): AlertView {
  const outcome = alert.outcome;
  return {
    ...alert.detail,
    raisedAt: alert.at,
    status: alert.state,
    ...(alert.customerName ? { customerName: alert.customerName } : {}),
    ...(outcome
      ? {
          outcome: {
            outcome: outcome.outcome,
            ...(outcome.how ? { how: outcome.how as 'phone' | 'letter' | 'email' | 'in-person' } : {}),
            by: outcome.recordedBy,
            ...(outcome.note ? { note: outcome.note } : {}),
            at: outcome.recordedAt,
            recordedBy: outcome.actor,
          },
        }
      : {}),
  };
}

/**
 * The console's use cases: the core's own (customer search, a contact by reference, what needs
 * attention, alert outcomes), in the shapes the pages render. Nothing here decides anything.
 */
export function consoleUseCases(stores: ConsoleStores): ConsoleDeps {
  const { register } = stores;
  const now = stores.now ?? (() => new Date());
  const store = register.store;

  const attentionItem = (item: RestrictionItem, at: string): RestrictionAttention => ({
    restrictionId: item.restrictionId,
    customerId: item.customerId,
    customerName: item.customerName ?? item.customerId,
    type: item.type,
    // Attention lists only restrictions not lifted.
    status: restrictionStatus(item, at),
    startsAt: item.startsAt,
    endsAt: item.endsAt,
    reviewAt: item.reviewAt,
  });

  return {
    register,
    contacts: stores.contacts,
    incidents: stores.incidents,
    stepLetters: stores.stepLetters,
    now,
    async findCustomers(q) {
      const { matches } = await findCustomers(q, { store, contacts: stores.contacts });
      const at = toInstant(now());
      const customers = await Promise.all(
        matches.map(async ({ customer, matchedBy }) => {
          const record = await store.loadCustomer(customer.id);
          return {
            customerId: customer.id,
            name: customer.name,
            ...(customer.postcode ? { postcode: customer.postcode } : {}),
            matchedBy: matchedBy.map((reason) => (reason === 'postcode' ? 'name-postcode' : reason)),
            restrictionsInForce: (record?.restrictions ?? []).filter((r) => restrictionApplies(r, at)).length,
          };
        }),
      );
      const reference = matches.find((match) => match.reference)?.reference;
      const letter = matches.find((match) => match.letter)?.letter;
      return { customers, ...(reference ? { contact: { reference } } : {}), ...(letter ? { letter } : {}) };
    },
    async recordContact(body, request) {
      if (!stores.recording) throw new Error('recording contacts is not wired in this console');
      return recordContact(body, request, stores.recording);
    },
    async readContact(reference) {
      try {
        const view = await readContact(reference, { contacts: stores.contacts, store });
        return {
          ...view,
          channel: view.channel ?? 'email',
          receivedAt: view.receivedAt ?? view.processedAt ?? '',
          route: view.route ?? 'unscreened',
          customerIds: view.customers.map((customer) => customer.id),
          senderVerified: view.senderVerified ?? false,
        } as Awaited<ReturnType<ConsoleDeps['readContact']>>;
      } catch (error) {
        // Not a reference at all, or none kept: the page answers "not found" either way.
        if (error instanceof NotFoundError || error instanceof ValidationError) return undefined;
        throw error;
      }
    },
    report(period) {
      return buildReport(period, toInstant(now()), {
        store,
        totals: stores.totals,
        alerts: stores.alerts,
        outcomes: stores.outcomes,
        ...(stores.incidentsRecorded ? { incidentsRecorded: true } : {}),
        ...(stores.holidays ? { holidays: stores.holidays } : {}),
      });
    },
    async attention(at) {
      const instant = toInstant(at);
      const summary: AttentionSummary = await attentionSummary(
        {
          store,
          alerts: stores.alerts,
          outcomes: stores.outcomes,
          ...(stores.holidays ? { holidays: stores.holidays } : {}),
        },
        instant,
      );
      const result: Attention = {
        newAlerts: summary.openAlerts.map(alertViewOf),
        reviewsDue: [...summary.reviewsOverdue, ...summary.reviewsDueSoon].map((item) => ({
          ...attentionItem(item, instant),
          stage: item.stage,
        })),
        startingThisWeek: summary.startingSoon.map((item) => attentionItem(item, instant)),
        endingThisWeek: summary.endingSoon.map((item) => attentionItem(item, instant)),
        conflictsToAcknowledge: summary.unacknowledgedConflicts.map((item) => attentionItem(item, instant)),
        notYetAdvised: summary.notAdvised.map((item) => ({
          ...attentionItem(item, instant),
          workingDaysSinceImposed: item.workingDaysSince,
          overdue: item.overdue,
        })),
      };
      return result;
    },
    async listAlerts(filter) {
      const alerts = await listAlertsWithOutcomes(
        {
          ...(filter.customerId ? { customerId: filter.customerId } : {}),
          ...(filter.status && filter.status !== 'all' ? { state: filter.status } : {}),
          ...(filter.limit ? { limit: String(filter.limit) } : {}),
        },
        { alerts: stores.alerts, outcomes: stores.outcomes, store },
      );
      return alerts.map(alertViewOf);
    },
    async readAlert(alertId) {
      try {
        return alertViewOf(await readAlert(alertId, { outcomes: stores.outcomes, store }));
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async recordAlertOutcome(alertId, input, actor) {
      const recorded = await recordAlertOutcome(
        alertId,
        {
          outcome: input.outcome,
          recordedBy: input.by,
          ...(input.note ? { note: input.note } : {}),
          ...(input.how ? { how: input.how } : {}),
        },
        actor,
        { register, outcomes: stores.outcomes },
      );
      return alertViewOf(recorded);
    },
  };
}
