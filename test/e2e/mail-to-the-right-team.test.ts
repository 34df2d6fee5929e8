import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack';
import { startTestStack } from '../helpers/local-stack';
import { type StoredEmail, storedEmails } from '../helpers/ses-emulator';

/**
 * Mail reaches the team it was sent to, end to end over SMTP (`npm start` with MAILBOXES): the
 * mailbox map, a restricted customer writing to a team's address, the message inline and inert,
 * a message claiming our screening header, and a sender's history joining the customer when they
 * are registered. Every person and address is fictional (`.example`, RFC 2606).
 */

const MAILBOXES = [
  'planning@council.example=planning.team@council.example',
  'building.control@council.example=planning.team@council.example',
  'housing@council.example=housing.team@council.example',
].join(',');

let stack: LocalStack;
let stopStack: () => Promise<void>;

beforeAll(async () => {
  ({ stack, stop: stopStack } = await startTestStack('contact-screening-mailboxes-', {
    env: { ...process.env, MAILBOXES },
  }));
}, 60_000);
afterAll(async () => {
  await stopStack?.();
});

const transport = () =>
  createTransport({ host: '127.0.0.1', port: stack.ports.smtpPort, secure: false, ignoreTLS: true });

async function settle() {
  await stack.inbound.idle();
  await stack.events.idle();
}

async function send(message: {
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
}) {
  await transport().sendMail(message);
  await settle();
}

/** The forwards (from screening, not to the sender) whose subject carries this text. */
async function forwardsAbout(subject: string, sender: string): Promise<StoredEmail[]> {
  return (await storedEmails(stack.urls.ses)).filter(
    (email) => email.subject.includes(subject) && !email.destination.to.includes(sender),
  );
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.urls.gateway}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const answer = await response.json();
  expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer as Record<string, unknown>;
}

describe('mail to the team it was sent to, over SMTP', () => {
  it('delivers to each mailbox of the addresses written to, once each, with the message inline and inert', async () => {
    const sender = 'sam.resident@example.net';
    await send({
      from: sender,
      to: ['planning@council.example', 'building.control@council.example', 'housing@council.example'],
      subject: 'Extension next door (mailbox map)',
      text: 'The extension blocks my light. <script>alert("x")</script><img src=x onerror=alert(1)>',
      html: '<p>The extension blocks my light.</p><script>alert("x")</script><img src=x onerror=alert(1)>',
    });
    const forwards = await forwardsAbout('Extension next door (mailbox map)', sender);
    expect(forwards).toHaveLength(1);
    const [forward] = forwards;
    // Three addresses, two mailboxes: each mailbox once.
    expect(forward!.destination.to.flatMap((to) => to.split(/,\s*/)).sort()).toEqual([
      'housing.team@council.example',
      'planning.team@council.example',
    ]);
    const text = forward!.body.text ?? '';
    expect(text).toContain('Sent to:   planning@council.example, building.control@council.example');
    // The message below the summary as plain text: the markup is shown, never run.
    expect(text).toContain('The extension blocks my light.');
    expect(text).toContain('<script>alert("x")</script>');
    expect(forward!.body.html ?? '').toBe('');
    // The original travels unchanged beside it.
    expect(forward!.attachments.some((a) => /\.eml$/.test(a.filename ?? ''))).toBe(true);
  }, 60_000);

  it("routes a restricted customer by their restriction whichever team's address they wrote to", async () => {
    const customer = await admin('POST', '/admin/customers', {
      name: 'Ada Mailbox',
      emails: ['ada.mailbox@example.org'],
      reasonableAdjustments: 'Large print letters',
    });
    const id = customer.id as string;
    await admin('POST', `/admin/customers/${id}/escalation`, { step: 'concern-raised', by: 'Casey Officer' });
    await admin('POST', `/admin/customers/${id}/escalation`, {
      step: 'warning-given',
      how: 'email',
      by: 'Sam Manager',
    });
    await admin('POST', `/admin/customers/${id}/escalation`, {
      step: 'written-notice',
      how: 'letter',
      by: 'Sam Manager',
    });
    await admin('POST', '/admin/restrictions', {
      customerId: id,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      reason: 'Many contacts to different officers on one case (4.2.7)',
      decidedBy: 'Sam Manager',
      startsAt: '2026-01-01',
      endsAt: '2099-12-31',
    });
    await send({
      from: 'ada.mailbox@example.org',
      to: ['planning@council.example'],
      subject: 'My planning application (restricted)',
      text: 'Please tell me where my application has got to.',
    });
    const [forward] = await forwardsAbout('My planning application (restricted)', 'ada.mailbox@example.org');
    expect(forward?.destination.to).toEqual(['casework.officer@council.example']);
    const text = forward?.body.text ?? '';
    expect(text).toContain('Sent to:   planning@council.example');
    expect(text).toContain(`Customer:  Ada Mailbox (${id})`);
    expect(text).toContain('Reasonable adjustments: Large print letters');
    expect(text).toContain('Escalation: Restrictions decided (7.3)');
  }, 60_000);

  it('screens a message that only claims our screening header: over SMTP nothing proves it is ours', async () => {
    // Only SES's DMARC PASS for the screening address lets a forward back through unscreened
    // (integration: mailboxes-and-history); the local SMTP server verifies nothing, so a message
    // carrying the header from "screening@" is screened and counted like any other.
    await send({
      from: 'screening@council.example',
      to: ['planning@council.example'],
      subject: 'Let me through (claimed header)',
      text: 'Forwarded already, honestly.',
      headers: { 'X-Screening-Reference': 'CS-EM00-FAKE-0001', 'X-Screening-Route': 'service' },
    });
    const forwards = await forwardsAbout('Let me through (claimed header)', 'screening@council.example');
    expect(forwards).toHaveLength(1);
    const text = forwards[0]?.body.text ?? '';
    expect(text).not.toContain('a forward that screening made already');
    expect(text).toContain('The sender matches no customer in the restriction register.');
    expect(text).toMatch(/1st contact on /);
  }, 60_000);
});

describe("a sender's history joins the customer when they are registered, over SMTP", () => {
  const from = 'pat.history@example.org';
  const subject = (n: number) => `Re: CMP-77001 my fence (${n})`;

  it('counts the 8th email after registration as the 8th, once, however often the join is repeated', async () => {
    for (let n = 1; n <= 7; n++) {
      await send({
        from,
        to: ['customer.services@council.example'],
        subject: subject(n),
        text: `Message ${n}.`,
      });
    }
    const [seventh] = await forwardsAbout(subject(7), from);
    expect(seventh?.body.text).toContain('7th contact on CMP-77001 in 7 days');

    const customer = await admin('POST', '/admin/customers', { name: 'Pat History', emails: [from] });
    expect(customer.history).toEqual({ contactsCounted: 7, contactsLogged: 7 });
    const id = customer.id as string;
    // Joining again joins nothing twice: the email taken off and given back repeats the join.
    const none = { contactsCounted: 0, contactsLogged: 0 };
    await admin('PATCH', `/admin/customers/${id}`, {
      emails: [],
      phones: ['07700 900777'],
      why: 'Gave a phone number instead of email',
    });
    const again = await admin('PATCH', `/admin/customers/${id}`, {
      emails: [from],
      why: 'Email again',
    });
    expect(again.history ?? none).toEqual(none);

    await send({ from, to: ['customer.services@council.example'], subject: subject(8), text: 'Message 8.' });
    const [eighth] = await forwardsAbout(subject(8), from);
    expect(eighth?.body.text).toContain(`Customer:  Pat History (${id})`);
    expect(eighth?.body.text).toContain('8th contact on CMP-77001 in 7 days');

    // The contact log shows the earlier seven with the eighth.
    const { contacts } = await admin('GET', `/admin/contacts?customerId=${id}`);
    expect(contacts).toHaveLength(8);
  }, 120_000);
});
