import type { ContentConcernDetail } from '../events';
import { formatForPeople } from '../time';
import type { ManagerMessage } from './messages';
import type { ConcernEvent } from './notify-events';

/**
 * The managers' email for AbusiveContentFlagged (5.8: a service manager reviews abusive
 * correspondence) and SafeguardingConcernRaised (urgent: 3.2.5 self-harm, 3.3 and 6.1 threats),
 * with the council's safeguarding steps (SAFEGUARDING_GUIDANCE). Ids, categories and confidence
 * only: the words are in the forward, in the mailbox the contact went to, never here (P7).
 */

const categoryWords: Record<string, string> = {
  threat: 'threat of harm (3.2.3, 3.3, 6.1)',
  'self-harm': 'risk of self-harm (3.2.5)',
  intimidation: 'intimidation (3.2.8)',
  offensive: 'offensive language (3.1, 3.2.1–3.2.4)',
};

const channelWords: Record<string, string> = {
  email: 'email',
  'web-form': 'the web form',
  telephone: 'telephone',
  'in-person': 'in person',
  letter: 'letter',
  'social-media': 'social media',
};

function aboutLines(detail: ContentConcernDetail): string[] {
  const what = detail.reference
    ? `Contact ${detail.reference}${detail.channel ? ` (by ${channelWords[detail.channel] ?? detail.channel}` : ''}${
        detail.receivedAt
          ? `${detail.channel ? ', ' : ' ('}received ${formatForPeople(detail.receivedAt)})`
          : detail.channel
            ? ')'
            : ''
      }`
    : `Incident ${detail.incidentId}`;
  const categories = detail.categories.map((category) => {
    const confidence = detail.confidence?.[category];
    return `  - ${categoryWords[category] ?? category}${confidence === undefined ? '' : `, confidence ${confidence.toFixed(2)}`}`;
  });
  const customers = detail.customerIds?.length
    ? detail.customerIds
    : detail.customerId
      ? [detail.customerId]
      : [];
  return [
    `${what}.`,
    detail.source === 'content-signal'
      ? 'Its words were flagged by the content check, for a person to judge:'
      : 'Recorded by staff as:',
    ...categories,
    `  Customers: ${customers.join(', ') || 'none in the register'}`,
    ...(detail.detectorVersion ? [`  Detector:  ${detail.detectorVersion}`] : []),
  ];
}

/** The notice for a content concern; `fallbackGuidance` when the event carries no steps of its own. */
export function concernMessage(event: ConcernEvent, fallbackGuidance?: string): ManagerMessage {
  const { detail } = event;
  const about = detail.reference ?? detail.incidentId ?? event.id;
  const seeIt = detail.reference
    ? 'The contact is in the mailbox it was routed to, with the flags and the words that raised them at the top; the staff console shows it by its reference.'
    : `The incident's file note is in the staff console: /staff/incidents/${encodeURIComponent(detail.incidentId ?? '')}`;
  if (event['detail-type'] === 'SafeguardingConcernRaised') {
    const guidance = detail.guidance ?? fallbackGuidance;
    return {
      subject: `URGENT — safeguarding concern: ${about}`,
      text: [
        `URGENT: a safeguarding concern was raised at ${formatForPeople(event.time)} (event ${event.id}).`,
        '',
        ...aboutLines(detail),
        '',
        'What to do now (the council’s safeguarding steps)',
        guidance ?? 'Follow the council’s safeguarding procedure now.',
        '',
        seeIt,
        'A threat of harm is for the police (3.3); a risk of self-harm is a safeguarding matter (3.2.5).',
        'Nobody has been restricted or warned: any such step is a person’s decision (P2).',
      ].join('\n'),
    };
  }
  return {
    subject: `Abusive content flagged: ${about}`,
    text: [
      `Abusive content was flagged at ${formatForPeople(event.time)} (event ${event.id}).`,
      '',
      ...aboutLines(detail),
      '',
      seeIt,
      'A service manager reviews abusive correspondence (5.8) and decides what, if anything, follows',
      '(a warning, a letter under 5.9, or steps under 7.2). The sender got only the normal acknowledgement.',
    ].join('\n'),
  };
}
