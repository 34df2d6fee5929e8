import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../lambdas/adapters/eventbridge/publisher';
import { eventBusName, eventRules } from '../../lambdas/adapters/eventbridge/rules';
import { detailTypes, eventBridgeEnvelopeSchema, eventSource } from '../../lambdas/core/events';
import type { AsyncFailureRecord } from '../../local/async-invoke';
import { type EventEnvelope, type LocalEventBus, startLocalEventBus } from '../../local/event-bus';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { makeTempDir } from '../helpers/local-stack';
import { storedEmails } from '../helpers/ses-emulator';

/** What the fake notify target was handed: the event, and the Lambda context it ran in. */
interface Invocation {
  event: EventEnvelope;
  functionName: string;
}

let failures: Awaited<ReturnType<typeof makeTempDir>>;
let bus: LocalEventBus;
let client: EventBridgeClient;
const invocations: Invocation[] = [];
/** Detail types the fake target fails on (every attempt). */
const failOn = new Set<string>();
/** The rule targets whose handler the bus invoked. */
const invokedTargets: string[] = [];

beforeAll(async () => {
  failures = await makeTempDir('event-bus-failures-');
  bus = await startLocalEventBus({
    host: '127.0.0.1',
    claim: { port: 0, env: 'EVENTBRIDGE_PORT' },
    failureDir: failures.dir,
    retryDelaysMs: [10, 10],
    keep: 20,
    targets: {
      notify: async (event: unknown, context: Context) => {
        invokedTargets.push('notify');
        const envelope = event as EventEnvelope;
        invocations.push({ event: envelope, functionName: context.functionName });
        if (failOn.has(envelope['detail-type'])) throw new TypeError('the target failed');
      },
    },
  });
  // The production client, as the publisher builds it: only the endpoint differs from AWS.
  client = new EventBridgeClient({
    region: 'eu-west-2',
    endpoint: bus.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  await bus?.close();
  await failures?.remove();
});

afterEach(() => {
  invocations.length = 0;
  failOn.clear();
});

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: eventBusName,
  Source: eventSource,
  DetailType: detailTypes.frequency,
  Detail: JSON.stringify({ alertId: 'alt_1', count: 6 }),
  Resources: ['cus_1'],
  ...overrides,
});

const put = (...entries: PutEventsRequestEntry[]) => client.send(new PutEventsCommand({ Entries: entries }));
const publishedIds = () => bus.published().map((published) => published.event.id);

describe('the local bus speaks PutEvents to the real EventBridge client', () => {
  it('takes good entries, answers an EventId for each, and builds the envelope EventBridge delivers', async () => {
    const output = await put(
      entry({ Time: new Date('2026-04-03T15:20:00.250Z') }),
      entry({ DetailType: detailTypes.restrictedRouted, Resources: [] }),
    );

    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries).toHaveLength(2);
    const [first, second] = output.Entries!;
    expect(first?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.EventId).not.toBe(first?.EventId);
    expect(first?.ErrorCode).toBeUndefined();

    const published = bus.published().find((p) => p.event.id === first?.EventId);
    expect(published?.event).toEqual({
      version: '0',
      id: first?.EventId,
      'detail-type': detailTypes.frequency,
      source: eventSource,
      account: '000000000000',
      time: '2026-04-03T15:20:00Z',
      region: 'eu-west-2',
      resources: ['cus_1'],
      detail: { alertId: 'alt_1', count: 6 },
    });
    // The notify handler's own envelope schema takes it.
    expect(eventBridgeEnvelopeSchema.safeParse(published?.event).success).toBe(true);
    expect(published?.matchedRules).toEqual(['NotifyManagers']);
    // Without a Time, the bus's own clock, to the second.
    const untimed = bus.published().find((p) => p.event.id === second?.EventId);
    expect(untimed?.event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await bus.idle();
  });

  it('refuses bad entries one by one (FailedEntryCount), takes the good ones, and publishes none of the bad', async () => {
    const before = publishedIds();
    const output = await put(
      entry({ EventBusName: 'default' }),
      entry({ Detail: '["not", "an object"]' }),
      entry({ Detail: '{not json' }),
      entry(),
      entry({ Source: undefined }),
      entry({ EventBusName: `arn:aws:events:eu-west-2:000000000000:event-bus/${eventBusName}` }),
    );

    expect(output.FailedEntryCount).toBe(4);
    const codes = output.Entries?.map((result) => result.ErrorCode ?? 'ok');
    expect(codes).toEqual([
      'ResourceNotFoundException',
      'MalformedDetail',
      'MalformedDetail',
      'ok',
      'InvalidArgument',
      'ok',
    ]);
    expect(output.Entries?.[0]?.ErrorMessage).toBe('Event bus default does not exist.');
    expect(output.Entries?.[4]?.ErrorMessage).toMatch(/Source/);

    const added = publishedIds().filter((id) => !before.includes(id));
    expect(added).toEqual([output.Entries?.[3]?.EventId, output.Entries?.[5]?.EventId]);
    await bus.idle();
    expect(invocations.map((invocation) => invocation.event.id)).toEqual(added);
  });

  it('refuses a request of more than 10 entries, or of none, as EventBridge does', async () => {
    await expect(put(...Array.from({ length: 11 }, () => entry()))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(put()).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('rules, from the one rules module', () => {
  it('invokes the target of a matching rule once, asynchronously, with the envelope, as contact-screening-notify', async () => {
    const output = await put(entry());
    await bus.idle();

    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.event.id).toBe(output.Entries?.[0]?.EventId);
    expect(invocations[0]?.event.detail).toEqual({ alertId: 'alt_1', count: 6 });
    expect(invocations[0]?.functionName).toBe('contact-screening-notify');
    expect(invokedTargets).toContain('notify');
  });

  it('invokes nothing for an event no rule matches, but still lists it', async () => {
    const output = await put(
      entry({ DetailType: detailTypes.reviewDue }),
      entry({ Source: 'someone-else', DetailType: detailTypes.frequency }),
    );
    await bus.idle();

    expect(output.FailedEntryCount).toBe(0);
    expect(invocations).toEqual([]);
    const listed = bus.published().filter((p) => output.Entries?.some((e) => e.EventId === p.event.id));
    expect(listed.map((p) => p.matchedRules)).toEqual([[], []]);
  });

  it('matches every detail type the NotifyManagers rule names, and only those', async () => {
    const rule = eventRules.find((candidate) => candidate.id === 'NotifyManagers')!;
    const all = Object.values(detailTypes);
    await put(...all.map((DetailType) => entry({ DetailType })));
    await bus.idle();
    expect(invocations.map((invocation) => invocation.event['detail-type']).sort()).toEqual(
      [...rule.pattern['detail-type']].sort(),
    );
  });

  it('retries a target that fails, then keeps the event in the failure folder as Lambda would', async () => {
    failOn.add(detailTypes.safeguarding);
    const output = await put(entry({ DetailType: detailTypes.safeguarding }));
    await bus.idle();

    expect(invocations).toHaveLength(3); // the first attempt and Lambda's two retries
    const files = (await readdir(failures.dir)).filter((name) => name.endsWith('.json'));
    const records = await Promise.all(
      files.map(
        async (name) =>
          JSON.parse(await readFile(path.join(failures.dir, name), 'utf8')) as AsyncFailureRecord,
      ),
    );
    const record = records.find(
      (candidate) => (candidate.requestPayload as EventEnvelope).id === output.Entries?.[0]?.EventId,
    );
    expect(record).toMatchObject({
      requestContext: {
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
        functionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:contact-screening-notify:$LATEST',
      },
      responsePayload: { errorType: 'TypeError' },
    });
  });

  it('keeps only the most recent events', async () => {
    await put(...Array.from({ length: 10 }, () => entry()));
    await put(...Array.from({ length: 10 }, () => entry()));
    const output = await put(entry({ Detail: '{"last":true}' }));
    await bus.idle();
    const published = bus.published();
    expect(published).toHaveLength(20);
    expect(published.at(-1)?.event.id).toBe(output.Entries?.[0]?.EventId);
  });
});

describe('the production publisher against the local bus', () => {
  it('puts events with only the endpoint changed, and throws when the bus keeps refusing them', async () => {
    await new EventBridgePublisher(client, eventBusName).publish([
      { detailType: detailTypes.frequency, detail: { alertId: 'alt_publisher' }, resources: ['cus_9'] },
    ]);
    await bus.idle();
    expect(invocations.map((invocation) => invocation.event.detail)).toEqual([{ alertId: 'alt_publisher' }]);
    expect(invocations[0]?.event.resources).toEqual(['cus_9']);

    await expect(
      new EventBridgePublisher(client, 'no-such-bus').publish([
        { detailType: detailTypes.frequency, detail: { alertId: 'alt_lost' } },
      ]),
    ).rejects.toThrow(/refused 1 event\(s\) after 4 attempts \(ResourceNotFoundException\)/);
  });

  it('answers its health check', async () => {
    const response = await fetch(`${bus.endpoint}/health-check`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', busName: eventBusName });
  });
});

/** The production publisher, as the stack's handlers have it: their client and bus name. */
const publisherOf = (stack: LocalStack) =>
  new EventBridgePublisher(stack.clients.eventBridge, stack.config.EVENT_BUS_NAME);

describe('the local stack: bus, rules and the notify handler wired together', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let stack: LocalStack;

  beforeAll(async () => {
    data = await makeTempDir('event-bus-stack-');
    stack = await startLocalStack({
      port: 0,
      smtpPort: 0,
      sesPort: 0,
      dynamodbPort: 0,
      s3Port: 0,
      eventbridgePort: 0,
      dataDir: data.dir,
      seed: false,
      eventTargetRetryDelaysMs: [10, 10],
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await data?.remove();
  });

  const alert = (alertId: string) => ({
    alertId,
    subject: { kind: 'sender', senderId: `snd_${'0f'.repeat(12)}` },
    window: 'topic',
    clause: '4.2.7',
    topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
    count: 6,
    threshold: 5,
    windowDays: 7,
    channels: ['email', 'web-form'],
    firstContactAt: '2026-03-30T08:00:00.000Z',
    lastContactAt: '2026-04-03T15:20:00.000Z',
    contactReferences: ['CS-AAAA-BBBB-C1'],
  });

  it('points the handlers at the bus: the production publisher puts an alert, and the managers get it by mail', async () => {
    expect(stack.config.EVENTBRIDGE_ENDPOINT).toBe(stack.urls.eventbridge);
    expect(stack.config.EVENT_BUS_NAME).toBe(eventBusName);
    await publisherOf(stack).publish([{ detailType: detailTypes.frequency, detail: alert('alt_stack_1') }]);
    await stack.events.idle();

    const published = stack.events.published().filter((p) => p.event.detail.alertId === 'alt_stack_1');
    expect(published.map((p) => p.matchedRules)).toEqual([['NotifyManagers']]);
    const mails = (await storedEmails(stack.urls.ses)).filter((mail) =>
      mail.body.text?.includes('alt_stack_1'),
    );
    expect(mails.map((mail) => mail.destination.to)).toEqual([['managers@council.example']]);
    expect(mails[0]?.subject).toBe(
      'Contact frequency alert: a sender not in the register — 6 contacts on CMP-12345 in 7 days',
    );
  });

  it('keeps a malformed alert in the failure folder after the retries, and mails nobody', async () => {
    await publisherOf(stack).publish([
      { detailType: detailTypes.frequency, detail: { ...alert('alt_stack_bad'), count: -1 } },
    ]);
    await stack.events.idle();

    const files = await readdir(stack.events.failedEventsDir);
    const records = await Promise.all(
      files.map(
        async (name) =>
          JSON.parse(
            await readFile(path.join(stack.events.failedEventsDir, name), 'utf8'),
          ) as AsyncFailureRecord,
      ),
    );
    const record = records.find(
      (candidate) => (candidate.requestPayload as EventEnvelope).detail?.alertId === 'alt_stack_bad',
    );
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      responsePayload: {
        errorType: 'ValidationError',
        errorMessage: expect.stringContaining('detail.count'),
      },
    });
    const mails = (await storedEmails(stack.urls.ses)).filter((mail) =>
      mail.body.text?.includes('alt_stack_bad'),
    );
    expect(mails).toEqual([]);
  });

  it('reports the bus in /health', async () => {
    const response = await fetch(stack.urls.health);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { parts: Record<string, string> }).parts.eventbridge).toBe('up');
  });
});
