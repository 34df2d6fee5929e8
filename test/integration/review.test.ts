import { randomUUID } from 'node:crypto';
import type { SESClient } from '@aws-sdk/client-ses';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import { DynamoReviewLedger, DynamoReviewRegister } from '../../lambdas/adapters/dynamodb/review-store';
import { keys, tableDesign } from '../../lambdas/adapters/dynamodb/table-design';
import { SesMailer } from '../../lambdas/adapters/ses/mailer';
import { detailTypes, type PublishedEvent, reviewDueDetailSchema } from '../../lambdas/core/events';
import type { Mailer } from '../../lambdas/core/ports';
import { type ReviewDeps, type ReviewSummary, runReview } from '../../lambdas/core/review';
import { parseRegisterDate } from '../../lambdas/core/time';
import { startSes } from '../../local/emulators';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { testClients, testConfig } from '../helpers/lambda-config';
import { captureSentRaw, type StoredEmail, storedEmails } from '../helpers/ses-emulator';

const from = 'screening@council.example';
const day = (date: string, edge: 'start' | 'end' = 'start') => parseRegisterDate(date, edge) as string;
const at = (iso: string) => new Date(iso).toISOString();

let ses: { endpoint: string; close(): Promise<void> };
let sesClient: SESClient;
let sentRaw: string[] = [];
let table: TestTable;

beforeAll(async () => {
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  sesClient = testClients(testConfig({ SES_ENDPOINT: ses.endpoint })).ses;
  sentRaw = captureSentRaw(sesClient, 'utf8');
}, 60_000);
afterAll(async () => {
  await ses?.close();
});
beforeEach(async () => {
  table = await startTestTable();
});
afterEach(async () => {
  await table?.stop();
});

/** A customer profile and their restriction, as the register stores them (table-design.ts). */
async function registerRestriction(options: {
  name: string;
  type?: string;
  startsAt?: string;
  endsAt: string;
  reviewAt: string;
  liftedAt?: string;
}) {
  const customerId = `cus_${randomUUID().slice(0, 8)}`;
  const restrictionId = `res_${randomUUID().slice(0, 8)}`;
  const put = (item: Record<string, unknown>) =>
    table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
  await put({
    PK: keys.customer(customerId),
    SK: keys.profileSk,
    GSI1PK: keys.customersIndexPk,
    GSI1SK: `2026-01-01T00:00:00.000Z#${customerId}`,
    entity: 'customer',
    id: customerId,
    name: options.name,
    emails: [],
    phones: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'test',
  });
  const restriction = {
    id: restrictionId,
    customerId,
    type: options.type ?? 'single-named-officer',
    namedOfficer: 'casework.officer@council.example',
    reason: 'A reason that must never reach an event (P7)',
    decidedBy: 'Service Manager',
    startsAt: options.startsAt ?? day('2025-06-01'),
    endsAt: options.endsAt,
    reviewAt: options.reviewAt,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'test',
    ...(options.liftedAt ? { liftedAt: options.liftedAt } : {}),
  };
  await put({
    PK: keys.customer(customerId),
    SK: keys.restrictionSk(restrictionId),
    GSI1PK: keys.registerIndexPk,
    GSI1SK: `${restriction.reviewAt}#${restrictionId}`,
    entity: 'restriction',
    ...restriction,
  });
  return { customerId, restrictionId, restriction };
}

/** The review's real adapters on this table and the SES emulator; a bus that records (or refuses). */
async function reviewDeps(managers: string[], now: string) {
  const published: PublishedEvent[] = [];
  const bus = { refuse: false };
  const retention = { calls: [] as string[], removed: 3 };
  const mailer = new SesMailer(sesClient, from);
  const mail = { failNext: 0 };
  const eventLog = new DynamoEventLog(table.documentClient, table.tableName);
  const clock = { now };
  const deps: ReviewDeps = {
    register: new DynamoReviewRegister(table.documentClient, table.tableName),
    ledger: new DynamoReviewLedger(table.documentClient, table.tableName),
    events: {
      publish: async (events) => {
        if (bus.refuse) throw new Error('EventBridge refused 1 event(s)');
        published.push(...events);
      },
    },
    eventLog,
    mailer: {
      notify: async (message: Parameters<Mailer['notify']>[0]) => {
        if (mail.failNext > 0) {
          mail.failNext--;
          throw Object.assign(new Error('SES refused'), { name: 'MessageRejected' });
        }
        return mailer.notify(message);
      },
    },
    contactLog: {
      removeExpired: async (cutoff) => {
        retention.calls.push(cutoff);
        return retention.removed;
      },
    },
    settings: { managers },
    now: () => clock.now,
  };
  return { deps, published, bus, retention, mail, clock, eventLog };
}

async function runAt(deps: ReviewDeps): Promise<ReviewSummary> {
  return runReview(deps);
}

async function digestsTo(manager: string): Promise<StoredEmail[]> {
  return (await storedEmails(ses.endpoint)).filter(
    (email) => email.destination.to.includes(manager) && email.subject.startsWith('Restriction reviews'),
  );
}

const manager = () => `manager.${randomUUID().slice(0, 8)}@council.example`;

describe('the daily review (dynalite + SES emulator)', () => {
  it('publishes one event per restriction and stage, records it, and mails one digest per day with the right restrictions', async () => {
    const now = at('2026-06-20T06:00:00Z'); // 07:00 BST
    const overdue = await registerRestriction({
      name: 'Ada Overdue',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-06-01'),
    });
    const soon = await registerRestriction({
      name: 'Bo Soon',
      type: 'topic-no-reply',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-07-04'), // 14 London days away: due soon since 00:00 today
    });
    const ended = await registerRestriction({
      name: 'Cy Ended',
      endsAt: day('2026-06-15', 'end'), // ended before its review date
      reviewAt: day('2026-12-01'),
    });
    await registerRestriction({
      name: 'Di Later',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-07-05'),
    });
    await registerRestriction({
      name: 'Ed Lifted',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-06-01'),
      liftedAt: day('2026-05-01'),
    });
    const boss = manager();
    const other = manager();
    const { deps, published, retention, eventLog } = await reviewDeps([boss, other], now);

    const summary = await runAt(deps);
    expect(summary).toEqual({
      asOf: now,
      day: '2026-06-20',
      stages: { overdue: 1, 'due-soon': 1, ended: 1 },
      newInStage: 3,
      eventsPublished: 3,
      eventsFailed: 0,
      digest: 'sent',
      digestsSent: 2,
      contactsRemoved: 3,
    });
    expect(retention.calls).toEqual([now]);

    // Events: ids and dates, validated by their schema; no names or reasons (P7).
    expect(published.map((event) => event.detailType)).toEqual(Array(3).fill(detailTypes.reviewDue));
    const details = published.map((event) => reviewDueDetailSchema.parse(event.detail));
    expect(details.map((detail) => [detail.restrictionId, detail.stage])).toEqual(
      expect.arrayContaining([
        [overdue.restrictionId, 'overdue'],
        [soon.restrictionId, 'due-soon'],
        [ended.restrictionId, 'ended'],
      ]),
    );
    expect(details.find((detail) => detail.stage === 'due-soon')?.daysUntilReview).toBe(14);
    expect(details.find((detail) => detail.stage === 'overdue')?.daysOverdue).toBe(19);
    expect(JSON.stringify(published)).not.toMatch(/Ada|Bo Soon|Cy Ended|reason|casework/i);
    // …and recorded for GET /admin/events.
    const recorded = await eventLog.listEvents(10);
    expect(recorded.filter((event) => event.detailType === detailTypes.reviewDue)).toHaveLength(3);
    expect(recorded.every((event) => event.status === 'published')).toBe(true);

    // One digest to each manager, with names, clauses and what to do.
    for (const to of [boss, other]) {
      const mails = await digestsTo(to);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.from).toBe(from);
      expect(mails[0]?.subject).toBe('Restriction reviews: 1 overdue, 1 due within 14 days, 1 ended (3 new)');
      const text = mails[0]?.body.text ?? '';
      expect(text).toContain(`NEW  Ada Overdue (customer ${overdue.customerId})`);
      expect(text).toContain(`NEW  Bo Soon (customer ${soon.customerId})`);
      expect(text).toContain(`NEW  Cy Ended (customer ${ended.customerId})`);
      expect(text).toContain('[7.3.7] No reply on a topic');
      expect(text).toContain('(in 14 days)');
      expect(text).not.toContain('Di Later');
      expect(text).not.toContain('Ed Lifted');
      expect(text).toContain('What to do (policy 10.1)');
    }
    const raw = sentRaw.filter((message) => message.includes(`To: ${boss}`));
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatch(/^Auto-Submitted: auto-generated/m);
    expect(raw[0]).toMatch(/^X-Screening-Reference: review-2026-06-20/m);

    // The same day again (a retry, a second run): nothing new, no second digest.
    const again = await runAt(deps);
    expect(again).toMatchObject({
      newInStage: 0,
      eventsPublished: 0,
      digest: 'already-sent',
      digestsSent: 0,
    });
    expect(published).toHaveLength(3);
    expect(await digestsTo(boss)).toHaveLength(1);
  });

  it('the next day: lists what is still due without NEW, and never reports an ended restriction again', async () => {
    const overdue = await registerRestriction({
      name: 'Ada Overdue',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-06-01'),
    });
    await registerRestriction({
      name: 'Cy Ended',
      endsAt: day('2026-06-15', 'end'),
      reviewAt: day('2026-12-01'),
    });
    const boss = manager();
    const { deps, published, clock } = await reviewDeps([boss], at('2026-06-20T06:00:00Z'));
    await runAt(deps);
    expect(published).toHaveLength(2);

    clock.now = at('2026-06-21T06:00:00Z');
    const soon = await registerRestriction({
      name: 'Bo Soon',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-07-05'),
    });
    const next = await runAt(deps);
    expect(next).toMatchObject({
      day: '2026-06-21',
      stages: { overdue: 1, 'due-soon': 1, ended: 0 },
      newInStage: 1,
      eventsPublished: 1,
      digest: 'sent',
    });
    expect(reviewDueDetailSchema.parse(published[2]?.detail).restrictionId).toBe(soon.restrictionId);
    const mails = await digestsTo(boss);
    expect(mails).toHaveLength(2);
    const latest = mails.find((mail) => mail.subject.includes('(1 new)'))?.body.text ?? '';
    expect(latest).toMatch(new RegExp(`^ {7}Ada Overdue \\(customer ${overdue.customerId}\\)$`, 'm'));
    expect(latest).toContain('NEW  Bo Soon');
    expect(latest).not.toContain('Cy Ended');
  });

  it('sends no digest when nothing is due, and still runs retention', async () => {
    await registerRestriction({
      name: 'Di Later',
      endsAt: day('2027-12-31', 'end'),
      reviewAt: day('2027-06-01'),
    });
    const boss = manager();
    const { deps, published, retention } = await reviewDeps([boss], at('2026-06-20T06:00:00Z'));
    const summary = await runAt(deps);
    expect(summary).toMatchObject({
      stages: { overdue: 0, 'due-soon': 0, ended: 0 },
      eventsPublished: 0,
      digest: 'nothing-due',
      digestsSent: 0,
      contactsRemoved: 3,
    });
    expect(published).toEqual([]);
    expect(retention.calls).toHaveLength(1);
    expect(await digestsTo(boss)).toEqual([]);
  });

  it('keeps no digest marker when SES refuses: the retry sends the digest, once', async () => {
    await registerRestriction({
      name: 'Ada Overdue',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-06-01'),
    });
    const boss = manager();
    const { deps, published, mail, retention } = await reviewDeps([boss], at('2026-06-20T06:00:00Z'));
    mail.failNext = 1;
    const failed = await runAt(deps).catch((error: unknown) => error);
    expect(failed).toMatchObject({
      name: 'ReviewIncompleteError',
      failures: ['digest'],
      summary: expect.objectContaining({ digest: 'failed', digestsSent: 0, eventsPublished: 1 }),
    });
    // Retention ran all the same.
    expect(retention.calls).toHaveLength(1);
    expect(await digestsTo(boss)).toEqual([]);

    const retried = await runAt(deps);
    expect(retried).toMatchObject({ digest: 'sent', digestsSent: 1, eventsPublished: 0 });
    expect(published).toHaveLength(1);
    const mails = await digestsTo(boss);
    expect(mails).toHaveLength(1);
    // Still new: it was in no digest before this one.
    expect(mails[0]?.body.text).toContain('NEW  Ada Overdue');
    expect((await runAt(deps)).digest).toBe('already-sent');
    expect(await digestsTo(boss)).toHaveLength(1);
  });

  it('publishes an event again on the retry when the bus refused it, and records the failure', async () => {
    const { restrictionId } = await registerRestriction({
      name: 'Ada Overdue',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-06-01'),
    });
    const { deps, published, bus, eventLog } = await reviewDeps([manager()], at('2026-06-20T06:00:00Z'));
    bus.refuse = true;
    await expect(runAt(deps)).rejects.toMatchObject({ name: 'ReviewIncompleteError', failures: ['events'] });
    expect((await eventLog.listEvents(10)).map((event) => event.status)).toEqual(['failed']);
    bus.refuse = false;
    const retried = await runAt(deps);
    expect(retried).toMatchObject({ eventsPublished: 1, digest: 'already-sent' });
    expect(reviewDueDetailSchema.parse(published[0]?.detail).restrictionId).toBe(restrictionId);
    expect((await runAt(deps)).eventsPublished).toBe(0);
  });

  it('reports a restriction again when its review date moves: an extended restriction comes due again', async () => {
    const { restriction } = await registerRestriction({
      name: 'Ada Overdue',
      endsAt: day('2027-12-31', 'end'),
      reviewAt: day('2026-06-01'),
    });
    const { deps, published, clock } = await reviewDeps([manager()], at('2026-06-20T06:00:00Z'));
    await runAt(deps);
    // A manager reviews it: the next review in a year. Nothing is due now…
    const reviewed = { ...restriction, reviewAt: day('2027-06-01') };
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          PK: keys.customer(restriction.customerId),
          SK: keys.restrictionSk(restriction.id),
          GSI1PK: keys.registerIndexPk,
          GSI1SK: `${reviewed.reviewAt}#${restriction.id}`,
          entity: 'restriction',
          ...reviewed,
        },
      }),
    );
    clock.now = at('2026-06-21T06:00:00Z');
    expect((await runAt(deps)).digest).toBe('nothing-due');
    // …until the new review date comes near.
    clock.now = at('2027-05-20T06:00:00Z');
    expect(await runAt(deps)).toMatchObject({ stages: { 'due-soon': 1 }, eventsPublished: 1 });
    expect(published.map((event) => reviewDueDetailSchema.parse(event.detail).stage)).toEqual([
      'overdue',
      'due-soon',
    ]);
  });

  it('keeps its markers with a TTL and without personal data', async () => {
    const { restrictionId, restriction } = await registerRestriction({
      name: 'Ada Overdue',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-06-01'),
    });
    const { deps } = await reviewDeps([manager()], at('2026-06-20T06:00:00Z'));
    await runAt(deps);
    const marker = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.reviewDue(restrictionId, 'overdue', restriction.reviewAt), SK: keys.reviewDueSk },
      }),
    );
    expect(marker.Item).toMatchObject({ entity: 'review-due', firstSeenAt: at('2026-06-20T06:00:00Z') });
    expect(marker.Item?.[tableDesign.timeToLiveAttribute]).toBeGreaterThan(
      Date.parse(restriction.endsAt) / 1000,
    );
    expect(JSON.stringify(marker.Item)).not.toMatch(/Ada|@/);
  });

  it('mails nobody when MANAGERS is empty, and says so', async () => {
    await registerRestriction({
      name: 'Ada Overdue',
      endsAt: day('2026-12-31', 'end'),
      reviewAt: day('2026-06-01'),
    });
    const { deps, published } = await reviewDeps([], at('2026-06-20T06:00:00Z'));
    expect(await runAt(deps)).toMatchObject({ digest: 'no-managers', eventsPublished: 1 });
    expect(published).toHaveLength(1);
  });
});
