import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { detailTypes, eventSource, type FrequencyAlertDetail } from '../../lambdas/core/events';
import { type NotifyResult, notifyManagers } from '../../lambdas/core/notify/notify-managers';
import { imposeRestriction, registerCustomer } from '../../lambdas/core/register';
import { formatForPeople } from '../../lambdas/core/time';
import { notifyDeps } from '../../lambdas/notify/deps';
import { createNotifyHandler } from '../../lambdas/notify/handler';
import { parseNotifyEvent } from '../../lambdas/notify/schema';
import type { AwsClients } from '../../lambdas/wiring/clients';
import { startSes } from '../../local/emulators';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { lambdaContext } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { changeDeps, unwarned } from '../helpers/register-fixtures';
import { captureSentRaw, type StoredEmail, storedEmails } from '../helpers/ses-emulator';

const managers = ['alerts.one@council.example', 'alerts.two@council.example'];
const from = 'screening@council.example';

let table: TestTable;
let ses: { endpoint: string; close(): Promise<void> };
/** The handler's settings (the emulators' endpoints) and clients. */
let settings: Record<string, string>;
let clients: AwsClients;
/** The handler, as Lambda invokes it. */
let handleNotify: (event: unknown) => Promise<NotifyResult>;
let sentRaw: string[] = [];
let restrictedCustomerId: string;
let plainCustomerId: string;

beforeAll(async () => {
  table = await startTestTable();
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  settings = {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MANAGERS: managers.join(', '),
    SCREENING_FROM: from,
    // NOTIFY_RESTRICTED_ROUTED unset: off by default.
  };
  const config = testConfig(settings);
  clients = testClients(config);
  const handler = createNotifyHandler(notifyDeps(config, clients));
  handleNotify = (event) => handler(event, lambdaContext());
  sentRaw = captureSentRaw(clients.ses, 'utf8');
  await registerCustomers();
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([table?.stop(), ses?.close()]);
});

async function registerCustomers() {
  const deps = changeDeps({ store: new DynamoRegisterStore(table.documentClient, table.tableName) });
  const restricted = await registerCustomer(
    {
      name: 'Ada Testperson',
      emails: ['ada.testperson@example.org'],
      reasonableAdjustments: 'Prefers large print; calls only after 2pm',
    },
    'test',
    deps,
  );
  restrictedCustomerId = restricted.customer.id;
  await imposeRestriction(
    {
      ...unwarned,
      customerId: restrictedCustomerId,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      reason: 'Many contacts to different officers on one case (4.2.7)',
      decidedBy: 'Service Manager',
      startsAt: '2026-01-01',
      endsAt: '2099-12-31',
      reviewAt: '2099-06-30',
    },
    'test',
    deps,
  );
  // Ended long ago: not "in force", so not shown.
  await imposeRestriction(
    {
      ...unwarned,
      customerId: restrictedCustomerId,
      type: 'witness-required',
      reason: 'Past conduct in meetings',
      decidedBy: 'Service Manager',
      startsAt: '2020-01-01',
      endsAt: '2020-12-31',
    },
    'test',
    deps,
  );
  const plain = await registerCustomer({ name: 'Bo Plainperson', emails: ['bo@example.org'] }, 'test', deps);
  plainCustomerId = plain.customer.id;
}

/** What EventBridge hands the notify Lambda for a detail (a fresh event id, as each delivery has). */
function envelope(detailType: string, detail: unknown) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: eventSource,
    account: '111111111111',
    time: '2026-04-03T15:21:00Z',
    region: 'eu-west-2',
    resources: [],
    detail,
  };
}

function frequencyDetail(overrides: Partial<FrequencyAlertDetail> = {}): FrequencyAlertDetail {
  return {
    alertId: `alt_${randomUUID()}`,
    subject: { kind: 'customer', customerId: restrictedCustomerId },
    window: 'topic',
    clause: '4.2.7',
    topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
    count: 6,
    threshold: 5,
    windowDays: 7,
    totalInWindow: 9,
    channels: ['email', 'web-form'],
    firstContactAt: '2026-03-28T08:05:00.000Z',
    lastContactAt: '2026-04-03T15:20:00.000Z',
    contactReferences: ['CS-AAAA-BBBB-C1', 'CS-AAAA-BBBB-C2', 'CS-AAAA-BBBB-C3'],
    ...overrides,
  };
}

/** The emails the SES emulator holds whose text names this alert. */
async function mailsAbout(marker: string): Promise<StoredEmail[]> {
  return (await storedEmails(ses.endpoint)).filter(
    (email) => email.body.text?.includes(marker) || email.subject.includes(marker),
  );
}

describe('notify handler: frequency alerts to managers (dynalite + SES emulator)', () => {
  it('mails every manager once about a restricted customer: counts, channels, times, references, restriction, adjustments, 7.2.1', async () => {
    const detail = frequencyDetail();
    const result = await handleNotify(envelope(detailTypes.frequency, detail));
    expect(result).toEqual({ status: 'sent', noticeKey: `alert:${detail.alertId}`, sent: 2, alreadySent: 0 });

    const mails = await mailsAbout(detail.alertId);
    expect(mails.map((mail) => mail.destination.to).sort()).toEqual(managers.map((manager) => [manager]));
    for (const mail of mails) {
      expect(mail.from).toBe(from);
      expect(mail.subject).toBe(
        'Contact frequency alert: Ada Testperson — 6 contacts on CMP-12345 in 7 days',
      );
      const text = mail.body.text ?? '';
      expect(text).toContain('6 contacts on CMP-12345 in 7 days (threshold 5)');
      expect(text).toContain('(policy 4.2.7)');
      expect(text).toMatch(/Channels: +email, web form/);
      expect(text).toMatch(/On all topics: +9/);
      expect(text).toContain(`First contact:      ${formatForPeople(detail.firstContactAt)}`);
      expect(text).toContain(`Last contact:       ${formatForPeople(detail.lastContactAt)}`);
      // Europe/London: 28 March 2026 is before the clocks go forward, 3 April after.
      expect(text).toContain('Sat, 28 Mar 2026, 08:05 GMT');
      expect(text).toContain('Fri, 3 Apr 2026, 16:20 BST');
      for (const reference of detail.contactReferences) expect(text).toContain(reference);
      expect(text).toContain(`In the register: Ada Testperson (customer ${restrictedCustomerId})`);
      expect(text).toContain('Already restricted: 1 restriction in force now');
      expect(text).toContain('[7.3.4] Contact with one named officer only');
      expect(text).not.toContain('7.3.6'); // the ended restriction
      expect(text).toContain('Prefers large print; calls only after 2pm');
      expect(text).toContain('What happens next (policy 7.2.1)');
      expect(text).toContain('This alert restricts nobody');
    }
    const raw = sentRaw.filter((message) => message.includes(`X-Screening-Reference: ${detail.alertId}`));
    expect(raw).toHaveLength(2);
    for (const message of raw) expect(message).toMatch(/^Auto-Submitted: auto-/m);
  });

  it('sends nothing more when the same alert is delivered again (P6), even as a new event', async () => {
    const detail = frequencyDetail();
    await handleNotify(envelope(detailTypes.frequency, detail));
    const again = await handleNotify(envelope(detailTypes.frequency, detail));
    expect(again).toMatchObject({ status: 'sent', sent: 0, alreadySent: 2 });
    expect(await mailsAbout(detail.alertId)).toHaveLength(2);
  });

  it('says when a registered customer has no restriction in force and no adjustments recorded', async () => {
    const detail = frequencyDetail({
      subject: { kind: 'customer', customerId: plainCustomerId },
      window: 'all-topics',
      clause: '4.2.8',
      topic: undefined,
      count: 16,
      threshold: 15,
      windowDays: 30,
      totalInWindow: undefined,
    });
    await handleNotify(envelope(detailTypes.frequency, detail));
    const [mail] = await mailsAbout(detail.alertId);
    expect(mail?.subject).toBe(
      'Contact frequency alert: Bo Plainperson — 16 contacts on all topics in 30 days',
    );
    expect(mail?.body.text).toContain('No restriction on their contact is in force now.');
    expect(mail?.body.text).toContain('No reasonable adjustments or vulnerability notes are recorded');
    expect(mail?.body.text).toContain('(policy 4.2.8)');
  });

  it('names an unregistered sender by the address kept with their counts', async () => {
    const senderId = `snd_${'ab'.repeat(12)}`;
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          PK: `FREQ#${senderId}`,
          SK: 'FREQ',
          entity: 'frequency',
          senderAddress: 'persistent@example.net',
        },
      }),
    );
    const detail = frequencyDetail({ subject: { kind: 'sender', senderId } });
    await handleNotify(envelope(detailTypes.frequency, detail));

    const mails = await mailsAbout(detail.alertId);
    expect(mails).toHaveLength(2);
    expect(mails[0]?.subject).toBe(
      'Contact frequency alert: a sender not in the register — 6 contacts on CMP-12345 in 7 days',
    );
    expect(mails[0]?.body.text).toContain(
      `The contacts came from persistent@example.net, a sender who is not in the register (sender id ${senderId}).`,
    );
    expect(mails[0]?.body.text).toContain('No restriction applies to them.');
  });

  it('still alerts about a sender whose address is not kept, and about a customer the register no longer holds', async () => {
    const senderId = `snd_${'cd'.repeat(12)}`;
    const sender = frequencyDetail({
      subject: { kind: 'sender', senderId },
      window: 'channels',
      clause: '4.2.12',
      count: 3,
      threshold: 3,
    });
    await handleNotify(envelope(detailTypes.frequency, sender));
    const [senderMail] = await mailsAbout(sender.alertId);
    expect(senderMail?.body.text).toContain(
      `The contacts came from a sender who is not in the register (sender id ${senderId}).`,
    );
    expect(senderMail?.subject).toContain('contact through 3 channels in 7 days');

    const gone = frequencyDetail({ subject: { kind: 'customer', customerId: 'cus_NOT_THERE' } });
    await handleNotify(envelope(detailTypes.frequency, gone));
    const [goneMail] = await mailsAbout(gone.alertId);
    expect(goneMail?.subject).toContain('customer cus_NOT_THERE');
    expect(goneMail?.body.text).toContain('whom the register no longer holds');
  });
});

describe('notify handler: bad input', () => {
  it('mails nobody when MANAGERS is empty, and succeeds (the alert is recorded on the publishing side)', async () => {
    const detail = frequencyDetail();
    const result = await notifyManagers(
      parseNotifyEvent(envelope(detailTypes.frequency, detail)),
      realDeps({ MANAGERS: '' }),
    );
    expect(result).toEqual({ status: 'no-managers', noticeKey: `alert:${detail.alertId}` });
    expect(await mailsAbout(detail.alertId)).toEqual([]);
  });

  it('throws a ValidationError naming the field for a malformed detail, and mails nobody', async () => {
    const before = (await storedEmails(ses.endpoint)).length;
    const detail = { ...frequencyDetail(), count: 'six' };
    await expect(handleNotify(envelope(detailTypes.frequency, detail))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('detail.count'),
    });
    await expect(
      handleNotify(
        envelope(detailTypes.frequency, { ...frequencyDetail(), subject: { kind: 'sender', senderId: 'x' } }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('detail.subject.senderId'),
    });
    await expect(
      handleNotify({ ...envelope(detailTypes.frequency, frequencyDetail()), source: 'someone-else' }),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('source') });
    await expect(handleNotify(envelope(detailTypes.reviewDue, {}))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('detail-type'),
    });
    await expect(handleNotify('not an event')).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await storedEmails(ses.endpoint)).toHaveLength(before);
  });
});

describe('notify handler: the other detail types on the rule', () => {
  const routed = {
    reference: 'CS-ROUT-ED00-01',
    customerIds: ['cus_1'],
    route: 'named-officer',
    appliedRestrictionIds: ['res_1'],
    clauses: ['7.3.4'],
    channel: 'email',
    receivedAt: '2026-04-03T15:20:00.000Z',
  };

  it('ignores RestrictedContactRouted unless NOTIFY_RESTRICTED_ROUTED is true', async () => {
    const result = await handleNotify(envelope(detailTypes.restrictedRouted, routed));
    expect(result).toEqual({
      status: 'ignored',
      noticeKey: 'routed:CS-ROUT-ED00-01',
      reason: 'restricted-routed-off',
    });
    expect(await mailsAbout('CS-ROUT-ED00-01')).toEqual([]);
  });

  it('mails RestrictedContactRouted when it is on (same adapters, the setting turned on)', async () => {
    const deps = realDeps({ NOTIFY_RESTRICTED_ROUTED: 'true' });
    const result = await notifyManagers(
      parseNotifyEvent(envelope(detailTypes.restrictedRouted, routed)),
      deps,
    );
    expect(result).toMatchObject({ status: 'sent', sent: 2 });
    const mails = await mailsAbout('CS-ROUT-ED00-01');
    expect(mails).toHaveLength(2);
    expect(mails[0]?.subject).toBe('Restricted contact routed: CS-ROUT-ED00-01 (named-officer)');
    expect(mails[0]?.body.text).toContain('7.3.4');
  });

  it('mails AbusiveContentFlagged, and SafeguardingConcernRaised as urgent with the safeguarding steps', async () => {
    const concern = {
      reference: 'CS-ABUS-IVE0-01',
      customerIds: ['cus_1'],
      categories: ['offensive'],
      confidence: { offensive: 0.97 },
      urgent: false,
      source: 'content-signal',
    };
    await handleNotify(envelope(detailTypes.abusive, concern));
    const [abusive] = await mailsAbout('CS-ABUS-IVE0-01');
    expect(abusive?.subject).toBe('Abusive content flagged: CS-ABUS-IVE0-01');
    expect(abusive?.body.text).toContain('confidence 0.97');

    const event = envelope(detailTypes.safeguarding, {
      ...concern,
      reference: 'CS-SAFE-GUAR-01',
      categories: ['threat'],
      confidence: { threat: 0.9 },
      urgent: true,
      guidance: 'Call the duty safeguarding officer on 01234 567890 at once.',
    });
    await handleNotify(event);
    const [safeguarding] = await mailsAbout('CS-SAFE-GUAR-01');
    expect(safeguarding?.subject).toBe('URGENT — safeguarding concern: CS-SAFE-GUAR-01');
    expect(safeguarding?.body.text).toContain('Call the duty safeguarding officer on 01234 567890 at once.');
    expect(safeguarding?.body.text).toContain('3.3');

    await expect(handleNotify(envelope(detailTypes.abusive, ['not', 'an', 'object']))).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });
});

/** The handler's own adapters, with settings changed. */
function realDeps(changed: Record<string, string>) {
  return notifyDeps(testConfig({ ...settings, ...changed }), clients);
}
