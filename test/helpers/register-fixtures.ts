import { renderLetterPdf } from '../../lambdas/adapters/pdf/letter-pdf';
import type { Customer } from '../../lambdas/core/customer';
import type { RegisterStore } from '../../lambdas/core/ports';
import {
  type Restriction,
  type RestrictionInput,
  restrictionInputSchema,
} from '../../lambdas/core/restriction';
import type { RegisterMatch } from '../../lambdas/core/screen';

export const serviceInbox = 'customer.services@council.example';

let counter = 0;

/** A customer as the register holds it (already normalised). */
export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  counter += 1;
  return {
    id: `cus_${counter}`,
    name: 'Alex Example',
    emails: ['alex.example@example.org'],
    phones: ['+447700900123'],
    postcode: 'AL100ZZ',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'test',
    ...overrides,
  };
}

type Fields<T extends Restriction['type']> = Omit<
  Extract<RestrictionInput, { type: T }>,
  'customerId' | 'reason' | 'decidedBy' | 'startsAt' | 'endsAt'
> &
  Partial<Pick<RestrictionInput, 'reason' | 'decidedBy' | 'startsAt' | 'endsAt' | 'customerId'>>;

/** A restriction as the register holds it, made through the same schema the admin API uses. */
export function aRestriction<T extends Restriction['type']>(
  fields: Fields<T> & { type: T },
  extra: Partial<Restriction> = {},
) {
  counter += 1;
  const parsed = restrictionInputSchema.parse({
    customerId: 'cus_1',
    reason: 'Repeated contact on a closed complaint (4.2.13)',
    decidedBy: 'Service Manager',
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '2026-12-31T23:59:59Z',
    ...fields,
  });
  return {
    ...parsed,
    id: `res_${String(counter).padStart(4, '0')}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'test',
    ...extra,
  } as Extract<Restriction, { type: T }>;
}

export function aMatch(
  customer: Customer,
  restrictions: Restriction[],
  matchedBy: RegisterMatch['matchedBy'] = ['email'],
): RegisterMatch {
  return { customer, matchedBy, restrictions: restrictions.map((r) => ({ ...r, customerId: customer.id })) };
}

/** The council as the letters of tests name it. */
export const testCouncil = {
  name: 'Example Borough Council',
  postalAddress: 'Customer Services, Council Offices, The Campus, Example Town, AL10 0ZZ',
  contactEmail: serviceInbox,
};

/** Register deps able to change restrictions: letters rendered by the real PDF adapter. */
export function changeDeps<T extends { store: RegisterStore }>(deps: T) {
  return { ...deps, letters: { pdf: renderLetterPdf }, council: testCouncil };
}

/**
 * For tests about something other than staged escalation (7.2): a restriction imposed without a
 * recorded warning needs a reason, and this is it.
 */
export const unwarned = {
  withoutWarningReason: 'Test fixture: escalation is not what this test is about (8.3).',
};
