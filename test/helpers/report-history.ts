import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { DynamoReportTotals } from '../../lambdas/adapters/dynamodb/report-totals';
import type { EscalationStep } from '../../lambdas/core/escalation';
import type { AuditEntry } from '../../lambdas/core/ports';
import { recordContactTotals } from '../../lambdas/core/reports';
import type { Restriction } from '../../lambdas/core/restriction';
import type { TestTable } from './dynalite';
import { aCustomer, aRestriction } from './register-fixtures';

/** Personal details seeded, that no report may hold. */
export const seededPersonalData = {
  names: ['Zelda Quartermain', 'Yorick Pemberton'],
  emails: ['zelda.quartermain@example.org', 'yorick.pemberton@example.org'],
  customerIds: ['cus_report_zelda', 'cus_report_yorick'],
  restrictionIds: ['res_report_one', 'res_report_two'],
};

const audit = (customerId: string, at: string, subjectId: string): AuditEntry => ({
  id: `aud_${subjectId}_${at}`,
  customerId,
  at,
  actor: 'test',
  action: 'restriction-imposed',
  subjectId,
});

const step = (customerId: string, kind: EscalationStep['step'], at: string): EscalationStep => ({
  id: `esc_${customerId}_${kind}`,
  customerId,
  step: kind,
  clause: kind === 'warning-given' ? '7.2.1' : '7.2.2',
  at,
  how: 'letter',
  by: 'Service Manager',
  recordedAt: at,
  recordedBy: 'test',
});

/**
 * A quarter's history with known counts (October–December 2026): six contacts (four email, two
 * by the form, one of them from a restricted customer routed to the named officer), and one
 * email in January outside the quarter; two restrictions imposed, one lifted and reviewed late;
 * one customer advised within five working days, one never advised; a warning and a written notice.
 */
export async function seedReportHistory(table: TestTable) {
  const store = new DynamoRegisterStore(table.documentClient, table.tableName);
  const totals = new DynamoReportTotals(table.documentClient, table.tableName);
  const [zelda, yorick] = seededPersonalData.customerIds as [string, string];
  await store.saveNewCustomer(
    aCustomer({ id: zelda, name: 'Zelda Quartermain', emails: ['zelda.quartermain@example.org'] }),
    audit(zelda, '2026-09-01T09:00:00.000Z', zelda),
  );
  await store.saveNewCustomer(
    aCustomer({ id: yorick, name: 'Yorick Pemberton', emails: ['yorick.pemberton@example.org'] }),
    audit(yorick, '2026-09-01T09:00:00.000Z', yorick),
  );
  const version = async (id: string) => (await store.loadCustomer(id))?.customer.version ?? 0;

  // Yorick: warned (7.2.1) and written to (7.2.2), then restricted; never advised (8.1).
  for (const [kind, at] of [
    ['warning-given', '2026-10-01T10:00:00.000Z'],
    ['written-notice', '2026-10-03T10:00:00.000Z'],
  ] as const)
    await store.applyChange({
      customerId: yorick,
      expectedVersion: await version(yorick),
      at,
      step: step(yorick, kind, at),
      audit: [audit(yorick, at, `esc_${kind}`)],
    });
  const two = aRestriction(
    { type: 'no-email-letter-only', customerId: yorick, startsAt: '2026-10-12', endsAt: '2027-10-11' },
    { id: 'res_report_two', createdAt: '2026-10-12T11:00:00.000Z' },
  );
  await store.applyChange({
    customerId: yorick,
    expectedVersion: await version(yorick),
    at: two.createdAt,
    newRestriction: two,
    audit: [audit(yorick, two.createdAt, two.id)],
  });

  // Zelda: restricted on Monday 5 October, advised on the Wednesday; reviewed late; lifted 20 November.
  const one = aRestriction(
    {
      type: 'single-named-officer',
      customerId: zelda,
      namedOfficer: 'officer@council.example',
      startsAt: '2026-10-05',
      endsAt: '2027-04-04',
      reviewAt: '2026-11-01',
      customerAdvisedAt: '2026-10-07',
    },
    { id: 'res_report_one', createdAt: '2026-10-05T09:00:00.000Z' },
  );
  await store.applyChange({
    customerId: zelda,
    expectedVersion: await version(zelda),
    at: one.createdAt,
    newRestriction: one,
    audit: [audit(zelda, one.createdAt, one.id)],
  });
  const reviewed: Restriction = {
    ...one,
    reviewAt: '2027-02-01T00:00:00.000Z',
    reviews: [
      {
        at: '2026-11-04T10:00:00.000Z',
        by: 'Service Manager',
        notes: 'kept',
        nextReviewAt: '2027-02-01T00:00:00.000Z',
        previousReviewAt: one.reviewAt,
      },
    ],
  };
  const lifted: Restriction = {
    ...reviewed,
    liftedAt: '2026-11-20T12:00:00.000Z',
    liftedBy: 'Service Manager',
    liftReason: 'behaviour improved',
  };
  for (const [before, after, at] of [
    [one, reviewed, '2026-11-04T10:00:00.000Z'],
    [reviewed, lifted, '2026-11-20T12:00:00.000Z'],
  ] as const)
    await store.applyChange({
      customerId: zelda,
      expectedVersion: await version(zelda),
      at,
      restriction: { before, after },
      audit: [audit(zelda, at, `${one.id}_${at}`)],
    });

  let counted = 0;
  const contact = (channel: 'email' | 'web-form', receivedAt: string, restricted = false) =>
    recordContactTotals(
      {
        reference: `CS-HISTORY-${++counted}`,
        channel,
        receivedAt,
        route: restricted ? 'named-officer' : 'service',
        appliedRestrictionIds: restricted ? [one.id] : [],
      },
      totals,
    );
  await contact('email', '2026-10-02T09:00:00.000Z');
  await contact('email', '2026-10-02T15:00:00.000Z');
  await contact('web-form', '2026-10-20T09:00:00.000Z');
  await contact('email', '2026-11-10T09:00:00.000Z', true);
  await contact('web-form', '2026-12-01T09:00:00.000Z');
  // The last minute of the quarter in London (GMT) and the first of the next.
  await contact('email', '2026-12-31T23:59:00.000Z');
  await contact('email', '2027-01-01T00:01:00.000Z');
}
