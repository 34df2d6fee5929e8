import { DynamoContactLedger } from '../../lambdas/adapters/dynamodb/contact-ledger';
import type { ContactRecord } from '../../lambdas/core/contact';
import {
  imposeRestriction,
  liftRestriction,
  recordEscalationStep,
  registerCustomer,
} from '../../lambdas/core/register';
import { anAlert, type ConsoleUnderTest } from './console-pages';
import { unwarned } from './register-fixtures';

/**
 * A small register as a service manager would find it on a Monday morning: one customer with a
 * full history (escalation, restrictions in force, a clash with a reasonable adjustment, a lifted
 * restriction, contacts and an open alert) and others whose reviews, starts and ends need attention.
 */
export async function seedRegister(c: ConsoleUnderTest, today = '2026-06-01T09:00:00.000Z') {
  const at = (instant: string) => c.setNow(instant);
  const manager = 'Sam Manager (sub-service-manager)';
  at('2026-03-01T10:00:00.000Z');
  const { customer: jordan } = await registerCustomer(
    {
      name: 'Jordan Example',
      address: '12 Mill Lane, Example Town',
      postcode: 'AL10 0ZZ',
      emails: ['jordan.example@example.org'],
      phones: ['07700 900123'],
      representatives: [
        { name: 'Cllr Ann Smith', relationship: 'Ward councillor', email: 'ann.smith@council.example' },
      ],
      vulnerability: 'Lives alone; has told us about anxiety.',
      reasonableAdjustments: 'Large-print letters; prefers to be contacted by email.',
      adjustments: [{ channel: 'email', detail: 'large print sent by email' }],
    },
    manager,
    c.register,
  );
  const steps = [
    {
      at: '2026-03-02T10:00:00.000Z',
      body: {
        step: 'concern-raised',
        by: 'Team Leader',
        note: 'Daily calls to five officers about one complaint.',
      },
    },
    { at: '2026-03-16T10:00:00.000Z', body: { step: 'warning-given', how: 'phone', by: 'Sam Manager' } },
    { at: '2026-04-06T10:00:00.000Z', body: { step: 'written-notice', how: 'letter', by: 'Sam Manager' } },
  ];
  for (const step of steps) {
    at(step.at);
    await recordEscalationStep(jordan.id, step.body, manager, c.register);
  }
  at('2026-04-20T10:00:00.000Z');
  const common = {
    customerId: jordan.id,
    reason:
      'Around forty calls and emails a week to many officers about one closed complaint (4.2.7, 4.2.12).',
    decidedBy: 'Sam Manager',
  };
  await imposeRestriction(
    {
      ...common,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      namedOfficerName: 'Casey Worker',
      startsAt: '2026-04-20',
      endsAt: '2027-04-19',
      customerAdvisedAt: '2026-04-21',
      servicesAdvisedAt: '2026-04-21',
    },
    manager,
    c.register,
  );
  await imposeRestriction(
    {
      ...common,
      type: 'phone-hours',
      days: ['tuesday', 'thursday'],
      from: '10:00',
      until: '12:00',
      maxCallMinutes: 20,
      startsAt: '2026-04-20',
      endsAt: '2027-04-19',
    },
    manager,
    c.register,
  );
  at('2026-05-27T10:00:00.000Z');
  await imposeRestriction(
    {
      ...common,
      type: 'no-email-letter-only',
      designatedReader: 'reader@council.example',
      startsAt: '2026-05-27',
      endsAt: '2026-11-30',
    },
    manager,
    c.register,
  );
  const witness = await imposeRestriction(
    {
      ...common,
      type: 'witness-required',
      witness: 'a second officer',
      startsAt: '2026-04-20',
      endsAt: '2026-10-19',
    },
    manager,
    c.register,
  );
  at('2026-05-29T10:00:00.000Z');
  await liftRestriction(
    witness.id,
    { reason: 'Meetings now take place by video.', decidedBy: 'Sam Manager' },
    manager,
    c.register,
  );

  // Others: a review overdue, one starting and one ending this week.
  const others = [
    {
      name: 'Riley Sample',
      created: '2025-05-01T09:00:00.000Z',
      startsAt: '2025-05-01',
      endsAt: '2026-10-31',
    },
    {
      name: 'Morgan Test',
      created: '2026-05-29T09:00:00.000Z',
      startsAt: '2026-06-04',
      endsAt: '2026-12-03',
    },
    { name: 'Casey Demo', created: '2025-12-05T09:00:00.000Z', startsAt: '2025-12-05', endsAt: '2026-06-05' },
  ];
  for (const [i, other] of others.entries()) {
    at(other.created);
    const { customer } = await registerCustomer(
      { name: other.name, postcode: 'AL10 9AB', emails: [`person${i}@example.org`] },
      manager,
      c.register,
    );
    await imposeRestriction(
      {
        customerId: customer.id,
        type: 'topic-no-reply',
        topic: `CMP-2000${i}`,
        designatedReader: 'reader@council.example',
        reason: 'Repeated contact about a complaint that has been through every stage (4.2.3).',
        decidedBy: 'Sam Manager',
        startsAt: other.startsAt,
        endsAt: other.endsAt,
        ...unwarned,
      },
      manager,
      c.register,
    );
  }
  at(today);

  const ledger = new DynamoContactLedger(c.table.documentClient, c.table.tableName);
  for (const [i, when] of ['2026-05-30T08:12:00.000Z', '2026-05-31T17:40:00.000Z'].entries()) {
    const record: ContactRecord = {
      reference: ['CS-7K3F-9Q2M-X1', 'CS-7K3F-9Q2M-X2'][i]!,
      channel: i === 0 ? 'email' : 'web-form',
      sourceId: `source-${i}`,
      receivedAt: when,
      processedAt: when,
      route: 'named-officer',
      recipients: ['casework.officer@council.example'],
      copyTo: [],
      reasons: [
        {
          code: 'single-named-officer',
          clause: '7.3.4',
          text: 'Only the named officer deals with this customer.',
        },
        { code: 'customer-recognised', text: 'Recognised by email address.' },
      ],
      notes: [],
      customerIds: [jordan.id],
      appliedRestrictionIds: [],
      senderVerified: true,
      acknowledgement: { kind: 'standard', sent: true },
      originalAttached: true,
      sizeBytes: 2048,
      problems: [],
      topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
      counts: { topic: 12, allTopics: 14, channels: 2 },
      expiresAt: '2028-06-01T00:00:00.000Z',
    };
    await ledger.claim(record.reference, record.receivedAt, '2099-01-01T00:00:00.000Z');
    await ledger.complete(record);
    c.contacts.set(record.reference, record);
  }
  await c.recordAlert(
    anAlert(jordan.id, jordan.name, { contactReferences: ['CS-7K3F-9Q2M-X1', 'CS-7K3F-9Q2M-X2'] }),
  );
  return { jordan };
}
