import { describe, expect, it } from 'vitest';
import { mayAutoReply } from '../../lambdas/core/auto-reply';
import { renderSummary, senderVerification, unscreenedOutcome } from '../../lambdas/core/contact';
import { contactReference } from '../../lambdas/core/reference';
import { screenContact } from '../../lambdas/core/screen';
import { aCustomer, aMatch, aRestriction, serviceInbox } from '../helpers/register-fixtures';

describe('contactReference', () => {
  it('is the same for the same contact and different for another (P6)', () => {
    const a = contactReference('email', 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1');
    expect(a).toMatch(/^CS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
    expect(contactReference('email', 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1')).toBe(a);
    expect(contactReference('email', 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g2')).not.toBe(a);
    expect(contactReference('web-form', 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1')).not.toBe(a);
  });
});

describe('senderVerification', () => {
  it.each([
    [{ spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' }, true],
    [{ spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' }, true],
    [{ spf: 'FAIL', dkim: 'PASS', dmarc: 'PASS' }, true],
    [{ spf: 'FAIL', dkim: 'FAIL', dmarc: 'GRAY' }, false],
    [{ spf: 'PASS', dkim: 'PASS', dmarc: 'FAIL' }, false],
    // No DMARC verdict in the event (or one we do not know): screened, but not verified.
    [{ spf: 'PASS', dkim: 'PASS', dmarc: 'UNKNOWN' }, false],
    [{ spf: 'UNKNOWN', dkim: 'PASS', dmarc: 'GRAY' }, false],
  ] as const)('%j → verified %s', (verdicts, verified) => {
    expect(senderVerification(verdicts).verified).toBe(verified);
  });
});

describe('mayAutoReply (P8, RFC 3834)', () => {
  const plain = { isListMail: false };
  const options = { councilDomains: ['council.example'] };
  it('allows a reply to an ordinary message', () => {
    expect(mayAutoReply(plain, 'alex@example.org', options)).toEqual({ allowed: true });
  });
  it.each([
    [plain, '', /null envelope sender/],
    [plain, '<>', /null envelope sender/],
    [plain, 'MAILER-DAEMON@example.org', /automatic mailbox/],
    [{ ...plain, autoSubmitted: 'auto-replied' }, 'alex@example.org', /Auto-Submitted/],
    [{ ...plain, precedence: 'bulk' }, 'alex@example.org', /Precedence: bulk/],
    [{ ...plain, precedence: 'list' }, 'alex@example.org', /Precedence: list/],
    [{ isListMail: true }, 'alex@example.org', /mailing-list/],
    [plain, 'someone@council.example', /own domain/],
    [plain, 'someone@housing.council.example', /own domain/],
  ])('refuses %j from %j', (mail, sender, why) => {
    const check = mayAutoReply(mail, sender, options);
    expect(check.allowed).toBe(false);
    expect(check.reason).toMatch(why);
  });
  it('allows Auto-Submitted: no, and refuses spam or viruses', () => {
    expect(mayAutoReply({ ...plain, autoSubmitted: 'no' }, 'a@example.org', options).allowed).toBe(true);
    expect(mayAutoReply(plain, 'a@example.org', { ...options, spam: true }).allowed).toBe(false);
    expect(mayAutoReply(plain, 'a@example.org', { ...options, virus: true }).allowed).toBe(false);
  });
});

describe('renderSummary (P3)', () => {
  const decision = screenContact(
    { channel: 'email', emails: ['alex.example@example.org'], subject: 'Bins' },
    {
      matches: [
        aMatch(aCustomer({ id: 'cus_A' }), [
          aRestriction({ type: 'single-named-officer', namedOfficer: 'officer@council.example' }),
          aRestriction({ type: 'witness-required' }),
        ]),
      ],
    },
    '2026-06-01T10:00:00.000Z',
    { serviceInbox },
  );
  const contact = {
    reference: 'CS-AAAA-BBBB-CC',
    channel: 'email' as const,
    receivedAt: '2026-06-01T10:00:00.000Z',
    outcome: decision,
    sender: { addresses: ['alex.example@example.org'], verified: true },
    problems: [],
    acknowledgementSent: { kind: 'standard' as const, sent: true },
    original: { sizeBytes: 1234, attached: true },
  };

  it('states reference, route, reasons with clauses, and notes for the reader', () => {
    const text = renderSummary(contact);
    expect(text).toMatch(/^Contact screening — CS-AAAA-BBBB-CC\n/);
    expect(text).toContain('Route:     named officer → officer@council.example');
    expect(text).toContain('Received:  Mon, 1 Jun 2026, 11:00 BST by email');
    expect(text).toMatch(/- \[7\.3\.4\] This customer deals with one named officer only/);
    expect(text).toMatch(
      /For the reader[^\n]*\n- \[7\.3\.6\] Meetings and personal contact need a witness present/,
    );
    expect(text).toContain('The original message is attached unchanged.');
    expect(text).not.toContain('WARNING');
  });

  it('warns when the sender is not verified, and says where an unattached original is kept', () => {
    const text = renderSummary({
      ...contact,
      sender: { addresses: ['alex.example@example.org'], verified: false, why: 'DMARC failed' },
      original: {
        sizeBytes: 40e6,
        attached: false,
        why: 'too large to attach: 40.0 MB',
        keptAt: 's3://bucket/key',
      },
    });
    expect(text).toMatch(/WARNING: the sender's address is not verified \(DMARC failed\)/);
    expect(text).toContain('not attached (too large to attach: 40.0 MB); it is kept at s3://bucket/key');
  });

  it('marks an unscreened contact and says why (P1)', () => {
    const text = renderSummary({
      ...contact,
      outcome: unscreenedOutcome(serviceInbox, 'the register could not be reached'),
      acknowledgementSent: { kind: 'none', sent: false, why: 'not screened' },
    });
    expect(text).toContain(`Route:     UNSCREENED (service inbox) → ${serviceInbox}`);
    expect(text).toMatch(/\[9\.1\] Not screened: the register could not be reached/);
    expect(text).toContain('Acknowledgement: none sent (not screened).');
  });
});
