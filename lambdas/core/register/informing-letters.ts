import type { Customer } from '../customer';
import { composeLetter, type LetterKind, letterText, renderLetterHtml } from '../letters';
import type { StoredLetter } from '../ports';
import type { Restriction } from '../restriction';
import type { Instant } from '../time';
import { auditOf } from './audit';
import { ids, type RegisterChangeDeps } from './context';

/** The informing letter (8.1), written and kept whenever a restriction is imposed, extended (10.1) or lifted. */

export async function writeLetter(
  kind: LetterKind,
  customer: Customer,
  restriction: Restriction,
  actor: string,
  now: Instant,
  deps: RegisterChangeDeps,
  before?: Restriction,
): Promise<StoredLetter> {
  const letterId = ids(deps)('let');
  const letter = composeLetter({
    kind,
    letterId,
    date: now,
    council: deps.council,
    customer: {
      name: customer.name,
      ...(customer.address ? { address: customer.address } : {}),
      ...(customer.postcode ? { postcode: customer.postcode } : {}),
    },
    restriction,
    ...(kind === 'restriction-extended' && before
      ? { previous: { endsAt: before.endsAt, reviewAt: before.reviewAt } }
      : {}),
    ...(kind === 'restriction-lifted' && restriction.liftedAt
      ? { lift: { at: restriction.liftedAt, reason: restriction.liftReason ?? '' } }
      : {}),
    signedBy: kind === 'restriction-lifted' ? (restriction.liftedBy ?? actor) : restriction.decidedBy,
  });
  return {
    id: letterId,
    reference: letter.reference,
    postable: hasPostalAddress(customer),
    customerId: customer.id,
    restrictionId: restriction.id,
    kind,
    subject: letter.subject,
    createdAt: now,
    createdBy: actor,
    html: renderLetterHtml(letter),
    text: letterText(letter),
    pdf: await deps.letters.pdf(letter),
  };
}

export const summaryOf = ({ html: _h, text: _t, pdf: _p, ...summary }: StoredLetter) => ({
  ...summary,
  links: letterLinks(summary.id),
});

/** 8.1 and P4: a letter is posted to the address the register holds; a postcode alone is not one. */
export const hasPostalAddress = (customer: Pick<Customer, 'address'>) => Boolean(customer.address?.trim());

/**
 * What a manager is told when the customer has no postal address: before the letter is made (the
 * console's check page), so they can add it first; and with the letter written (the admin API's
 * `warnings`), which is kept (12.1) but must reach the customer another way.
 */
export function noPostalAddressWarning(
  customer: Pick<Customer, 'id' | 'address'>,
  letter?: Pick<StoredLetter, 'reference' | 'restrictionId' | 'postable'>,
): string | undefined {
  if (letter ? letter.postable : hasPostalAddress(customer)) return undefined;
  const start = 'No postal address is recorded for this customer';
  return letter
    ? `${start}, so letter ${letter.reference} was written without one and cannot be posted: send it another way ` +
        '(by email where the restriction allows it, or by hand) and record how ' +
        `(POST /admin/restrictions/${letter.restrictionId}/advised); ` +
        `record the address (PATCH /admin/customers/${customer.id}) for the letters that follow`
    : `${start}, so the letter will be written without one and cannot be posted: record their address first ` +
        `(PATCH /admin/customers/${customer.id}), or send the letter another way (by email where the restriction ` +
        'allows it, or by hand)';
}

/** Where the admin API serves a letter. */
export const letterLinks = (letterId: string) => ({
  html: `/admin/letters/${letterId}?format=html`,
  pdf: `/admin/letters/${letterId}?format=pdf`,
});

export const letterAudit = (letter: StoredLetter, actor: string, at: Instant, newId: (p: 'aud') => string) =>
  auditOf(letter.customerId, 'letter-generated', letter.id, actor, at, newId, undefined, {
    kind: { to: letter.kind },
    restrictionId: { to: letter.restrictionId },
  });
