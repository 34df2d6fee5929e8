import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSafeguardingGuidance } from '../../lambdas/wiring/config';
import type { LocalStack } from '../../local/stack';
import { startTestStack } from '../helpers/local-stack';
import { type StoredEmail, storedEmails } from '../helpers/ses-emulator';

/**
 * Content signals end to end (`npm start`): a threatening email over SMTP gives the urgent
 * safeguarding event on the local bus, the managers' urgent email in the SES emulator, and a
 * forward whose summary starts with the flags. Every person and address is fictional.
 */

let stack: LocalStack;
let stopStack: () => Promise<void>;

beforeAll(async () => {
  ({ stack, stop: stopStack } = await startTestStack('contact-screening-signals-'));
});
afterAll(async () => {
  await stopStack?.();
});

async function settle() {
  await stack.inbound.idle();
  await stack.events.idle();
}

const transport = () =>
  createTransport({ host: '127.0.0.1', port: stack.ports.smtpPort, secure: false, ignoreTLS: true });

describe('content signals end to end (npm start)', () => {
  it('a threatening email: safeguarding event, the managers’ urgent email with the steps, the flagged forward', async () => {
    await transport().sendMail({
      from: 'furious.writer@example.org',
      to: 'customer.services@council.example',
      subject: 'My housing repair',
      text: 'Nobody has come about the damp.\n\nI know where you live and I will burn your office down if it is not fixed.',
    });
    await settle();

    const emails = await storedEmails(stack.urls.ses);
    const forward = emails.find(
      (email: StoredEmail) =>
        email.destination.to.includes('customer.services@council.example') &&
        email.subject.includes('My housing repair'),
    );
    expect(forward).toBeDefined();
    const reference = /^\[([A-Z0-9-]+)\]/.exec(forward?.subject ?? '')?.[1];
    const summary = forward?.body.text ?? '';
    expect(summary.split('\n')[2]).toMatch(/^CONTENT FLAGS/);
    expect(summary.indexOf('Threat of harm [3.2.3, 3.3, 6.1]')).toBeLessThan(summary.indexOf('Route:'));
    expect(summary).toContain('“I will burn your office down”');

    const published = stack.events
      .published()
      .filter((e) => (e.event.detail as { reference?: string }).reference === reference);
    const safeguarding = published.find((e) => e.event['detail-type'] === 'SafeguardingConcernRaised');
    expect(safeguarding?.event.detail).toMatchObject({ urgent: true, categories: ['threat'] });
    expect(published.map((e) => e.event['detail-type'])).toContain('AbusiveContentFlagged');
    expect(JSON.stringify(published)).not.toMatch(/burn|furious|damp/);

    const urgent = emails.filter(
      (email) =>
        email.destination.to.includes('managers@council.example') &&
        email.subject === `URGENT — safeguarding concern: ${reference}`,
    );
    expect(urgent).toHaveLength(1);
    expect(urgent[0]?.body.text).toContain(defaultSafeguardingGuidance.split('\n')[0]);
    expect(urgent[0]?.body.text).not.toContain('burn');
  }, 60_000);

  it('"I could kill for a cup of tea" raises nothing', async () => {
    await transport().sendMail({
      from: 'thirsty.writer@example.org',
      to: 'customer.services@council.example',
      subject: 'Thanks for fixing the boiler',
      text: 'All sorted, thank you. I could kill for a cup of tea now it is warm again.',
    });
    await settle();
    const forward = (await storedEmails(stack.urls.ses)).find((email) =>
      email.subject.includes('Thanks for fixing the boiler'),
    );
    const reference = /^\[([A-Z0-9-]+)\]/.exec(forward?.subject ?? '')?.[1];
    expect(reference).toBeDefined();
    expect(forward?.body.text).not.toContain('CONTENT FLAGS');
    const concerns = stack.events
      .published()
      .filter((e) => (e.event.detail as { reference?: string }).reference === reference)
      .filter((e) => /Abusive|Safeguarding/.test(e.event['detail-type']));
    expect(concerns).toEqual([]);
  }, 60_000);
});
