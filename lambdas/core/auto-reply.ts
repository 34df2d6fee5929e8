import type { ParsedInboundMail } from './inbound-mail';

export interface AutoReplyCheck {
  allowed: boolean;
  /** Why no automatic reply may be sent (P8), for the record and the summary. */
  reason?: string;
}

/**
 * Whether an automatic reply may be sent to this message at all (P8, RFC 3834 section 2):
 * never to automatic mail, bounces (null sender), bulk or list mail, mail from the council's
 * own domains (a loop), or mail SES judged spam or infected.
 */
export function mayAutoReply(
  mail: Pick<ParsedInboundMail, 'autoSubmitted' | 'precedence' | 'isListMail' | 'isDeliveryReport'>,
  envelopeSender: string | undefined,
  options: { councilDomains: readonly string[]; spam?: boolean; virus?: boolean },
): AutoReplyCheck {
  if (!envelopeSender || envelopeSender === '<>' || envelopeSender.trim() === '') {
    return { allowed: false, reason: 'null envelope sender (a bounce or notification)' };
  }
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@/i.test(envelopeSender)) {
    return { allowed: false, reason: 'sent by an automatic mailbox' };
  }
  if (mail.autoSubmitted && mail.autoSubmitted !== 'no') {
    return { allowed: false, reason: `Auto-Submitted: ${mail.autoSubmitted}` };
  }
  if (mail.precedence && ['bulk', 'list', 'junk', 'auto_reply'].includes(mail.precedence)) {
    return { allowed: false, reason: `Precedence: ${mail.precedence}` };
  }
  if (mail.isListMail) return { allowed: false, reason: 'mailing-list mail' };
  if (mail.isDeliveryReport) return { allowed: false, reason: 'a delivery report' };
  const domain = envelopeSender.split('@').pop()?.toLowerCase().replace(/>$/, '') ?? '';
  if (options.councilDomains.some((own) => domain === own || domain.endsWith(`.${own}`))) {
    return { allowed: false, reason: "from the council's own domain" };
  }
  if (options.spam) return { allowed: false, reason: 'judged spam' };
  if (options.virus) return { allowed: false, reason: 'judged to carry a virus' };
  return { allowed: true };
}
