import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCustomer } from '../../lambdas/core/register';
import { type ConsoleUnderTest, htmlOf, startConsole, textOf, visit } from '../helpers/console-pages';

/**
 * The console's incident pages and the letters before a restriction, on dynalite with the real use
 * cases: who may record, the form's problems in words, the incident on the customer's timeline with
 * the suggested next step (a link, never an action: P2), and a letter drafted, edited and sent.
 */
let c: ConsoleUnderTest;
let customerId: string;

beforeAll(async () => {
  c = await startConsole();
  const registered = await registerCustomer(
    {
      name: 'Casey <b>Console</b>',
      address: '3 Mill Lane, Hatfield',
      postcode: 'AL10 0ZZ',
      emails: ['casey@example.org'],
    },
    'test',
    c.register,
  );
  customerId = registered.customer.id;
}, 60_000);
afterAll(async () => c.stop());

const callForm = (overrides: Record<string, string | string[]> = {}) => ({
  idempotencyKey: 'console-form-1',
  kind: 'call-terminated',
  channel: 'telephone',
  what: 'Caller became abusive after being told the decision',
  answers: ['warningGiven'],
  recordedBy: 'Olive Officer',
  ...overrides,
});

describe('recording an incident', () => {
  it('an officer records a terminated call from the customer page; it lands on the timeline with a suggestion', async () => {
    const form = htmlOf(
      await visit(c.deps, 'officer', 'GET', `/staff/customers/${customerId}/incidents/new`),
    );
    expect(form).toContain('name="csrfToken"');
    expect(form).toMatch(/name="idempotencyKey" value="console-[0-9a-f-]{36}"/);
    expect(textOf(form)).toContain('Call terminated');
    expect(textOf(form)).toContain('Policy 5.3, 5.4.1, 5.4.2');

    const posted = await visit(
      c.deps,
      'officer',
      'POST',
      `/staff/customers/${customerId}/incidents/new`,
      callForm(),
    );
    expect(posted.kind).toBe('redirect');
    const location = (posted as { location: string }).location;
    expect(location).toMatch(/^\/staff\/incidents\/inc_[0-9a-f]{26}\?done=incident-recorded$/);
    // The same form sent again records nothing new (P6).
    const again = await visit(
      c.deps,
      'officer',
      'POST',
      `/staff/customers/${customerId}/incidents/new`,
      callForm(),
    );
    expect((again as { location: string }).location).toBe(location);
    expect(c.published.filter((e) => e.detailType === 'IncidentRecorded')).toHaveLength(1);
    expect(c.published[0]?.detail).toMatchObject({
      kind: 'call-terminated',
      warningGiven: true,
      staffProtectionReferral: false,
    });

    const page = textOf(htmlOf(await visit(c.deps, 'officer', 'GET', location)));
    expect(page).toContain('Incident recorded as a file note');
    expect(page).toContain('Caller became abusive after being told the decision');
    expect(page).toContain('The customer was warned first that it would end (5.4.1) Yes');
    expect(page).toContain('Suggested next: ask the customer to moderate their behaviour (7.2.1)');
    const html = htmlOf(await visit(c.deps, 'officer', 'GET', location));
    expect(html).toContain(`href="/staff/customers/${customerId}/escalation?step=warning-given"`);
    // An officer cannot write letters: no button.
    expect(html).not.toContain('step-letters');

    const customerPage = htmlOf(await visit(c.deps, 'officer', 'GET', `/staff/customers/${customerId}`));
    expect(textOf(customerPage)).toContain('Call terminated (5.3, 5.4.1, 5.4.2)');
    expect(customerPage).toContain('Casey &lt;b&gt;Console&lt;/b&gt;');
    expect(customerPage).toContain(`/staff/customers/${customerId}/incidents/new`);

    // The suggestion opens the escalation form with the step chosen; nothing is recorded until a manager does.
    const escalation = htmlOf(
      await visit(
        c.deps,
        'service-manager',
        'GET',
        `/staff/customers/${customerId}/escalation?step=warning-given`,
      ),
    );
    expect(escalation).toMatch(/value="warning-given"\s+checked/);
  });

  it('says what is missing in words, and keeps what was typed', async () => {
    const response = await visit(c.deps, 'officer', 'POST', `/staff/customers/${customerId}/incidents/new`, {
      idempotencyKey: 'console-form-2',
      kind: 'call-terminated',
      channel: 'email',
      what: '',
      recordedBy: 'Olive Officer',
    });
    expect(response.kind === 'page' && response.status).toBe(400);
    const text = textOf(htmlOf(response));
    expect(text).toContain('There is a problem');
    expect(text).toContain('Enter what happened');
  });

  it('records an incident on someone not in the register from Home', async () => {
    const home = htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/'));
    expect(home).toContain('href="/staff/incidents/new"');
    const response = await visit(c.deps, 'officer', 'POST', '/staff/incidents/new', {
      idempotencyKey: 'console-form-3',
      'caller.name': 'Unnamed Caller',
      'caller.phone': '07700 900555',
      kind: 'threat-to-staff',
      channel: 'telephone',
      what: 'Said they would come to the office and hurt someone',
      answers: ['policeInformed', 'staffProtectionReferral'],
      recordedBy: 'Olive Officer',
    });
    expect(response.kind).toBe('redirect');
    const page = textOf(
      htmlOf(await visit(c.deps, 'officer', 'GET', (response as { location: string }).location)),
    );
    expect(page).toContain('Unnamed Caller, 07700 900555');
    expect(page).toContain('urgent safeguarding concern');
    expect(page).toContain('The person is not in the register');
    const types = c.published.map((e) => e.detailType);
    expect(types.filter((t) => t === 'SafeguardingConcernRaised')).toHaveLength(1);
  });

  it('an unknown caller without a usable identity is refused with the reason', async () => {
    const response = await visit(
      c.deps,
      'officer',
      'POST',
      '/staff/incidents/new',
      callForm({ idempotencyKey: 'console-form-4', 'caller.name': 'Only A Name' }),
    );
    expect(response.kind === 'page' && response.status).toBe(400);
    expect(textOf(htmlOf(response))).toContain(
      'give a phone number, an email address, or a name with a UK postcode',
    );
  });

  it('answers 404 for an incident that is not there', async () => {
    const response = await visit(c.deps, 'officer', 'GET', '/staff/incidents/inc_00000000000000000000000000');
    expect(response.kind === 'page' && response.status).toBe(404);
  });
});

describe('the letters before a restriction in the console', () => {
  it('a manager writes the 5.9 letter from abusive correspondence, edits it, sends it; then it cannot change', async () => {
    const recorded = await visit(c.deps, 'officer', 'POST', `/staff/customers/${customerId}/incidents/new`, {
      idempotencyKey: 'console-form-5',
      kind: 'abusive-correspondence',
      channel: 'letter',
      what: 'Letter calling the officer names',
      recordedBy: 'Olive Officer',
    });
    const incidentPath = (recorded as { location: string }).location.split('?')[0]!;
    const incidentId = incidentPath.split('/').at(-1)!;
    const asManager = htmlOf(await visit(c.deps, 'service-manager', 'GET', incidentPath));
    expect(asManager).toContain(`action="/staff/customers/${customerId}/step-letters"`);
    expect(asManager).toContain('value="tone-unacceptable"');

    // An officer may not write one.
    const refused = await visit(c.deps, 'officer', 'POST', `/staff/customers/${customerId}/step-letters`, {
      incidentId,
      kind: 'tone-unacceptable',
    });
    expect(refused.kind === 'page' && refused.status).toBe(403);

    const drafted = await visit(
      c.deps,
      'service-manager',
      'POST',
      `/staff/customers/${customerId}/step-letters`,
      {
        incidentId,
        kind: 'tone-unacceptable',
      },
    );
    expect(drafted.kind).toBe('redirect');
    const letterPath = (drafted as { location: string }).location;
    const draftPage = htmlOf(await visit(c.deps, 'service-manager', 'GET', letterPath));
    expect(draftPage).toContain('name="body"');
    expect(draftPage).toContain('name="revision" value="0"');
    expect(textOf(draftPage)).toContain('The tone of your correspondence');
    expect(textOf(draftPage)).toContain('We have received your letter of 1 June 2026');

    const saved = await visit(c.deps, 'service-manager', 'POST', letterPath, {
      subject: 'The tone of your letter',
      body: 'First paragraph.\n\nSecond paragraph, with <markup>.',
      signedBy: 'Sam Manager',
      revision: '0',
    });
    expect((saved as { location: string }).location).toBe(`${letterPath}?done=letter-saved`);
    // A save on the old revision is a conflict, shown on the page.
    const stale = await visit(c.deps, 'service-manager', 'POST', letterPath, {
      subject: 'Other',
      body: 'Other.',
      signedBy: 'Sam Manager',
      revision: '0',
    });
    expect(stale.kind === 'page' && stale.status).toBe(409);

    const sendMissing = await visit(c.deps, 'service-manager', 'POST', `${letterPath}/sent`, {
      sentBy: 'Sam Manager',
    });
    expect(sendMissing.kind === 'page' && sendMissing.status).toBe(400);
    expect(textOf(htmlOf(sendMissing))).toContain('Select how it was sent');
    const sent = await visit(c.deps, 'service-manager', 'POST', `${letterPath}/sent`, {
      how: 'post',
      sentBy: 'Sam Manager',
    });
    expect((sent as { location: string }).location).toBe(`${letterPath}?done=letter-sent`);

    const sentPage = htmlOf(await visit(c.deps, 'service-manager', 'GET', `${letterPath}?done=letter-sent`));
    expect(sentPage).not.toContain('name="body"');
    expect(textOf(sentPage)).toContain('Sent by post');
    expect(sentPage).toContain('Second paragraph, with &lt;markup&gt;.');
    const late = await visit(c.deps, 'service-manager', 'POST', letterPath, {
      subject: 'Too late',
      body: 'Changed.',
      signedBy: 'Sam Manager',
      revision: '2',
    });
    expect(late.kind === 'page' && late.status).toBe(409);
    const pdf = await visit(c.deps, 'service-manager', 'GET', `${letterPath}?format=pdf`);
    expect(pdf.kind === 'file' && pdf.contentType).toBe('application/pdf');

    const customerPage = textOf(
      htmlOf(await visit(c.deps, 'service-manager', 'GET', `/staff/customers/${customerId}`)),
    );
    expect(customerPage).toContain('Letters before a restriction');
    expect(customerPage).toMatch(
      /The tone of your letter Tone of correspondence unacceptable \(5\.9\) 1 June 2026 Sent/,
    );
    expect(customerPage).toContain('Letter sent');
  });

  it('offers a letter beside a recorded warning on the customer page', async () => {
    await visit(c.deps, 'service-manager', 'POST', `/staff/customers/${customerId}/escalation`, {
      step: 'concern-raised',
      by: 'Sam Manager',
    });
    await visit(c.deps, 'service-manager', 'POST', `/staff/customers/${customerId}/escalation`, {
      step: 'warning-given',
      how: 'letter',
      by: 'Sam Manager',
    });
    const html = htmlOf(await visit(c.deps, 'service-manager', 'GET', `/staff/customers/${customerId}`));
    expect(html).toMatch(/name="stepId" value="esc_[0-9A-Z]{26}"/);
    expect(textOf(html)).toContain('Write the letter for this step (draft)');
  });
});
