import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack';
import { startTestStack } from '../helpers/local-stack';
import { storedEmails } from '../helpers/ses-emulator';

/**
 * An incident through the local stack (`npm start`): over HTTP to the admin API, through the local
 * bus to the notify function, into the managers' mailbox in the SES emulator within seconds (5.4.2).
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;

beforeAll(async () => {
  ({ stack, stop: stopStack } = await startTestStack('contact-screening-incidents-'));
});
afterAll(async () => {
  await stopStack?.();
});

const admin = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.urls.gateway}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('incidents end to end (npm start)', () => {
  it('a terminated call reaches the managers’ mailbox within seconds, once, however often it is sent', async () => {
    const customer = await (
      await admin('/admin/customers', { name: 'Terry Terminated', emails: ['terry@example.org'] })
    ).json();
    const started = Date.now();
    const body = {
      customerId: customer.id,
      kind: 'call-terminated',
      channel: 'telephone',
      what: 'Shouted and swore after being warned',
      warningGiven: true,
      recordedBy: 'Olive Officer',
    };
    const first = await admin('/admin/incidents', body, { 'idempotency-key': 'e2e-incident-1' });
    expect(first.status).toBe(201);
    const incident = await first.json();
    const second = await admin('/admin/incidents', body, { 'idempotency-key': 'e2e-incident-1' });
    expect((await second.json()).id).toBe(incident.id);

    let mail: Awaited<ReturnType<typeof storedEmails>> = [];
    while (Date.now() - started < 10_000 && mail.length === 0) {
      mail = (await storedEmails(stack.urls.ses)).filter((email) => email.body.text?.includes(incident.id));
      if (mail.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(mail.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(mail[0]?.destination.to).toContain('managers@council.example');
    expect(mail[0]?.subject).toContain('Call terminated recorded');
    await stack.events.idle();
    const again = (await storedEmails(stack.urls.ses)).filter((email) =>
      email.body.text?.includes(incident.id),
    );
    expect(again).toHaveLength(1);
    expect(mail[0]?.body.text).not.toContain('Shouted');
  }, 60_000);
});
