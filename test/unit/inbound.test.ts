import { describe, expect, it } from 'vitest';
import type { ContactRecord, MailVerdicts } from '../../lambdas/core/contact';
import { defaultThresholds } from '../../lambdas/core/frequency';
import {
  ContactBusyError,
  findCaseReferences,
  type InboundDeps,
  processInboundMail,
} from '../../lambdas/core/inbound';
import { MailParseError, type ParsedInboundMail } from '../../lambdas/core/inbound-mail';
import type {
  ClaimResult,
  ContactLedger,
  Mailer,
  OutboundForward,
  OutboundNotice,
} from '../../lambdas/core/ports';
import type { ScreeningRegister } from '../../lambdas/core/register';
import type { Restriction } from '../../lambdas/core/restriction';
import {
  frequencyPorts,
  MemoryEventPublisher,
  MemoryFrequencyStore,
} from '../helpers/memory-frequency-store';
import { aCustomer, aRestriction, serviceInbox } from '../helpers/register-fixtures';

const pass: MailVerdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };
const event = (overrides: Partial<Parameters<typeof processInboundMail>[0]> = {}) => ({
  messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
  receivedAt: '2026-06-01T10:00:00.000Z',
  envelopeSender: 'alex.example@example.org',
  verdicts: pass,
  ...overrides,
});
const parsed = (overrides: Partial<ParsedInboundMail> = {}): ParsedInboundMail => ({
  from: ['alex.example@example.org'],
  fromNames: ['Alex Example'],
  replyTo: [],
  to: ['customer.services@council.example'],
  cc: [],
  subject: 'About my bins',
  text: 'Hello',
  textTruncated: false,
  attachments: [],
  isListMail: false,
  sizeBytes: 1200,
  problems: [],
  messageIdHeader: '<m1@example.org>',
  ...overrides,
});

/** In-memory fakes of the ports: the core's unit tests only (adapters are tested against emulators). */
function fakes(
  options: {
    mail?: ParsedInboundMail | Error;
    restrictions?: Restriction[];
    registerDown?: boolean;
    sendFails?: boolean;
  } = {},
) {
  const customer = aCustomer({ id: 'cus_A', emails: ['alex.example@example.org'] });
  const forwards: OutboundForward[] = [];
  const notices: OutboundNotice[] = [];
  const records: ContactRecord[] = [];
  const claims = new Map<string, 'processing' | 'done'>();
  const allowances = new Set<string>();
  const register: ScreeningRegister = {
    findCustomersByIdentities: async (keys) => {
      if (options.registerDown) throw new Error('connect ECONNREFUSED');
      return keys.some((k) => k.value === 'alex.example@example.org')
        ? new Map([['cus_A', ['email']]])
        : new Map();
    },
    loadCustomer: async () => ({
      customer,
      restrictions: (options.restrictions ?? []).map((r) => ({ ...r, customerId: 'cus_A' })),
      steps: [],
    }),
  };
  const mailer: Mailer = {
    forward: async (message) => {
      if (options.sendFails) throw new Error('Throttling');
      forwards.push(message);
      return 'ses-1';
    },
    notify: async (message) => {
      notices.push(message);
      return 'ses-2';
    },
  };
  const ledger: ContactLedger = {
    claim: async (reference): Promise<ClaimResult> => {
      const state = claims.get(reference);
      if (state === 'done') return 'already-done';
      if (state === 'processing') return 'in-progress';
      claims.set(reference, 'processing');
      return 'claimed';
    },
    release: async (reference) => {
      claims.delete(reference);
    },
    finish: async (record) => {
      if (claims.get(record.reference) === 'done') return 'finished-already';
      claims.set(record.reference, 'done');
      records.push(record);
      return 'finished';
    },
    logContact: async () => undefined,
    unlogContact: async () => undefined,
    takeAutoReplyAllowance: async (recipient, day) => {
      const key = `${recipient}|${day}`;
      if (allowances.has(key)) return false;
      allowances.add(key);
      return true;
    },
    releaseAutoReplyAllowance: async (recipient, day) => {
      allowances.delete(`${recipient}|${day}`);
    },
  };
  const handled: string[] = [];
  const deps: InboundDeps = {
    source: {
      read: async (_id, maxBytes) => {
        if (options.mail instanceof Error && !(options.mail instanceof MailParseError)) throw options.mail;
        return {
          ...(options.mail instanceof MailParseError
            ? { unreadable: options.mail }
            : { mail: options.mail ?? parsed() }),
          sizeBytes: 1200,
          location: 's3://mail/o3vr',
          ...(maxBytes >= 1200 ? { bytes: new TextEncoder().encode('raw') } : {}),
        };
      },
    },
    register,
    mailer,
    ledger,
    ...frequencyPorts(new MemoryFrequencyStore()),
    events: new MemoryEventPublisher(),
    thresholds: defaultThresholds,
    now: () => '2026-06-01T10:00:05.000Z',
    settings: {
      serviceInbox,
      councilDomains: ['council.example'],
      sendAcknowledgements: true,
      maxAttachedOriginalBytes: 9e6,
      retentionDays: 730,
      council: { councilName: 'Example Borough Council', postalAddress: 'Council Offices, Example Town' },
      leaseSeconds: 90,
      caseReferencePattern: /\b[A-Z]{2,5}-\d{3,8}\b/i,
    },
    onHandledFailure: (what) => handled.push(what),
  };
  return { deps, forwards, notices, records, claims, handled };
}

describe('processInboundMail', () => {
  it('forwards an unknown sender to the service inbox with the summary and original, and acknowledges once', async () => {
    const f = fakes({ mail: parsed({ from: ['stranger@example.net'] }) });
    const result = await processInboundMail(event({ envelopeSender: 'stranger@example.net' }), f.deps);
    expect(result).toMatchObject({ status: 'forwarded', route: 'service', acknowledged: true });
    expect(f.forwards).toHaveLength(1);
    expect(f.forwards[0]).toMatchObject({
      to: [serviceInbox],
      route: 'service',
      replyTo: 'stranger@example.net',
    });
    expect(f.forwards[0]?.subject).toMatch(/^\[CS-[A-Z0-9-]+\] About my bins$/);
    expect(f.forwards[0]?.original).toBeDefined();
    expect(f.notices).toEqual([
      expect.objectContaining({ to: 'stranger@example.net', inReplyTo: '<m1@example.org>' }),
    ]);
    expect(f.records[0]).toMatchObject({
      route: 'service',
      acknowledgement: { kind: 'standard', sent: true },
    });
    expect(JSON.stringify(f.records[0])).not.toContain('Hello'); // no body in the record (P7)
  });

  it('handles a repeated delivery of the same message once (P6)', async () => {
    const f = fakes();
    await processInboundMail(event(), f.deps);
    const again = await processInboundMail(event(), f.deps);
    expect(again.status).toBe('duplicate');
    expect(f.forwards).toHaveLength(1);
    expect(f.notices).toHaveLength(1);
    expect(f.records).toHaveLength(1);
  });

  it('refuses to run alongside another attempt, so the platform retries later', async () => {
    const f = fakes();
    f.claims.set(
      (await import('../../lambdas/core/reference')).contactReference('email', event().messageId),
      'processing',
    );
    await expect(processInboundMail(event(), f.deps)).rejects.toBeInstanceOf(ContactBusyError);
    expect(f.forwards).toHaveLength(0);
  });

  it('routes a restricted customer and sends the 7.3.2 notice to the registered address', async () => {
    const f = fakes({
      restrictions: [
        aRestriction({ type: 'no-email-letter-only', designatedReader: 'reader@council.example' }),
      ],
    });
    const result = await processInboundMail(event(), f.deps);
    expect(result).toMatchObject({ route: 'designated-reader', acknowledged: true });
    expect(f.forwards[0]?.to).toEqual(['reader@council.example']);
    expect(f.notices[0]).toMatchObject({
      to: 'alex.example@example.org',
      subject: expect.stringMatching(/write to us by letter/),
    });
    expect(f.notices[0]?.text).toContain('Council Offices, Example Town');
  });

  it('sends nothing back on a topic-no-reply topic (7.3.7)', async () => {
    const f = fakes({
      mail: parsed({ subject: 'Re: CMP-10001 yet again' }),
      restrictions: [
        aRestriction({
          type: 'topic-no-reply',
          topic: 'CMP-10001',
          designatedReader: 'reader@council.example',
        }),
      ],
    });
    const result = await processInboundMail(event(), f.deps);
    expect(result).toMatchObject({ route: 'designated-reader', acknowledged: false });
    expect(f.notices).toHaveLength(0);
    expect(f.records[0]?.acknowledgement).toMatchObject({
      kind: 'none',
      sent: false,
      why: 'no reply is given under 7.3.7',
    });
  });

  it('finds the case reference in the body too', async () => {
    const f = fakes({
      mail: parsed({ subject: 'Still waiting', text: 'About case cmp-10001 again' }),
      restrictions: [
        aRestriction({
          type: 'topic-no-reply',
          topic: 'CMP-10001',
          designatedReader: 'reader@council.example',
        }),
      ],
    });
    expect((await processInboundMail(event(), f.deps)).status === 'forwarded' && f.forwards[0]?.route).toBe(
      'designated-reader',
    );
  });

  it.each([
    ['auto-replies', parsed({ autoSubmitted: 'auto-replied' }), event(), /Auto-Submitted/],
    ['list mail', parsed({ isListMail: true }), event(), /mailing-list/],
    ['bounces', parsed(), event({ envelopeSender: '' }), /null envelope sender/],
    ['unverified senders', parsed(), event({ verdicts: { ...pass, dmarc: 'FAIL' } }), /not verified/],
  ])('never auto-replies to %s (P8), but still forwards', async (_name, mail, e, why) => {
    const f = fakes({ mail });
    await processInboundMail(e, f.deps);
    expect(f.forwards).toHaveLength(1);
    expect(f.notices).toHaveLength(0);
    expect(f.records[0]?.acknowledgement.why).toMatch(why);
  });

  it('sends at most one automatic reply per address per day (P8)', async () => {
    const f = fakes();
    await processInboundMail(event({ messageId: 'm-1' }), f.deps);
    await processInboundMail(event({ messageId: 'm-2' }), f.deps);
    expect(f.forwards).toHaveLength(2);
    expect(f.notices).toHaveLength(1);
    expect(f.records[1]?.acknowledgement.why).toMatch(/already went to this address today/);
  });

  it('warns about an unverified sender in the summary and record, but still screens', async () => {
    const f = fakes({
      restrictions: [aRestriction({ type: 'single-named-officer', namedOfficer: 'officer@council.example' })],
    });
    await processInboundMail(event({ verdicts: { ...pass, spf: 'FAIL', dkim: 'FAIL' } }), f.deps);
    expect(f.forwards[0]?.to).toEqual(['officer@council.example']);
    expect(f.forwards[0]?.summary).toMatch(
      /WARNING: the sender's address is not verified \(SPF and DKIM both failed\)/,
    );
    expect(f.records[0]?.senderVerified).toBe(false);
  });

  it('forwards unscreened when the register is down (P1)', async () => {
    const f = fakes({ registerDown: true });
    const result = await processInboundMail(event(), f.deps);
    expect(result).toMatchObject({ status: 'forwarded', route: 'unscreened' });
    expect(f.forwards[0]).toMatchObject({ to: [serviceInbox], route: 'unscreened' });
    expect(f.forwards[0]?.subject).toMatch(/^\[UNSCREENED CS-/);
    expect(f.forwards[0]?.summary).toMatch(/Not screened: the restriction register could not be reached/);
    expect(f.handled).toEqual(['screen']);
    expect(f.notices).toHaveLength(0);
    // Operators hear of it: ContactScreeningFailed, with reason codes only.
    const events = f.deps.events as MemoryEventPublisher;
    expect(events.published).toEqual([
      expect.objectContaining({
        detailType: 'ContactScreeningFailed',
        detail: expect.objectContaining({ reasons: ['unscreened'] }),
      }),
    ]);
  });

  it('forwards unscreened when the message cannot be read as email (P1)', async () => {
    const f = fakes({ mail: new MailParseError('empty message') });
    const result = await processInboundMail(event(), f.deps);
    expect(result).toMatchObject({ route: 'unscreened' });
    expect(f.forwards[0]?.summary).toMatch(/could not be read as email \(empty message\)/);
    expect(f.forwards[0]?.original).toBeDefined();
  });

  it('fails, and gives up its claim, when the forward cannot be sent (so the retry can deliver it)', async () => {
    const f = fakes({ sendFails: true });
    await expect(processInboundMail(event(), f.deps)).rejects.toThrow('Throttling');
    expect(f.claims.size).toBe(0);
    expect(f.records).toHaveLength(0);
  });

  it('still delivers, unscreened, when the whole table is down, and says duplicates could not be checked (P1)', async () => {
    const f = fakes({ registerDown: true });
    const down = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    f.deps.ledger = {
      claim: down,
      release: down,
      finish: down,
      logContact: down,
      unlogContact: down,
      takeAutoReplyAllowance: down,
      releaseAutoReplyAllowance: down,
    };
    const result = await processInboundMail(event(), f.deps);
    expect(result).toMatchObject({ status: 'forwarded', route: 'unscreened' });
    expect(f.forwards).toHaveLength(1);
    expect(f.forwards[0]?.summary).toMatch(/already delivered could not be checked/);
    expect(f.handled).toEqual(['claim', 'screen', 'record', 'contact log']);
  });

  it('does not fail once the forward is sent, even if the record cannot be written (no second forward)', async () => {
    const f = fakes();
    f.deps.ledger.finish = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    await expect(processInboundMail(event(), f.deps)).resolves.toMatchObject({ status: 'forwarded' });
    expect(f.forwards).toHaveLength(1);
    expect(f.handled).toEqual(['record']);
  });

  it('hands the day’s reply allowance back when the forward fails, so the retry still acknowledges (P8)', async () => {
    const f = fakes({ sendFails: true });
    await expect(processInboundMail(event(), f.deps)).rejects.toThrow('Throttling');
    f.deps.mailer.forward = async (message) => {
      f.forwards.push(message);
      return 'ses-3';
    };
    await expect(processInboundMail(event(), f.deps)).resolves.toMatchObject({
      status: 'forwarded',
      acknowledged: true,
    });
    expect(f.notices).toHaveLength(1);
  });

  it('fails when the mail store cannot be read (retry; the message stays in S3)', async () => {
    const f = fakes({ mail: new Error('S3 unavailable') });
    await expect(processInboundMail(event(), f.deps)).rejects.toThrow('S3 unavailable');
    expect(f.forwards).toHaveLength(0);
  });

  it('does not attach an original SES found a virus in, and says where it is kept', async () => {
    const f = fakes();
    await processInboundMail(event({ verdicts: { ...pass, virus: 'FAIL' } }), f.deps);
    expect(f.forwards[0]?.original).toBeUndefined();
    expect(f.forwards[0]?.summary).toMatch(
      /not attached \(SES found a virus in it[^)]*\); it is kept at s3:\/\/mail\/o3vr/,
    );
    expect(f.notices).toHaveLength(0);
  });
});

describe('findCaseReferences', () => {
  it('finds references in any case, once each, upper-cased', () => {
    expect(
      findCaseReferences(['Re: cmp-12345', 'see CMP-12345 and HSG-001'], /\b[A-Z]{2,5}-\d{3,8}\b/i),
    ).toEqual(['CMP-12345', 'HSG-001']);
  });
});
