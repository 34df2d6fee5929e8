import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../helpers/local-stack';
import { pdfText } from '../helpers/pdf-text';
import { runRegisterCli } from '../helpers/register-cli';
import { storedEmails } from '../helpers/ses-emulator';

/**
 * The register in use, end to end: a manager using only `npm run register` takes a customer
 * from a first concern to a restriction with its letter (7.2, 7.3, 8.1); the customer's next
 * email goes to the named officer; the review comes due and managers hear of it (10.1).
 */
describe('a manager takes a customer from first concern to a restriction, and the review comes due', () => {
  let test: Awaited<ReturnType<typeof startTestStack>>;
  let env: Record<string, string>;
  const cli = async (...args: string[]) => {
    const result = await runRegisterCli(['--json', ...args], env);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout.trim().startsWith('{') ? JSON.parse(result.stdout) : result.stdout;
  };

  beforeAll(async () => {
    test = await startTestStack('contact-screening-journey-');
    env = { ADMIN_API_URL: test.stack.urls.gateway, ADMIN_TOKEN: test.stack.adminToken };
  });
  afterAll(async () => test?.stop());

  let customerId: string;
  let restrictionId: string;

  it('records the customer, the concern, the warning and the written notice (7.2)', async () => {
    const customer = await cli(
      'customer',
      'add',
      '--name',
      'Morgan Journey',
      '--email',
      'morgan.journey@example.org',
      '--address',
      '3 Sample Lane, Exampleton',
      '--postcode',
      'AL10 9ZZ',
    );
    customerId = customer.id;
    expect(customerId).toMatch(/^cus_/);
    await cli('escalate', customerId, '--step', 'concern-raised', '--by', 'Casey Officer');
    await cli('escalate', customerId, '--step', 'warning-given', '--how', 'email', '--by', 'Sam Manager');
    const notice = await cli(
      'escalate',
      customerId,
      '--step',
      'written-notice',
      '--how',
      'letter',
      '--by',
      'Sam Manager',
    );
    expect(notice.stage).toBe('written-notice');
  });

  it('restricts contact to one named officer, and the letter says why, what, how long and the review (8.1)', async () => {
    const restriction = await cli(
      'restrict',
      customerId,
      '--type',
      'single-named-officer',
      '--named-officer',
      'casework.officer@council.example',
      '--field',
      'namedOfficerName=Casey Officer',
      '--reason',
      'Daily emails to many officers about one closed complaint (4.2.7, 4.2.13)',
      '--decided-by',
      'Sam Manager, Service Manager',
      '--starts',
      '2026-01-01',
      '--ends',
      '2099-12-31',
      '--review',
      '2030-06-01',
    );
    restrictionId = restriction.id;
    expect(restriction).toMatchObject({ status: 'active', letter: { kind: 'restriction-imposed' } });

    const file = path.join(test.dataDir, 'letter.pdf');
    const written = await runRegisterCli(['letter', restriction.letter.id, '--pdf', file], env);
    expect(written.code, written.stderr).toBe(0);
    const { text } = await pdfText(new Uint8Array(await readFile(file)));
    expect(text).toContain('Morgan Journey');
    expect(text).toContain('Daily emails to many officers about one closed complaint');
    expect(text).toContain('Casey Officer');
    expect(text).toMatch(/1 January 2026/);
    expect(text).toMatch(/31 December 2099/);
    expect(text).toMatch(/1 June 2030/);
    expect(text).toContain('Ombudsman');

    const advised = await cli(
      'advised',
      restrictionId,
      '--customer',
      '2026-01-02',
      '--services',
      '2026-01-02',
    );
    expect(advised.customerAdvisedAt).toBe('2026-01-02T00:00:00.000Z');
    const shown = await cli('customer', 'show', customerId);
    expect(shown.escalation.stage).toBe('restricted');
  });

  it("routes the customer's next email to the named officer", async () => {
    const transport = createTransport({
      host: '127.0.0.1',
      port: test.stack.ports.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'Morgan Journey <morgan.journey@example.org>',
      to: 'customer.services@council.example',
      subject: 'About my complaint again',
      text: 'I am writing again about the same matter.',
    });
    transport.close();
    await test.stack.inbound.idle();
    const forwards = (await storedEmails(test.stack.urls.ses)).filter((email) =>
      email.subject.includes('About my complaint again'),
    );
    expect(forwards).toHaveLength(1);
    expect(forwards[0]?.destination.to).toEqual(['casework.officer@council.example']);
    expect(forwards[0]?.body.text).toContain('[7.3.4]');

    const contacts = await cli('contacts', customerId);
    expect(contacts.contacts).toEqual([
      expect.objectContaining({ route: 'named-officer', appliedRestrictionIds: [restrictionId] }),
    ]);
    // Subject access: the contact is in the export, with its full record.
    const exported = await cli('export', customerId);
    expect(exported.contacts).toHaveLength(1);
    expect(exported.contactRecords).toEqual([
      expect.objectContaining({
        reference: contacts.contacts[0].reference,
        route: 'named-officer',
        recipients: ['casework.officer@council.example'],
      }),
    ]);
  });

  it('brings the review due (10.1): an event, one digest to managers, and the events list shows it', async () => {
    // The daily review job, run as if on 20 May 2030: twelve days before the review date.
    const summary = await test.stack.runReview('2030-05-20T06:00:00.000Z');
    expect(summary).toMatchObject({ stages: { 'due-soon': 1 }, eventsPublished: 1, digest: 'sent' });
    const published = test.stack.events
      .published()
      .map((entry) => entry.event)
      .filter((event) => event['detail-type'] === 'RestrictionReviewDue');
    expect(published).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ restrictionId, customerId, stage: 'due-soon', clause: '7.3.4' }),
      }),
    ]);
    const digest = (await storedEmails(test.stack.urls.ses)).filter((email) =>
      email.destination.to.includes('managers@council.example'),
    );
    expect(digest).toHaveLength(1);
    expect(digest[0]?.body.text).toContain('Morgan Journey');

    // The same day again: nothing new is published or mailed.
    const again = await test.stack.runReview('2030-05-20T09:00:00.000Z');
    expect(again).toMatchObject({ eventsPublished: 0, digest: 'already-sent' });

    const events = await cli('events');
    expect(JSON.stringify(events)).toContain('RestrictionReviewDue');
  });
});
