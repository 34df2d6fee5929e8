import { z } from 'zod';
import { normaliseReference } from './contact-view';
import type { Customer } from './customer';
import { identityKeysOf, normaliseEmail, normaliseName, normalisePhone, normalisePostcode } from './identity';
import type { ContactLog, RegisterStore } from './ports';
import { normaliseLetterReference } from './reference';
import { parseOrThrow } from './validation';

/**
 * Find a customer (the console's search box, GET /admin/customers/search): one query that may be a
 * name, an email, a phone number, a postcode, a contact reference or a letter's reference (the
 * "Our reference" a customer reads out from a letter, 8.1), normalised as screening does
 * (core/identity.ts), so staff find the person however it is spelt. The query is personal data:
 * it is never logged.
 */
export const searchReasons = ['reference', 'letter', 'email', 'phone', 'name', 'postcode'] as const;
export type SearchReason = (typeof searchReasons)[number];

export const customerSearchSchema = z.strictObject({
  q: z
    .string({ error: 'is required' })
    .trim()
    .min(2, { error: 'type at least two characters' })
    .max(200, { error: 'must be at most 200 characters' }),
});
export type CustomerSearchInput = z.infer<typeof customerSearchSchema>;

/** What a query was read as, normalised. Several readings may hold at once (a name and a postcode). */
export interface SearchTerms {
  reference?: string;
  /** A letter's "Our reference" (`LT-7K3F-9Q2M`). */
  letterReference?: string;
  email?: string;
  phone?: string;
  /** A full postcode (`AL100ZZ`) … */
  postcode?: string;
  /** … or its outward part alone (`AL10`). */
  outwardCode?: string;
  /** Normalised name words (`zoe`, `obrien`); each matches the start of a word of the name. */
  nameWords: string[];
}

export interface CustomerMatch {
  customer: Customer;
  /** Why it matched, strongest first. */
  matchedBy: SearchReason[];
  /** The contact whose reference was searched for, when that is how it matched. */
  reference?: string;
  /** The letter whose reference was searched for, when that is how it matched. */
  letter?: { id: string; reference: string };
}

export interface CustomerSearchDeps {
  store: Pick<RegisterStore, 'findCustomersByIdentities' | 'loadCustomer' | 'listCustomers' | 'loadLetter'>;
  contacts: Pick<ContactLog, 'loadContactRecords'>;
}

/** More than this is not a search result a person reads; they narrow the query instead. */
export const maxMatches = 50;

const outwardShape = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
const phoneShape = /^\+?[\d\s().-]+$/;
/** The inward part of a postcode is always three characters (`0ZZ`). */
const outwardOf = (postcode: string) => postcode.slice(0, -3);

/** Reads a query as the kinds of identity it can be. Pure. */
export function readQuery(q: string): SearchTerms {
  const raw = q.normalize('NFKC').trim();
  const reference = normaliseReference(raw);
  if (reference) return { reference, nameWords: [] };
  const letterReference = normaliseLetterReference(raw);
  if (letterReference) return { letterReference, nameWords: [] };
  if (raw.includes('@')) {
    const email = normaliseEmail(raw);
    return email ? { email, nameWords: [] } : { nameWords: [] };
  }
  const dialled = raw.replace(/^tel:/i, '');
  if (phoneShape.test(dialled) && dialled.replace(/\D/g, '').length >= 6) {
    const phone = normalisePhone(dialled);
    return phone ? { phone, nameWords: [] } : { nameWords: [] };
  }
  const whole = normalisePostcode(raw);
  if (whole) return { postcode: whole, nameWords: [] };
  const compact = raw.toUpperCase().replace(/\s+/g, '');
  if (outwardShape.test(compact)) return { outwardCode: compact, nameWords: [] };
  // "Pat Person AL10 0ZZ": a name followed by a postcode (written with or without its space).
  const words = raw.split(/\s+/);
  for (const take of [2, 1]) {
    if (words.length <= take) continue;
    const postcode = normalisePostcode(words.slice(-take).join(''));
    if (postcode) return { postcode, nameWords: nameWordsOf(words.slice(0, -take).join(' ')) };
  }
  return { nameWords: nameWordsOf(raw) };
}

const nameWordsOf = (text: string) => normaliseName(text)?.split(' ') ?? [];

/** Why a customer matches the name and postcode parts of a query, or undefined if they do not. Pure. */
export function nameAndPostcodeMatch(customer: Customer, terms: SearchTerms): SearchReason[] | undefined {
  const reasons: SearchReason[] = [];
  if (terms.nameWords.length > 0) {
    const words = nameWordsOf(customer.name);
    if (!terms.nameWords.every((wanted) => words.some((word) => word.startsWith(wanted)))) return undefined;
    reasons.push('name');
  }
  if (terms.postcode || terms.outwardCode) {
    const held = customer.postcode;
    const matches = terms.postcode
      ? held === terms.postcode
      : held !== undefined && outwardOf(held) === terms.outwardCode;
    if (!matches) return undefined;
    reasons.push('postcode');
  }
  return reasons.length > 0 ? reasons : undefined;
}

const strength: Record<SearchReason, number> = {
  reference: 0,
  letter: 0,
  email: 1,
  phone: 2,
  name: 3,
  postcode: 4,
};

/** Strongest evidence first, then by name. Pure. */
export function rankMatches(matches: readonly CustomerMatch[]): CustomerMatch[] {
  const best = (match: CustomerMatch) => Math.min(...match.matchedBy.map((reason) => strength[reason]));
  return [...matches].sort(
    (a, b) =>
      best(a) - best(b) ||
      b.matchedBy.length - a.matchedBy.length ||
      a.customer.name.localeCompare(b.customer.name) ||
      a.customer.id.localeCompare(b.customer.id),
  );
}

/** Customers holding the query's email or phone, by the identity index; confirmed on the profile itself. */
async function byIdentity(terms: SearchTerms, deps: CustomerSearchDeps): Promise<CustomerMatch[]> {
  const claims = terms.email ? { emails: [terms.email] } : { phones: [terms.phone ?? ''] };
  const found = await deps.store.findCustomersByIdentities(identityKeysOf(claims));
  const records = await Promise.all([...found.keys()].map((id) => deps.store.loadCustomer(id)));
  return records.flatMap((record): CustomerMatch[] => {
    if (!record) return [];
    const { customer } = record;
    // An index entry left behind by an interrupted change must not name someone who no longer holds it.
    if (terms.email && customer.emails.includes(terms.email)) return [{ customer, matchedBy: ['email'] }];
    if (terms.phone && customer.phones.includes(terms.phone)) return [{ customer, matchedBy: ['phone'] }];
    return [];
  });
}

/** The customers of a contact, found by its reference. */
async function byReference(reference: string, deps: CustomerSearchDeps): Promise<CustomerMatch[]> {
  const [record] = await deps.contacts.loadContactRecords([reference]);
  const ids = Array.isArray(record?.customerIds) ? (record.customerIds as string[]) : [];
  const records = await Promise.all([...new Set(ids)].map((id) => deps.store.loadCustomer(id)));
  return records.flatMap((found) =>
    found ? [{ customer: found.customer, matchedBy: ['reference' as const], reference }] : [],
  );
}

/** The customer a letter was written to, found by the letter's reference (one pointer read, one item). */
async function byLetter(letterReference: string, deps: CustomerSearchDeps): Promise<CustomerMatch[]> {
  const letter = await deps.store.loadLetter(letterReference);
  const record = letter && (await deps.store.loadCustomer(letter.customerId));
  return record
    ? [
        {
          customer: record.customer,
          matchedBy: ['letter'],
          letter: { id: letter.id, reference: letter.reference },
        },
      ]
    : [];
}

/**
 * Finds customers by one query. An email or phone goes to the identity index (one request, then one
 * read per customer found); a contact reference to the contact's record and its customers; a name
 * or postcode is matched over the list of customers (one query: a council registers hundreds, not
 * millions). Answers what the query was read as and the matches, strongest first, at most 50.
 */
export async function findCustomers(
  q: string,
  deps: CustomerSearchDeps,
): Promise<{ terms: SearchTerms; matches: CustomerMatch[]; more: boolean }> {
  const input = parseOrThrow(customerSearchSchema, { q });
  const terms = readQuery(input.q);
  let matches: CustomerMatch[] = [];
  if (terms.reference) matches = await byReference(terms.reference, deps);
  else if (terms.letterReference) matches = await byLetter(terms.letterReference, deps);
  else if (terms.email || terms.phone) matches = await byIdentity(terms, deps);
  else if (terms.nameWords.length > 0 || terms.postcode || terms.outwardCode) {
    matches = (await deps.store.listCustomers()).flatMap((customer) => {
      const matchedBy = nameAndPostcodeMatch(customer, terms);
      return matchedBy ? [{ customer, matchedBy }] : [];
    });
  }
  const ranked = rankMatches(matches);
  return { terms, matches: ranked.slice(0, maxMatches), more: ranked.length > maxMatches };
}
