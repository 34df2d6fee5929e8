import { describe, expect, it } from 'vitest';
import { contactReferenceSchema, normaliseReference } from '../../lambdas/core/contact-view';
import {
  type CustomerSearchDeps,
  findCustomers,
  nameAndPostcodeMatch,
  readQuery,
} from '../../lambdas/core/customer-search';
import type { CustomerRecord, StoredLetter } from '../../lambdas/core/ports';
import { contactReference, letterReference } from '../../lambdas/core/reference';
import { ValidationError } from '../../lambdas/core/validation';
import { aCustomer } from '../helpers/register-fixtures';

describe('normaliseReference: a reference however it is read out or typed', () => {
  const reference = contactReference('email', 'ses-message-1');

  it('reads spaces, case, missing dashes and look-alike letters as the same reference', () => {
    const compact = reference.replaceAll('-', '');
    expect(normaliseReference(reference)).toBe(reference);
    expect(normaliseReference(compact.toLowerCase())).toBe(reference);
    expect(normaliseReference(` ${reference.slice(0, 7)} ${reference.slice(8)} `)).toBe(reference);
    expect(normaliseReference('CS-0O1I-L000-00')).toBe('CS-0011-1000-00');
  });

  it('refuses what is not shaped like a reference, naming the field', () => {
    expect(normaliseReference('CS-123')).toBeUndefined();
    expect(normaliseReference('Pat Person')).toBeUndefined();
    expect(normaliseReference('CS-UUUU-UUUU-UU')).toBeUndefined(); // U is not in the alphabet
    expect(contactReferenceSchema.safeParse({ reference: 'nope' }).error?.issues[0]?.path).toEqual([
      'reference',
    ]);
  });
});

describe('readQuery: one search box, read as screening reads identities', () => {
  it('an email, however it is written', () => {
    expect(readQuery('"Pat" <Pat.Person+Council@Example.ORG>')).toEqual({
      email: 'pat.person@example.org',
      nameWords: [],
    });
  });

  it('a phone number in UK or international form', () => {
    for (const written of ['07700 900123', '+44 7700 900123', '(07700) 900-123', 'tel:+447700900123']) {
      expect(readQuery(written)).toEqual({ phone: '+447700900123', nameWords: [] });
    }
  });

  it('a postcode, whole or its outward part', () => {
    expect(readQuery('al10 0zz')).toEqual({ postcode: 'AL100ZZ', nameWords: [] });
    expect(readQuery('AL10')).toEqual({ outwardCode: 'AL10', nameWords: [] });
  });

  it('a name, or a name followed by a postcode', () => {
    expect(readQuery("Dr Zoë O'Brien")).toEqual({ nameWords: ['zoe', 'obrien'] });
    expect(readQuery('Pat Person AL10 0ZZ')).toEqual({ postcode: 'AL100ZZ', nameWords: ['pat', 'person'] });
    expect(readQuery('Pat Person al100zz')).toEqual({ postcode: 'AL100ZZ', nameWords: ['pat', 'person'] });
  });

  it('a contact reference before anything else', () => {
    const reference = contactReference('web-form', 'key-1');
    expect(readQuery(reference.toLowerCase())).toEqual({ reference, nameWords: [] });
  });
});

describe('nameAndPostcodeMatch', () => {
  const customer = aCustomer({ name: 'Patricia Person-Smith', postcode: 'AL100ZZ' });

  it('matches each word of the query to the start of a word of the name, in any order', () => {
    expect(nameAndPostcodeMatch(customer, readQuery('smith pat'))).toEqual(['name']);
    expect(nameAndPostcodeMatch(customer, readQuery('Mrs P. Person'))).toEqual(['name']);
    expect(nameAndPostcodeMatch(customer, readQuery('Pat Jones'))).toBeUndefined();
  });

  it('matches the postcode whole or by its outward part, never a longer outward code by prefix', () => {
    expect(nameAndPostcodeMatch(customer, readQuery('AL10 0ZZ'))).toEqual(['postcode']);
    expect(nameAndPostcodeMatch(customer, readQuery('al10'))).toEqual(['postcode']);
    expect(nameAndPostcodeMatch(customer, readQuery('AL1'))).toBeUndefined();
    expect(nameAndPostcodeMatch(aCustomer({ postcode: 'AL11AA' }), readQuery('AL1'))).toEqual(['postcode']);
  });

  it('needs both when the query has a name and a postcode', () => {
    expect(nameAndPostcodeMatch(customer, readQuery('Pat Person AL10 0ZZ'))).toEqual(['name', 'postcode']);
    expect(nameAndPostcodeMatch(customer, readQuery('Pat Person SW1A 1AA'))).toBeUndefined();
  });
});

/** A register of customers in memory, with its identity index as screening builds it. */
function fakeRegister(
  customers: ReturnType<typeof aCustomer>[],
  contacts: Record<string, string[]> = {},
  letters: Pick<StoredLetter, 'id' | 'reference' | 'customerId'>[] = [],
) {
  const deps: CustomerSearchDeps = {
    store: {
      async findCustomersByIdentities(keys) {
        const found = new Map();
        for (const customer of customers) {
          const kinds = keys
            .filter((key) =>
              key.kind === 'email'
                ? customer.emails.includes(key.value)
                : customer.phones.includes(key.value),
            )
            .map((key) => key.kind);
          if (kinds.length > 0) found.set(customer.id, kinds);
        }
        return found;
      },
      async loadCustomer(id) {
        const customer = customers.find((c) => c.id === id);
        return customer && ({ customer, restrictions: [], steps: [] } satisfies CustomerRecord);
      },
      async listCustomers() {
        return customers;
      },
      async loadLetter(idOrReference) {
        const letter = letters.find((l) => l.id === idOrReference || l.reference === idOrReference);
        return letter && ({ ...letter } as StoredLetter);
      },
    },
    contacts: {
      async loadContactRecords(references) {
        return references.flatMap((reference) =>
          contacts[reference] ? [{ reference, customerIds: contacts[reference] }] : [],
        );
      },
    },
  };
  return deps;
}

describe('findCustomers', () => {
  const pat = aCustomer({ name: 'Pat Person', emails: ['pat@example.org'], phones: ['+447700900001'] });
  const patricia = aCustomer({ name: 'Patricia Jones', emails: [], phones: [], postcode: 'SW1A1AA' });
  const sam = aCustomer({ name: 'Sam Person', emails: ['sam@example.org'], phones: [] });
  const reference = contactReference('email', 'ses-2');
  const letter = { id: 'ltr_01JLETTERTOPATRICIA0000000', customerId: patricia.id } as const;
  const letterRef = letterReference(letter.id);
  const deps = fakeRegister([pat, patricia, sam], { [reference]: [sam.id] }, [
    { ...letter, reference: letterRef },
  ]);

  it('finds by email or phone through the identity index, saying why', async () => {
    const byEmail = await findCustomers('PAT+x@Example.org', deps);
    expect(byEmail.matches).toEqual([{ customer: pat, matchedBy: ['email'] }]);
    const byPhone = await findCustomers('07700 900001', deps);
    expect(byPhone.matches.map((m) => [m.customer.id, m.matchedBy])).toEqual([[pat.id, ['phone']]]);
  });

  it('finds the customers of a contact by its reference', async () => {
    const found = await findCustomers(reference.replaceAll('-', ' ').toLowerCase(), deps);
    expect(found.matches).toEqual([{ customer: sam, matchedBy: ['reference'], reference }]);
  });

  it("finds the customer a letter was written to by the letter's reference, however it is read out", async () => {
    const spoken = letterRef.replaceAll('-', ' ').toLowerCase().replaceAll('0', 'o');
    const found = await findCustomers(spoken, deps);
    expect(found.terms.letterReference).toBe(letterRef);
    expect(found.matches).toEqual([
      { customer: patricia, matchedBy: ['letter'], letter: { id: letter.id, reference: letterRef } },
    ]);
    // A well-formed reference of no letter finds nobody, rather than being read as a name.
    expect((await findCustomers(letterReference('ltr_other'), deps)).matches).toEqual([]);
  });

  it('finds by name words, ordered by name, and by postcode', async () => {
    expect((await findCustomers('pat', deps)).matches.map((m) => m.customer.name)).toEqual([
      'Pat Person',
      'Patricia Jones',
    ]);
    expect((await findCustomers('person', deps)).matches.map((m) => m.customer.name)).toEqual([
      'Pat Person',
      'Sam Person',
    ]);
    expect((await findCustomers('sw1a 1aa', deps)).matches).toEqual([
      { customer: patricia, matchedBy: ['postcode'] },
    ]);
  });

  it('answers nothing rather than everyone when nothing matches', async () => {
    expect((await findCustomers('nobody@example.org', deps)).matches).toEqual([]);
    expect((await findCustomers('Quentin', deps)).matches).toEqual([]);
  });

  it('refuses an empty or one-letter query, naming the field q', async () => {
    await expect(findCustomers(' p ', deps)).rejects.toSatisfy(
      (error) => error instanceof ValidationError && error.problems[0]?.field === 'q',
    );
  });
});
