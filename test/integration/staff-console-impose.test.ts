import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCustomer, readRegister, registerCustomer } from '../../lambdas/core/register';
import { consolePages } from '../../lambdas/staff-console/pages/index';
import { type ConsoleUnderTest, htmlOf, startConsole, textOf, visit } from '../helpers/console-pages';
import { pdfText } from '../helpers/pdf-text';

/**
 * The impose form (7.3, 8.1, 8.2, 8.3) driven as a manager would, through the pages' handlers,
 * on the real register (dynalite): errors beside the fields, the check step, the letter.
 */
let console_: ConsoleUnderTest;
beforeAll(async () => {
  console_ = await startConsole();
});
afterAll(async () => console_.stop());

let people = 0;
async function aCustomer(extra: Record<string, unknown> = {}) {
  people += 1;
  const { customer } = await registerCustomer(
    {
      name: `Pat Person${people}`,
      address: `${people} Example Road, Exampleton`,
      postcode: 'AL10 0ZZ',
      emails: [`pat.person${people}@example.org`],
      ...extra,
    },
    'test',
    console_.register,
  );
  return customer.id;
}

const dates = (field: string, day: string, month: string, year: string) => ({
  [`${field}-day`]: day,
  [`${field}-month`]: month,
  [`${field}-year`]: year,
});

const namedOfficerForm = {
  namedOfficer: 'casework.officer@council.example',
  namedOfficerName: 'Casey Worker',
  reason: 'Daily calls to many officers about one closed complaint (4.2.7).',
  decidedBy: 'Sam Manager',
  ...dates('startsAt', '1', '6', '2026'),
  ...dates('endsAt', '31', '5', '2027'),
};

const imposeUrl = (customerId: string, type: string) =>
  `/staff/customers/${customerId}/restrictions/new?type=${type}`;

async function warn(customerId: string) {
  const steps: Record<string, string>[] = [
    { step: 'concern-raised', by: 'Team Leader', note: 'Daily calls about one complaint' },
    { step: 'warning-given', how: 'email', by: 'Sam Manager' },
  ];
  for (const step of steps) {
    const response = await visit(
      console_.deps,
      'service-manager',
      'POST',
      `/staff/customers/${customerId}/escalation`,
      step,
    );
    expect(response).toMatchObject({
      kind: 'redirect',
      location: `/staff/customers/${customerId}?done=step-recorded#escalation`,
    });
  }
}

describe('impose a restriction', () => {
  it('shows an error summary naming the missing fields, linked to them, and keeps what was typed', async () => {
    const id = await aCustomer();
    await warn(id);
    const response = await visit(
      console_.deps,
      'service-manager',
      'POST',
      imposeUrl(id, 'single-named-officer'),
      {
        namedOfficer: 'casework.officer@council.example',
        ...dates('startsAt', '1', '6', '2026'),
        ...dates('endsAt', '31', '', '2027'),
      },
    );
    expect(response).toMatchObject({ kind: 'page', status: 400 });
    const html = htmlOf(response);
    expect(html).toContain('govuk-error-summary');
    expect(html).toMatch(/<title>Error: /);
    expect(html).toContain('href="#reason">Enter why the restriction is needed</a>');
    expect(html).toContain('href="#decidedBy">Enter who decided</a>');
    expect(html).toContain('href="#endsAt-day">Last day must include a day, month and year</a>');
    // Values kept, and the error shown beside its field too.
    expect(html).toContain('value="casework.officer@council.example"');
    expect(html).toMatch(/name="endsAt-year"[^>]*value="2027"/);
    expect(html).toMatch(/id="reason-error"[\s\S]*Enter why the restriction is needed/);
    expect((await readCustomer(id, console_.register)).restrictions).toHaveLength(0);
  });

  it('checks first: the summary, the letter preview and the clashes; nothing is saved until confirmed', async () => {
    const id = await aCustomer({ adjustments: [{ channel: 'email', detail: 'dyslexia: email read aloud' }] });
    await warn(id);
    const check = await visit(
      console_.deps,
      'service-manager',
      'POST',
      imposeUrl(id, 'no-email-letter-only'),
      {
        designatedReader: 'reader@council.example',
        reason: 'Forty emails a week about one matter (4.2.7).',
        decidedBy: 'Sam Manager',
        ...dates('startsAt', '1', '6', '2026'),
        ...dates('endsAt', '30', '11', '2026'),
      },
    );
    const html = htmlOf(check);
    const text = textOf(html);
    expect(text).toContain('Check the restriction before imposing it');
    expect(text).toContain('limits email contact, which a recorded reasonable adjustment relies on');
    // The letter preview, worded as letters word the period: the last day, not the midnight after it.
    expect(text).toContain('Changes to how you can contact us: contact by letter instead of email');
    expect(text).toContain('until the end of 30 November 2026');
    expect(text).toMatch(/Last day 30 November 2026/);
    expect(html).toContain('name="confirm" value="yes"');
    expect(html).toContain('name="csrfToken" value="test-csrf-token"');
    expect((await readCustomer(id, console_.register)).restrictions).toHaveLength(0);

    const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(
      ([, n, v]) => [n, v],
    );
    const form = Object.fromEntries(hidden.filter(([name]) => name !== 'edit')) as Record<string, string>;
    const done = await visit(
      console_.deps,
      'service-manager',
      'POST',
      imposeUrl(id, 'no-email-letter-only'),
      {
        ...form,
        confirm: 'yes',
        acknowledgeConflicts: 'yes',
      },
    );
    expect(done).toMatchObject({ kind: 'redirect' });
    const [restriction] = (await readCustomer(id, console_.register)).restrictions;
    expect(restriction).toMatchObject({
      type: 'no-email-letter-only',
      designatedReader: 'reader@council.example',
    });
    expect(restriction?.conflictsAcknowledged?.by).toBe('Sam Manager');
    expect(done).toMatchObject({
      location: `/staff/customers/${id}?done=imposed#restriction-${restriction?.id}`,
    });
  });

  it('asks why there was no warning (8.3) when none is recorded', async () => {
    const id = await aCustomer();
    const form = htmlOf(
      await visit(console_.deps, 'service-manager', 'GET', imposeUrl(id, 'single-named-officer')),
    );
    expect(textOf(form)).toContain('No warning (7.2.1) or written notice (7.2.2) is recorded');
    const response = await visit(
      console_.deps,
      'service-manager',
      'POST',
      imposeUrl(id, 'single-named-officer'),
      namedOfficerForm,
    );
    expect(htmlOf(response)).toContain(
      'href="#withoutWarningReason">Enter why the customer was not warned first',
    );
  });

  it('refuses all contact only for a senior manager (8.2): a service manager gets 403 and nothing is stored', async () => {
    const id = await aCustomer();
    await warn(id);
    const form = {
      designatedReader: 'reader@council.example',
      seniorApprover: 'Sue Senior',
      reason: 'Abuse continued after every other restriction (8.2).',
      decidedBy: 'Sam Manager',
      ...dates('startsAt', '1', '6', '2026'),
      ...dates('endsAt', '31', '5', '2027'),
    };
    for (const method of ['GET', 'POST'] as const) {
      const refused = await visit(
        console_.deps,
        'service-manager',
        method,
        imposeUrl(id, 'all-contact-refused'),
        {
          ...form,
          confirm: 'yes',
        },
      );
      expect(refused).toMatchObject({ kind: 'page', status: 403 });
      expect(textOf(htmlOf(refused))).toContain('You need to be a senior manager');
    }
    expect((await readRegister(console_.register)).filter((r) => r.customerId === id)).toHaveLength(0);
    // The service manager's list of types leaves it out; the senior manager's has it.
    const choose = htmlOf(
      await visit(console_.deps, 'service-manager', 'GET', `/staff/customers/${id}/restrictions/new`),
    );
    expect(choose).not.toContain('type=all-contact-refused');
    const imposed = await visit(
      console_.deps,
      'senior-manager',
      'POST',
      imposeUrl(id, 'all-contact-refused'),
      {
        ...form,
        confirm: 'yes',
      },
    );
    expect(imposed).toMatchObject({ kind: 'redirect' });
    expect((await readCustomer(id, console_.register)).escalation.stage).toBe('all-contact-refused');
  });

  it('is a page an officer may not open (the shell answers 403 before it runs)', () => {
    const pages = consolePages.filter((page) => page.pattern === '/staff/customers/:id/restrictions/new');
    expect(pages.map((page) => [page.method, page.permission])).toEqual([
      ['GET', 'manage-restrictions'],
      ['POST', 'manage-restrictions'],
    ]);
  });

  it('goes from a warning to a restriction, its banner, its letter and the PDF', async () => {
    const id = await aCustomer();
    await warn(id);
    const imposed = await visit(
      console_.deps,
      'service-manager',
      'POST',
      imposeUrl(id, 'single-named-officer'),
      {
        ...namedOfficerForm,
        confirm: 'yes',
      },
    );
    if (imposed.kind !== 'redirect') throw new Error(htmlOf(imposed));
    const customer = htmlOf(await visit(console_.deps, 'service-manager', 'GET', imposed.location));
    const text = textOf(customer);
    expect(text).toContain('Restriction imposed.');
    expect(text).toContain('Contact with one named officer only (7.3.4) In force');
    expect(text).toContain('Last day 31 May 2027');
    expect(text).toContain('Casey Worker (casework.officer@council.example)');
    const letterHref = customer.match(/href="(\/staff\/letters\/let_[^"?]+)"/)?.[1];
    expect(letterHref).toBeDefined();
    const letter = htmlOf(await visit(console_.deps, 'service-manager', 'GET', letterHref!));
    expect(textOf(letter)).toContain(
      'Changes to how you can contact us: contact through one named member of staff',
    );
    const pdf = await visit(console_.deps, 'service-manager', 'GET', `${letterHref}?format=pdf`);
    if (pdf.kind !== 'file') throw new Error('expected the PDF');
    expect(pdf.contentType).toBe('application/pdf');
    const { text: pdfWords } = await pdfText(new Uint8Array(pdf.body as Buffer));
    expect(pdfWords).toContain(`Dear Pat Person${people}`);
    expect(pdfWords).toContain('Casey Worker');
  });

  it('warns before the letter is made when there is no postal address, and marks the letter (8.1)', async () => {
    const id = await aCustomer({ address: undefined });
    await warn(id);
    const form = { ...namedOfficerForm, namedOfficerPhone: '01707 357123' };
    const check = textOf(
      htmlOf(
        await visit(console_.deps, 'service-manager', 'POST', imposeUrl(id, 'single-named-officer'), form),
      ),
    );
    expect(check).toContain(
      'No postal address is recorded for this customer, so the letter will be written without one and cannot be posted',
    );
    expect(check).toContain("Named officer's telephone 01707 357123");
    expect(check).toContain('Casey Worker (casework.officer@council.example, telephone 01707 357123)');
    expect((await readCustomer(id, console_.register)).restrictions).toHaveLength(0);

    const imposed = await visit(
      console_.deps,
      'service-manager',
      'POST',
      imposeUrl(id, 'single-named-officer'),
      {
        ...form,
        confirm: 'yes',
      },
    );
    if (imposed.kind !== 'redirect') throw new Error(htmlOf(imposed));
    const customer = htmlOf(await visit(console_.deps, 'service-manager', 'GET', imposed.location));
    const letterHref = customer.match(/href="(\/staff\/letters\/let_[^"?]+)"/)?.[1];
    const letter = textOf(htmlOf(await visit(console_.deps, 'service-manager', 'GET', letterHref!)));
    expect(letter).toContain('This letter cannot be posted: no postal address was recorded');
    expect(letter).toMatch(/Reference LT-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(letter).toContain('Posting Cannot be posted: no postal address');

    const [restriction] = (await readCustomer(id, console_.register)).restrictions;
    const extend = textOf(
      htmlOf(
        await visit(console_.deps, 'service-manager', 'GET', `/staff/restrictions/${restriction?.id}/extend`),
      ),
    );
    expect(extend).toContain('so the letter will be written without one and cannot be posted');
  });
});
