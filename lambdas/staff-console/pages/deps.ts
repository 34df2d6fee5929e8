import type { AlertOutcomeKind } from '../../core/alert-outcomes';
import type { ContactRecord } from '../../core/contact';
import type { ContactView as CoreContactView } from '../../core/contact-view';
import type { FrequencyAlertDetail } from '../../core/events';
import type { IdentityKind } from '../../core/identity';
import type { IncidentDeps } from '../../core/incidents';
import type { ContactLog } from '../../core/ports';
import type { RecordedContactAnswer } from '../../core/recorded-contacts';
import type { RegisterChangeDeps } from '../../core/register';
import type { MonitoringReport, ReportPeriod } from '../../core/reports';
import type { RestrictionStatus, RestrictionType } from '../../core/restriction';
import type { StepLetterDeps } from '../../core/step-letters';
import type { Instant } from '../../core/time';

/**
 * What the console's pages need. The register and the contact log are the core's own ports; the
 * rest are use cases, each a function, so the composition root (deps.ts beside the handler) wires
 * the real ones and a test hands in its own. Pages stay thin: they read a form, call one of these
 * and render what comes back.
 */
export interface ConsoleDeps {
  /** The register with letters (core/register.ts): every read and change of restrictions. */
  register: RegisterChangeDeps;
  /** The customer's contact log (newest first): decisions only, never bodies (P7). */
  contacts: Pick<ContactLog, 'listContactsOfCustomer'>;
  /** Incidents (5.4.2, 5.7, 5.8, 3.3): recorded as file notes, the managers told at once. */
  incidents: IncidentDeps;
  /** The letters before a restriction (7.2.1, 7.2.2, 5.9). */
  stepLetters: StepLetterDeps;
  now: () => Date;
  /** Find by name, email, phone, postcode, contact or letter reference, normalised as screening does. */
  findCustomers(q: string): Promise<CustomerSearch>;
  /**
   * Records a contact staff took by telephone, in person, by letter or on social media (4.2.7) and
   * answers what the restrictions in force ask of the officer (POST /admin/contacts' use case).
   */
  recordContact(body: unknown, request: { actor: string }): Promise<RecordedContactAnswer>;
  /** One screened contact by its reference, or undefined. */
  readContact(reference: string): Promise<ContactView | undefined>;
  /** What needs a manager's attention now (Home). */
  attention(now: Date): Promise<Attention>;
  /** Frequency alerts (4.2.7, 4.2.8, 4.2.12), newest first. */
  listAlerts(filter: AlertFilter): Promise<AlertView[]>;
  readAlert(alertId: string): Promise<AlertView | undefined>;
  /** The monitoring report for a period (13.1): counts and rates only. */
  report(period: ReportPeriod): Promise<MonitoringReport>;
  /** Closes an alert with a manager's outcome; `warning-given` also records the 7.2.1 step. */
  recordAlertOutcome(alertId: string, input: AlertOutcomeInput, actor: string): Promise<AlertView>;
}

export interface CustomerMatch {
  customerId: string;
  name: string;
  postcode?: string;
  /** What matched the search: identities as screening keys them, or `name` / `reference` / `letter`. */
  matchedBy: Array<IdentityKind | 'name' | 'reference' | 'letter'>;
  /** How many of the customer's restrictions apply now. */
  restrictionsInForce: number;
}

export interface CustomerSearch {
  customers: CustomerMatch[];
  /** The screened contact whose reference was searched for, when there is one. */
  contact?: { reference: string };
  /** The letter whose reference was searched for, when there is one. */
  letter?: { id: string; reference: string };
}

export type ContactView = Pick<
  ContactRecord,
  | 'reference'
  | 'channel'
  | 'receivedAt'
  | 'route'
  | 'recipients'
  | 'reasons'
  | 'notes'
  | 'customerIds'
  | 'appliedRestrictionIds'
  | 'senderVerified'
> &
  Partial<
    Pick<
      ContactRecord,
      'copyTo' | 'topic' | 'counts' | 'problems' | 'acknowledgement' | 'processedAt' | 'signals'
    >
  > & {
    /** A contact staff recorded: their note of it (personal data, for staff only). */
    recorded?: CoreContactView['recorded'];
  };

/** A restriction on the Home page, with whose it is. */
export interface RestrictionAttention {
  restrictionId: string;
  customerId: string;
  customerName: string;
  type: RestrictionType;
  status: RestrictionStatus;
  startsAt: Instant;
  endsAt: Instant;
  reviewAt: Instant;
}

export interface Attention {
  /** Open frequency alerts. */
  newAlerts: AlertView[];
  /** 10.1: reviews due within 14 days and overdue. */
  reviewsDue: Array<RestrictionAttention & { stage: 'due-soon' | 'overdue' }>;
  /** Restrictions starting or ending in the next seven days. */
  startingThisWeek: RestrictionAttention[];
  endingThisWeek: RestrictionAttention[];
  /** Clashes with reasonable adjustments not yet acknowledged. */
  conflictsToAcknowledge: RestrictionAttention[];
  /** 8.1 and 12.1.4: customers not yet advised; overdue after 5 working days. */
  notYetAdvised: Array<RestrictionAttention & { workingDaysSinceImposed: number; overdue: boolean }>;
}

export type AlertStatus = 'open' | 'closed';

export interface AlertFilter {
  status?: AlertStatus | 'all';
  customerId?: string;
  limit?: number;
}

/** The outcomes a manager records, as the core names them (core/alert-outcomes.ts). */
export { alertOutcomeKinds as alertOutcomes } from '../../core/alert-outcomes';
export type AlertOutcome = AlertOutcomeKind;

export interface AlertOutcomeInput {
  outcome: AlertOutcome;
  /** How the customer was told (7.2.1), for contact and warnings. */
  how?: 'phone' | 'letter' | 'email' | 'in-person';
  by: string;
  note?: string;
}

export interface AlertView extends FrequencyAlertDetail {
  /** When the alert was raised. */
  raisedAt: Instant;
  status: AlertStatus;
  /** The register customer's name, when the alert is about one. */
  customerName?: string;
  outcome?: AlertOutcomeInput & { at: Instant; recordedBy: string };
}
