import { describe, expect, it } from 'vitest';
import { deliveringMailboxes, parseMailboxMap } from '../../lambdas/core/mailboxes';
import { screenContact } from '../../lambdas/core/screen';
import { aCustomer, aMatch, aRestriction, serviceInbox } from '../helpers/register-fixtures';

const mailboxes = parseMailboxMap(
  'planning@council.example=planning.team@council.example, Building.Control@council.example=planning.team@council.example,housing@council.example=housing.team@council.example',
);
const settings = { mailboxes, councilDomains: ['council.example'], serviceInbox };
const now = '2026-06-01T10:00:00.000Z';

describe('MAILBOXES: the mailbox of the address mail was sent to', () => {
  it('reads address=delivery-address pairs, and names the entry it cannot read', () => {
    expect(mailboxes.get('planning@council.example')).toBe('planning.team@council.example');
    expect(mailboxes.get('building.control@council.example')).toBe('planning.team@council.example');
    expect(parseMailboxMap(undefined).size).toBe(0);
    expect(() => parseMailboxMap('planning@council.example')).toThrow(/"planning@council.example" is not/);
    expect(() => parseMailboxMap('a@council.example=b@council.example=c@x.example')).toThrow(/is not/);
    expect(() => parseMailboxMap('a@council.example=b@x.example,A@council.example=c@x.example')).toThrow(
      /given twice/,
    );
  });

  it('delivers to each mailbox once, the service inbox for unnamed council addresses, nothing for outside ones', () => {
    expect(deliveringMailboxes(['planning@council.example'], settings)).toEqual([
      'planning.team@council.example',
    ]);
    // Two public addresses of one team, and one of another: each mailbox once, in order.
    expect(
      deliveringMailboxes(
        ['Planning@Council.example', 'building.control@council.example', 'housing@council.example'],
        settings,
      ),
    ).toEqual(['planning.team@council.example', 'housing.team@council.example']);
    expect(deliveringMailboxes(['parks@council.example'], settings)).toEqual([serviceInbox]);
    expect(deliveringMailboxes(['planning@council.example', 'friend@example.org'], settings)).toEqual([
      'planning.team@council.example',
    ]);
    expect(deliveringMailboxes([], settings)).toEqual([serviceInbox]);
    expect(deliveringMailboxes(undefined, { serviceInbox })).toEqual([serviceInbox]);
  });

  it('routes unrestricted mail to the addressed mailbox, and a restricted customer by their restriction whichever address they used', () => {
    const unknown = screenContact(
      { channel: 'email', emails: ['someone@example.org'], sentTo: ['planning@council.example'] },
      { matches: [] },
      now,
      settings,
    );
    expect(unknown).toMatchObject({ route: 'service', recipients: ['planning.team@council.example'] });
    expect(unknown.reasons.map((r) => r.code)).toContain('addressed-mailbox');

    const restricted = screenContact(
      { channel: 'email', emails: ['alex.example@example.org'], sentTo: ['planning@council.example'] },
      {
        matches: [
          aMatch(aCustomer({ id: 'cus_A' }), [
            aRestriction({ type: 'single-named-officer', namedOfficer: 'officer@council.example' }),
          ]),
        ],
      },
      now,
      settings,
    );
    expect(restricted).toMatchObject({ route: 'named-officer', recipients: ['officer@council.example'] });
  });
});
