import { type ContactOutcome, notScreenedOutcome, type ScreenedContact } from './contact';
import {
  type AcknowledgementPlan,
  countOrReport,
  type DeliveryDeps,
  type DeliverySettings,
  forwardContact,
  oncePerContactAfter,
  planAutoReply,
  repeatUncheckedProblem,
  scoreContentOrReport,
  screenOrFailOpen,
} from './deliver';
import type { FormSubmission } from './form';
import { findCaseReferences } from './inbound';
import type { QueuedSubmission } from './ports';
import { readingAhead } from './read-ahead';
import { emailNotAcceptedNotice } from './templates';

export interface FormScreeningSettings extends DeliverySettings {
  caseReferencePattern: RegExp;
}

/** What screening a queued submission needs: the delivery adapters and the case reference pattern. */
export interface FormScreeningDeps extends DeliveryDeps {
  settings: FormScreeningSettings;
}

export type FormResult = {
  status: 'accepted' | 'duplicate';
  reference: string;
  route?: ContactOutcome['route'];
  /** Frequency alerts this submission raised (4.2.7): counted for monitoring, never shown to the sender (P4). */
  alertsRaised?: number;
};

/** The submission as the reader sees it below the summary: plain text, inert whatever it contains. */
export function renderSubmission(form: FormSubmission): string {
  const line = (label: string, value: string | undefined) => `${`${label}:`.padEnd(16)}${value ?? '—'}`;
  return [
    'The submission (web contact form)',
    '',
    line('Name', form.name),
    line('Email', form.emailAsTyped ?? form.email),
    line('Phone', form.phone),
    line('Postcode', form.postcode),
    line('Case reference', form.caseReference),
    line('Topic', form.topic),
    line('Subject', form.subject),
    '',
    'Message:',
    '',
    form.message,
    '',
  ].join('\n');
}

/** Probably software, not a person: delivered all the same (P1), but not screened or answered. */
function automatedOutcome(serviceInbox: string): ContactOutcome {
  return notScreenedOutcome('service', [serviceInbox], {
    code: 'probably-automated',
    text: 'Not screened: the submission looks automated; it goes to the service inbox.',
  });
}

/**
 * Screens and forwards one accepted contact-form submission (from the form's queue), exactly once
 * per reference (P6): a redelivered message, or a second submission the endpoint named the same,
 * is a 'duplicate'. A failure throws, so that the queue delivers the message again. Any notice
 * about a restriction goes by email to the customer's registered address only (P4).
 */
export async function screenFormSubmission(
  submission: QueuedSubmission,
  deps: FormScreeningDeps,
): Promise<FormResult> {
  const { settings } = deps;
  const { form, reference, sourceId, receivedAt } = submission;

  const automated = Boolean(form.website?.trim());
  const caseReferences = [
    ...(form.caseReference ? [form.caseReference.toUpperCase()] : []),
    ...findCaseReferences([form.subject, form.message], settings.caseReferencePattern),
  ];
  const senderIdentity = form.email ?? form.phone;
  // The sender's counts are read beside the identity lookup, a matched customer's beside their restrictions.
  const reading = readingAhead(deps, automated ? undefined : senderIdentity);
  // Screening only reads the register: it runs beside the claim.
  const screen = async () =>
    automated
      ? automatedOutcome(settings.serviceInbox)
      : screenOrFailOpen(
          {
            channel: 'web-form',
            emails: form.email ? [form.email] : [],
            phones: form.phone ? [form.phone] : [],
            name: form.name,
            postcode: form.postcode,
            // Anyone can type anyone's details into a web form: a match is never proof of identity.
            senderVerified: false,
            subject: form.subject,
            topic: form.topic,
            caseReferences,
          },
          reading,
        );

  const result = await oncePerContactAfter(reference, deps, screen, async (claimed, outcome) => {
    const problems: string[] = claimed ? [] : [repeatUncheckedProblem];
    if (automated) {
      problems.push(
        'Probably sent by software: the form’s hidden field was filled in. Treat it as likely spam.',
      );
    }
    // Counting, the 7.3.2 notice's allowance and scoring the words do not depend on each other: at once.
    // 3.1, 3.2.5, 3.3: the words typed in are scored; flags go to people, never change the route (P2).
    const [frequency, acknowledgement, content] = await Promise.all([
      automated
        ? undefined
        : countOrReport(
            {
              reference,
              receivedAt,
              channel: 'web-form',
              customerIds: outcome.customerIds,
              senderIdentity,
              caseReferences,
              formTopic: form.topic,
              subject: form.subject,
              text: form.message,
            },
            problems,
            reading,
          ),
      planFormAcknowledgement(outcome, reference, deps),
      scoreContentOrReport(form.subject, form.message, problems, deps),
    ]);
    const screened: ScreenedContact = {
      reference,
      channel: 'web-form',
      receivedAt,
      outcome,
      sender: {
        addresses: form.emailAsTyped ? [form.emailAsTyped] : [],
        verified: false,
        why: 'typed into the web form',
      },
      subject: form.subject,
      problems,
      acknowledgementSent: acknowledgement.summary,
      ...(frequency ? { frequency: frequency.lines } : {}),
      ...(content ? { content } : {}),
    };
    const { record } = await forwardContact(
      {
        screened,
        sourceId,
        ...(form.email ? { replyTo: form.email } : {}),
        appendix: renderSubmission(form),
        acknowledgement,
        frequency,
      },
      deps,
    );
    return {
      result: {
        status: 'accepted' as const,
        reference,
        route: outcome.route,
        alertsRaised: frequency?.alerts.length ?? 0,
      },
      record,
    };
  });
  return result === 'duplicate' ? { status: 'duplicate', reference } : result;
}

/**
 * The page itself acknowledges every submission, the same for everyone (P4). The only email a
 * submission can cause is the 7.3.2 notice, and that goes to the registered address.
 */
async function planFormAcknowledgement(
  outcome: ContactOutcome,
  reference: string,
  deps: FormScreeningDeps,
): Promise<AcknowledgementPlan> {
  const kind = outcome.acknowledgement;
  if (kind !== 'email-not-accepted') {
    return {
      summary: {
        kind,
        sent: false,
        why: kind === 'none' ? 'no reply is given' : 'the web page showed the sender their reference',
      },
    };
  }
  const to = outcome.restrictionNotice?.to;
  if (!to) return { summary: { kind, sent: false, why: 'no registered email address for the notice' } };
  const notice = emailNotAcceptedNotice(
    deps.settings.council,
    reference,
    outcome.restrictionNotice?.writeTo,
    'web-form',
  );
  return planAutoReply({ reference, ...notice }, to, kind, deps);
}
