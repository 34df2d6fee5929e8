import type { EscalationStepKind } from '../escalation';

/**
 * The incidents staff record, as data (STYLE 9): one entry per kind, with the clauses it rests on,
 * how serious it is, and what follows from recording it. Every incident is a file note (5.4.2, 5.7)
 * and is brought to the service manager at once (5.2, 5.4.2, 5.7, 5.8); threats of harm are also a
 * safeguarding matter, raised as urgent (3.2.5, 3.3, 6.1). The system records and tells; people
 * decide what happens next (P2).
 */
export const incidentKinds = [
  'call-terminated',
  'meeting-ended',
  'abusive-correspondence',
  'threat-to-staff',
  'violence',
  'threat-of-self-harm',
] as const;
export type IncidentKind = (typeof incidentKinds)[number];

/** `serious`: the service manager is told at once; `urgent`: a threat of harm, also a safeguarding concern. */
export const incidentSeverities = ['serious', 'urgent'] as const;
export type IncidentSeverity = (typeof incidentSeverities)[number];

/** The channels a staff member records an incident from (DESIGN: "Channels"). */
export const incidentChannels = [
  'telephone',
  'in-person',
  'letter',
  'social-media',
  'email',
  'web-form',
] as const;
export type IncidentChannel = (typeof incidentChannels)[number];

/** The questions the form asks for a kind, each from the clause that needs the answer. */
export type IncidentQuestion =
  | 'warningGiven'
  | 'policeInformed'
  | 'emergencyServices'
  | 'staffProtectionReferral';

/** The categories a safeguarding concern carries (the same words as the content signals use). */
export type SafeguardingCategory = 'threat' | 'self-harm';

/** The letters written before a restriction, one for each step (core/step-letters). */
export type StepLetterKind = 'request-to-moderate' | 'procedures' | 'tone-unacceptable';

export interface IncidentKindRule {
  kind: IncidentKind;
  /** For staff: the console's label and the managers' email. */
  label: string;
  /** The clauses it rests on, in the order the policy gives them. */
  clauses: readonly string[];
  severity: IncidentSeverity;
  /** The channels it can come by; the first is the form's default. */
  channels: readonly IncidentChannel[];
  /** What the form asks about, with why (the clause). */
  questions: readonly IncidentQuestion[];
  /** Set when the incident raises SafeguardingConcernRaised (urgent), with its categories. */
  safeguarding?: readonly SafeguardingCategory[];
  /** The escalation step the console suggests next (7.2), never records by itself (P2). */
  suggestedStep: EscalationStepKind;
  /** The letter a manager may write from it, as a draft (5.9). */
  letter?: StepLetterKind;
  /** What the managers' email asks them to consider. */
  consider: string;
}

const protection = 'Consider whether it should be handled under the Staff Protection Policy (2.3, 5.2, 6.2).';

export const incidentRules: Readonly<Record<IncidentKind, IncidentKindRule>> = {
  // 5.3: a call may be ended when it becomes abusive; 5.4.1: first, wherever possible, a warning;
  // 5.4.2: a file record is kept and the service manager advised immediately.
  'call-terminated': {
    kind: 'call-terminated',
    label: 'Call terminated',
    clauses: ['5.3', '5.4.1', '5.4.2'],
    severity: 'serious',
    channels: ['telephone'],
    questions: ['warningGiven', 'staffProtectionReferral'],
    suggestedStep: 'warning-given',
    letter: 'request-to-moderate',
    consider: `Review the call and decide whether to ask the customer to moderate their behaviour (7.2.1). ${protection}`,
  },
  // 5.5–5.6: a meeting is ended when behaviour becomes aggressive, abusive or very distressed;
  // 5.7: a file note is made and the service manager told immediately.
  'meeting-ended': {
    kind: 'meeting-ended',
    label: 'Meeting ended',
    clauses: ['5.5', '5.6', '5.7'],
    severity: 'serious',
    channels: ['in-person'],
    questions: ['warningGiven', 'staffProtectionReferral'],
    suggestedStep: 'warning-given',
    letter: 'request-to-moderate',
    consider: `Review the meeting and decide whether to ask the customer to moderate their behaviour (7.2.1). ${protection}`,
  },
  // 5.8: abusive or threatening correspondence goes to the service manager; 5.9: who may write that
  // the tone is unacceptable.
  'abusive-correspondence': {
    kind: 'abusive-correspondence',
    label: 'Abusive or threatening correspondence',
    clauses: ['5.8', '5.9'],
    severity: 'serious',
    channels: ['email', 'letter', 'web-form', 'social-media'],
    questions: ['staffProtectionReferral'],
    suggestedStep: 'warning-given',
    letter: 'tone-unacceptable',
    consider: `Review the correspondence; you may write to say its tone is unacceptable (5.9). ${protection}`,
  },
  // 3.3: a threat of violence or harm is reported to the police and dealt with under the Staff
  // Protection Policy; 6.1: direct and credible threats are referred to the police immediately.
  'threat-to-staff': {
    kind: 'threat-to-staff',
    label: 'Threat to staff',
    clauses: ['3.3', '6.1', '6.2'],
    severity: 'urgent',
    channels: ['telephone', 'in-person', 'email', 'letter', 'web-form', 'social-media'],
    questions: ['policeInformed', 'emergencyServices', 'staffProtectionReferral'],
    safeguarding: ['threat'],
    suggestedStep: 'written-notice',
    letter: 'procedures',
    consider:
      'A threat of harm: make sure it has been reported to the police (3.3, 6.1) and is dealt with under the Staff Protection Policy (6.2).',
  },
  // 3.3, 6.1: actual violence is reported to the police, emergency services in extreme cases; 6.2.
  violence: {
    kind: 'violence',
    label: 'Violence',
    clauses: ['3.3', '6.1', '6.2'],
    severity: 'urgent',
    channels: ['in-person', 'telephone'],
    questions: ['policeInformed', 'emergencyServices', 'staffProtectionReferral'],
    safeguarding: ['threat'],
    suggestedStep: 'written-notice',
    letter: 'procedures',
    consider:
      'Violence: make sure it has been referred to the police (6.1), that anyone hurt has help, and that it is dealt with under the Staff Protection Policy (6.2).',
  },
  // 3.2.5: threatening to harm themselves or others; a safeguarding matter first.
  'threat-of-self-harm': {
    kind: 'threat-of-self-harm',
    label: 'Threat of self-harm',
    clauses: ['3.2.5'],
    severity: 'urgent',
    channels: ['telephone', 'in-person', 'email', 'letter', 'web-form', 'social-media'],
    questions: ['emergencyServices', 'staffProtectionReferral'],
    safeguarding: ['self-harm'],
    suggestedStep: 'concern-raised',
    consider:
      "A threat of self-harm (3.2.5): make sure the person's safety has been considered, emergency services called if needed, and the council's safeguarding procedure followed.",
  },
};

/** The questions' labels, with the clause that asks them. */
export const questionLabels: Readonly<Record<IncidentQuestion, { label: string; clause: string }>> = {
  warningGiven: { label: 'The customer was warned first that it would end', clause: '5.4.1' },
  policeInformed: { label: 'The police were told', clause: '3.3' },
  emergencyServices: { label: 'Emergency services were called', clause: '3.3' },
  staffProtectionReferral: { label: 'Referred under the Staff Protection Policy', clause: '6.2' },
};

export const ruleOf = (kind: IncidentKind): IncidentKindRule => incidentRules[kind];
