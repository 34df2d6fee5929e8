import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack';
import { startTestStack } from '../helpers/local-stack';
import { type StoredEmail, storedEmails } from '../helpers/ses-emulator';

let stack: LocalStack;
let stopStack: () => Promise<void>;

beforeAll(async () => {
  ({ stack, stop: stopStack } = await startTestStack('contact-screening-frequency-'));
});
afterAll(async () => {
  await stopStack?.();
});

const transport = () =>
  createTransport({ host: '127.0.0.1', port: stack.ports.smtpPort, secure: false, ignoreTLS: true });

async function settle() {
  await stack.inbound.idle();
  await stack.form.idle();
  await stack.events.idle();
}

const alertsTo = async (manager: string) =>
  (await storedEmails(stack.urls.ses)).filter(
    (email: StoredEmail) => email.destination.to.includes(manager) && /frequency/i.test(email.subject),
  );

describe('frequency alerts end to end (npm start)', () => {
  it('six emails on one case reference over SMTP give exactly one alert email to the managers', async () => {
    for (let i = 1; i <= 6; i++) {
      await transport().sendMail({
        from: 'persistent.writer@example.org',
        to: 'customer.services@council.example',
        subject: `CMP-12345 — still no answer (${i})`,
        text: `This is message ${i} about my complaint CMP-12345.`,
      });
    }
    await settle();
    const alerts = await alertsTo('managers@council.example');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.text).toContain('CMP-12345');
    expect(alerts[0]?.body.text).toMatch(/\b5\b/);
    expect(alerts[0]?.body.text).toContain('7.2.1');

    const published = stack.events
      .published()
      .filter((e) => e.event['detail-type'] === 'ContactFrequencyThresholdExceeded');
    expect(published).toHaveLength(1);
    // The sixth contact's forward carries the count.
    const forwards = (await storedEmails(stack.urls.ses)).filter((email) => email.subject.includes('(6)'));
    expect(forwards[0]?.body.text).toContain('6th contact on CMP-12345 in 7 days');
  }, 60_000);

  it('the same complaint six times with small edits, by email and the web form, gives one alert naming the topic, count and channels', async () => {
    const texts = [
      'The street light outside 14 Mill Lane has been broken for three weeks and the pavement is completely dark at night.',
      'The street light outside 14 Mill Lane has been broken for four weeks now and the pavement is completely dark at night!',
      'Street light outside 14 Mill Lane still broken for three weeks, the pavement is completely dark at night. Please fix.',
    ];
    for (let i = 0; i < 3; i++) {
      await transport().sendMail({
        from: 'lamp.resident@example.org',
        to: 'customer.services@council.example',
        subject: 'Broken street light on Mill Lane',
        text: texts[i]!,
      });
      await settle();
      const response = await fetch(`${stack.urls.gateway}/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          name: 'Lamp Resident',
          email: 'lamp.resident@example.org',
          topic: 'Something else',
          subject: 'Broken street light on Mill Lane',
          message: `${texts[(i + 1) % 3]} (${i})`,
          consent: 'on',
        }),
      });
      expect(response.status).toBe(202);
    }
    await settle();
    const published = stack.events
      .published()
      .filter(
        (e) =>
          e.event['detail-type'] === 'ContactFrequencyThresholdExceeded' &&
          (e.event.detail as { window: string }).window === 'topic' &&
          !JSON.stringify(e.event.detail).includes('CMP-12345'),
      );
    expect(published).toHaveLength(1);
    const detail = published[0]?.event.detail as {
      count: number;
      channels: string[];
      topic: { how: string };
    };
    expect(detail.count).toBe(5);
    expect(detail.channels).toEqual(['email:customer.services@council.example', 'web-form']);
    const alerts = (await alertsTo('managers@council.example')).filter(
      (email) => !email.body.text?.includes('CMP-12345'),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.text).toMatch(/web form/i);
  }, 90_000);
});
