import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactLedger } from '../../lambdas/adapters/dynamodb/contact-ledger';
import type { ContactRecord } from '../../lambdas/core/contact';
import { readCustomer } from '../../lambdas/core/register';
import { type ConsoleUnderTest, htmlOf, startConsole, textOf, visit } from '../helpers/console-pages';
import { seedRegister } from '../helpers/console-seed';

/**
 * The console's pages on a seeded register (dynalite, real core use cases): what each role sees,
 * the forms that change a restriction, the register's filters and CSV, alerts and contacts.
 */
let c: ConsoleUnderTest;
let jordan: string;
beforeAll(async () => {
  c = await startConsole();
  ({
    jordan: { id: jordan },
  } = await seedRegister(c));
});
afterAll(async () => c.stop());

const restrictionOf = async (type: string) =>
  (await readCustomer(jordan, c.register)).restrictions.find(
    (r) => r.type === type && r.status !== 'lifted',
  )!;
const dates = (field: string, d: string, m: string, y: string) => ({
  [`${field}-day`]: d,
  [`${field}-month`]: m,
  [`${field}-year`]: y,
});

describe('the customer page', () => {
  it('shows a manager the restrictions with London days, the timeline, letters, contacts, alerts and audit', async () => {
    const text = textOf(htmlOf(await visit(c.deps, 'service-manager', 'GET', `/staff/customers/${jordan}`)));
    expect(text).toContain('Jordan Example Restricted (7.3)');
    expect(text).toContain('07700 900123');
    expect(text).toContain('Vulnerability: Lives alone');
    expect(text).toContain('Cllr Ann Smith , Ward councillor');
    // An end stored as the midnight after 19 April 2027 is shown as its last day.
    expect(text).toContain('Last day 19 April 2027');
    expect(text).toContain('Calls taken Tuesday, Thursday, 10am to 12 noon, at most 20 minutes a call');
    expect(text).toContain('limits email contact, which a recorded reasonable adjustment relies on');
    expect(text).toMatch(/Warning given \(7\.2\.1\) 16 March 2026 · Sam Manager · by phone/);
    expect(text).toContain('Past restrictions (1)');
    expect(text).toContain('CS-7K3F-9Q2M-X1');
    expect(text).toContain('12 contacts in 7 days (4.2.7)');
    expect(text).toContain('Restriction lifted Sam Manager Meetings now take place by video.');
    expect(text).toContain('Impose a restriction');
    expect(text).toContain('Acknowledge clash');
    // Nothing to advise about a restriction that was lifted.
    expect(text).not.toMatch(
      /Record advice[^.]*Personal contact only with a witness present \(7\.3\.6\) Lifted/,
    );
  });

  it('shows an officer what to observe, without the buttons that change the register, letters or audit', async () => {
    const html = htmlOf(await visit(c.deps, 'officer', 'GET', `/staff/customers/${jordan}`));
    const text = textOf(html);
    expect(text).toContain('Contact with one named officer only (7.3.4) In force');
    expect(text).toContain('CS-7K3F-9Q2M-X1');
    for (const hidden of [
      'Impose a restriction',
      'Record an escalation step',
      'Audit trail',
      'Letters (8.1)',
    ]) {
      expect(text).not.toContain(hidden);
    }
    for (const action of [
      '/extend"',
      '/lift"',
      '/review"',
      '/advised"',
      '/acknowledge-conflicts"',
      '/restrictions/new',
      '/escalation"',
    ]) {
      expect(html).not.toContain(action);
    }
    expect(html).not.toContain('href="/staff/alerts/');
    // The navigation offers only what an officer may open.
    expect(html).not.toContain('href="/staff/alerts"');
    expect(html).not.toContain('href="/staff/reviews"');
  });

  it('escapes what staff typed: a name with markup is shown as text, in tables and headings alike', async () => {
    const { registerCustomer } = await import('../../lambdas/core/register');
    const { customer } = await registerCustomer(
      { name: '<img src=x onerror=alert(1)> Sam', emails: ['markup@example.org'] },
      'test',
      c.register,
    );
    const page = htmlOf(await visit(c.deps, 'officer', 'GET', `/staff/customers/${customer.id}`));
    const found = htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/customers?q=markup%40example.org'));
    for (const html of [page, found]) {
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Sam');
    }
  });

  it('answers 404 for a customer not in the register', async () => {
    expect(await visit(c.deps, 'officer', 'GET', '/staff/customers/cus_NOBODY')).toMatchObject({
      kind: 'page',
      status: 404,
    });
  });
});

describe('changing a restriction', () => {
  it('acknowledges a clash with a reason; the warning leaves the page', async () => {
    const restriction = await restrictionOf('no-email-letter-only');
    const url = `/staff/restrictions/${restriction.id}/acknowledge-conflicts`;
    const empty = await visit(c.deps, 'service-manager', 'POST', url, { by: 'Sam Manager' });
    expect(htmlOf(empty)).toContain('href="#reason">Enter how the adjustment will still be met</a>');
    const done = await visit(c.deps, 'service-manager', 'POST', url, {
      reason: 'Letters in large print are also emailed to the named officer, who reads them out on request.',
      by: 'Sam Manager',
    });
    expect(done).toMatchObject({
      kind: 'redirect',
      location: `/staff/customers/${jordan}?done=acknowledged#restriction-${restriction.id}`,
    });
    expect((await restrictionOf('no-email-letter-only')).conflictsAcknowledged?.by).toBe('Sam Manager');
  });

  it('refuses an extension that does not go past the current end, naming the field in words', async () => {
    const restriction = await restrictionOf('phone-hours');
    const response = await visit(
      c.deps,
      'service-manager',
      'POST',
      `/staff/restrictions/${restriction.id}/extend`,
      {
        ...dates('endsAt', '1', '1', '2027'),
        reason: 'Contact continued.',
        decidedBy: 'Sam Manager',
      },
    );
    expect(response).toMatchObject({ status: 400 });
    expect(textOf(htmlOf(response))).toContain('New last day must be after the current end');
  });

  it('records advice dates (12.1.4) and then shows them', async () => {
    const restriction = await restrictionOf('phone-hours');
    const done = await visit(
      c.deps,
      'service-manager',
      'POST',
      `/staff/restrictions/${restriction.id}/advised`,
      {
        ...dates('customerAdvisedAt', '22', '4', '2026'),
        how: 'letter sent first class',
        ...dates('servicesAdvisedAt', '23', '4', '2026'),
      },
    );
    expect(done).toMatchObject({ kind: 'redirect' });
    const text = textOf(
      htmlOf(await visit(c.deps, 'service-manager', 'GET', `/staff/customers/${jordan}?done=advised`)),
    );
    expect(text).toContain('Advice dates recorded (12.1.4).');
    expect(text).toContain('Customer advised (12.1.4) 22 April 2026, letter sent first class');
  });

  it('lifts a restriction and writes the letter', async () => {
    const restriction = await restrictionOf('single-named-officer');
    const lettersBefore = (await c.register.store.listLetters(jordan)).length;
    const done = await visit(
      c.deps,
      'service-manager',
      'POST',
      `/staff/restrictions/${restriction.id}/lift`,
      {
        reason: 'Contact has been reasonable for three months.',
        decidedBy: 'Sam Manager',
      },
    );
    expect(done).toMatchObject({ kind: 'redirect' });
    expect(await c.register.store.listLetters(jordan)).toHaveLength(lettersBefore + 1);
  });
});

describe('escalation (7.2)', () => {
  it('asks why a step was left out', async () => {
    const { customer } = await import('../../lambdas/core/register').then((m) =>
      m.registerCustomer({ name: 'Quinn New', emails: ['quinn@example.org'] }, 'test', c.register),
    );
    const response = await visit(
      c.deps,
      'service-manager',
      'POST',
      `/staff/customers/${customer.id}/escalation`,
      {
        step: 'written-notice',
        how: 'letter',
        by: 'Sam Manager',
      },
    );
    expect(response).toMatchObject({ status: 400 });
    expect(htmlOf(response)).toContain(
      'href="#skipReason">Give the reason the earlier step was left out, or record that step first</a>',
    );
  });
});

describe('the register, reviews, search, alerts and contacts', () => {
  it('filters the register and downloads the same rows as CSV', async () => {
    const text = textOf(
      htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/register?status=review-overdue')),
    );
    expect(text).toContain('Review overdue: 1 restriction');
    expect(text).toContain('Riley Sample');
    expect(text).not.toContain('Jordan Example');
    const csv = await visit(c.deps, 'officer', 'GET', '/staff/register?status=review-overdue&format=csv');
    if (csv.kind !== 'file') throw new Error('expected a file');
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Riley Sample');
  });

  it('lists reviews overdue and due soon with links to act', async () => {
    const html = htmlOf(await visit(c.deps, 'service-manager', 'GET', '/staff/reviews'));
    const text = textOf(html);
    expect(text).toMatch(/Overdue Customer .* Riley Sample/);
    expect(text).toMatch(/Due in the next 14 days .* Casey Demo/);
    expect(html).toMatch(/href="\/staff\/restrictions\/res_[^"]+\/review"/);
  });

  it('finds a customer by phone written another way, and says what matched', async () => {
    const text = textOf(
      htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/customers?q=%2B44%207700%20900123')),
    );
    expect(text).toContain('1 customer matches');
    expect(text).toMatch(/Jordan Example AL10 0ZZ Phone/);
  });

  it("finds the customer a letter went to by the letter's reference, as they read it out on the phone", async () => {
    const [letter] = await c.register.store.listLetters(jordan);
    expect(letter).toBeDefined();
    const spoken = letter!.reference.replaceAll('-', ' ').toLowerCase();
    const html = htmlOf(
      await visit(c.deps, 'officer', 'GET', `/staff/customers?q=${encodeURIComponent(spoken)}`),
    );
    const text = textOf(html);
    expect(text).toContain(`Letter ${letter!.reference} has this reference.`);
    expect(text).toMatch(/Jordan Example AL10 0ZZ Letter reference/);
    expect(html).toContain(`href="/staff/letters/${letter!.id}"`);
  });

  it('closes an alert with an outcome, asking for one first', async () => {
    const alert = c.alerts[0]!;
    const empty = await visit(c.deps, 'service-manager', 'POST', `/staff/alerts/${alert.alertId}`, {
      by: 'Sam Manager',
    });
    expect(htmlOf(empty)).toContain('href="#outcome">Select the outcome</a>');
    const done = await visit(c.deps, 'service-manager', 'POST', `/staff/alerts/${alert.alertId}`, {
      outcome: 'no-action',
      by: 'Sam Manager',
      note: 'New matter about council tax.',
    });
    expect(done).toMatchObject({ kind: 'redirect', location: '/staff/alerts?done=alert-closed' });
    const closed = textOf(
      htmlOf(await visit(c.deps, 'service-manager', 'GET', '/staff/alerts?status=closed')),
    );
    expect(closed).toContain('No action needed');
  });

  it('shows a screened contact: where it went and why, with clauses', async () => {
    const text = textOf(htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/contacts/CS-7K3F-9Q2M-X1')));
    expect(text).toContain('Sent to Named officer (7.3.4): casework.officer@council.example');
    expect(text).toContain('7.3.4 Only the named officer deals with this customer.');
    expect(text).toContain('Jordan Example');
  });

  it("shows the content flags of a contact, without its words, and tags it in the customer's contact log", async () => {
    const flagged: ContactRecord = {
      ...(c.contacts.get('CS-7K3F-9Q2M-X1') as ContactRecord),
      reference: 'CS-7K3F-9Q2M-X3',
      sourceId: 'source-flagged',
      receivedAt: '2026-05-31T18:00:00.000Z',
      signals: {
        detectorVersion: 'in-process/1.1.0',
        flags: [
          {
            category: 'threat',
            confidence: 0.9,
            clauses: ['3.2.3', '3.3', '6.1'],
            evidence: [{ ruleId: 'threat.arson-or-bomb', sourceStart: 57, sourceEnd: 85 }],
          },
        ],
      },
    };
    const ledger = new DynamoContactLedger(c.table.documentClient, c.table.tableName);
    await ledger.claim(flagged.reference, flagged.receivedAt, '2099-01-01T00:00:00.000Z');
    await ledger.complete(flagged);

    const page = textOf(htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/contacts/CS-7K3F-9Q2M-X3')));
    expect(page).toMatch(
      /Content flags .*Threat 0\.90 3\.2\.3, 3\.3, 6\.1 characters 57–85 \(threat\.arson-or-bomb\)/,
    );
    expect(page).toContain('Detector in-process/1.1.0');
    const plain = textOf(htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/contacts/CS-7K3F-9Q2M-X1')));
    expect(plain).not.toContain('Content flags');

    const customer = htmlOf(await visit(c.deps, 'officer', 'GET', `/staff/customers/${jordan}`));
    expect(textOf(customer)).toContain("1 contact's words were flagged");
    expect(customer).toMatch(
      /CS-7K3F-9Q2M-X3<\/a><br><strong class="govuk-tag govuk-tag--red">Threat<\/strong>/,
    );
  });

  it('puts what needs attention on the home page, with links to act', async () => {
    const html = htmlOf(await visit(c.deps, 'service-manager', 'GET', '/staff/'));
    const text = textOf(html);
    expect(text).toContain('Reviews due or overdue');
    expect(text).toMatch(/Riley Sample .* Overdue since 1 May 2026/);
    expect(text).toMatch(/Casey Demo .* Before it ends 5 June 2026/);
    expect(text).toMatch(/Starting in the next 7 days .* Morgan Test .* 4 June 2026/);
    expect(html).toMatch(/href="\/staff\/restrictions\/res_[^"]+\/advised"/);
    // An officer sees the same lists, without alerts to handle or links to act.
    const officer = htmlOf(await visit(c.deps, 'officer', 'GET', '/staff/'));
    expect(textOf(officer)).toContain('Riley Sample');
    expect(textOf(officer)).not.toContain('New frequency alerts');
    expect(officer).not.toContain('>Action<');
    expect(officer).not.toMatch(/href="\/staff\/restrictions\//);
  });
});
