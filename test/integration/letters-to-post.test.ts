import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { adminRequests, startAdminApi } from '../helpers/admin-api';
import type { TestTable } from '../helpers/dynalite';
import type { HttpHandler } from '../helpers/http-events';
import { pdfText } from '../helpers/pdf-text';

/**
 * Informing letters a council posts (8.1), through the admin API on dynalite: a short reference a
 * customer can read out on the phone, which finds the letter; the named officer's name and telephone
 * (7.3.4); and a warning, with the letter marked, when there is no postal address to send it to.
 */
const token = 'test-admin-token-letters-0123456789';
let table: TestTable;
let handler: HttpHandler;

beforeAll(async () => {
  ({ table, handler } = await startAdminApi(token));
});
afterAll(async () => table.stop());

const { post, get, send } = adminRequests(() => handler, token);
const referenceShape = /^LT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

let people = 0;
async function aWarnedCustomer(details: Record<string, unknown>) {
  people += 1;
  const created = await post('/admin/customers', {
    name: `Lee Letters${people}`,
    emails: [`lee.letters${people}@example.org`],
    ...details,
  });
  expect(created.statusCode).toBe(201);
  const id = created.json.id as string;
  for (const step of [
    { step: 'concern-raised', by: 'Team Leader' },
    { step: 'warning-given', how: 'email', by: 'Sam Manager' },
  ]) {
    expect((await post(`/admin/customers/${id}/escalation`, step)).statusCode).toBe(201);
  }
  return id;
}

const namedOfficer = (customerId: string, extra: Record<string, unknown> = {}) =>
  post('/admin/restrictions', {
    customerId,
    type: 'single-named-officer',
    namedOfficer: 'casework.officer@council.example',
    reason: 'Calls to many officers about one closed complaint (4.2.7, 4.2.13)',
    decidedBy: 'Sam Manager, Service Manager',
    startsAt: '2026-01-01',
    endsAt: '2099-12-31',
    ...extra,
  });

describe('the reference a letter prints', () => {
  it('is short, printed in place of the id, and finds the letter however it is typed', async () => {
    const id = await aWarnedCustomer({ address: '1 Post Road, Exampleton', postcode: 'AL10 0ZZ' });
    const imposed = await namedOfficer(id);
    expect(imposed.statusCode).toBe(201);
    const { id: letterId, reference } = imposed.json.letter as { id: string; reference: string };
    expect(letterId).toMatch(/^let_/); // the full id stays in the admin API
    expect(reference).toMatch(referenceShape);

    const text = (await get(`/admin/letters/${letterId}?format=text`)).body ?? '';
    expect(text).toContain(`Our reference: ${reference}`);
    expect(text).toContain(`Please quote our reference, ${reference}.`);
    expect(text).not.toContain(letterId);

    // A customer reads it out on the phone; an officer types it as heard.
    const typed = reference.toLowerCase().replace(/-/g, '');
    const found = await get(`/admin/letters/${typed}`);
    expect(found.statusCode).toBe(200);
    expect(found.json).toMatchObject({ id: letterId, reference, postable: true });
    const pdf = await get(`/admin/letters/${reference}?format=pdf`);
    expect(pdf.headers?.['content-disposition']).toBe(`inline; filename="${reference}.pdf"`);
    expect((await get('/admin/letters/LT-0000-0000')).statusCode).toBe(404);

    const listed = await get(`/admin/customers/${id}/letters`);
    expect(listed.json.letters).toEqual([
      expect.objectContaining({ id: letterId, reference, postable: true }),
    ]);
  });

  it('reads a letter stored before references existed by its id, printed as its reference', async () => {
    const id = await aWarnedCustomer({ address: '2 Post Road, Exampleton' });
    const letter = {
      id: 'let_01JOLDLETTER0000000000000',
      customerId: id,
      restrictionId: 'res_old',
      kind: 'restriction-imposed',
      subject: 'An older letter',
      createdAt: '2026-01-01T10:00:00.000Z',
      createdBy: 'Sam Manager',
      html: '<p>old</p>',
      text: 'old',
      pdf: new Uint8Array([0x25, 0x50, 0x44, 0x46]),
    };
    const put = (Item: Record<string, unknown>) =>
      table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));
    await put({ PK: keys.customer(id), SK: keys.letterSk(letter.id), entity: 'letter', ...letter });
    await put({
      PK: keys.idPointer(letter.id),
      SK: keys.idPointerSk,
      customerId: id,
      sk: keys.letterSk(letter.id),
    });

    const read = await get(`/admin/letters/${letter.id}`);
    expect(read.json).toMatchObject({ id: letter.id, reference: letter.id, postable: true });
  });
});

describe("the named officer's name and telephone (7.3.4)", () => {
  it('are recorded with the restriction and written into the letter', async () => {
    const id = await aWarnedCustomer({ address: '3 Post Road, Exampleton', postcode: 'AL10 0ZZ' });
    const imposed = await namedOfficer(id, {
      namedOfficerName: 'Casey Officer',
      namedOfficerPhone: '01707 357123',
    });
    expect(imposed.statusCode).toBe(201);
    expect(imposed.json).toMatchObject({
      namedOfficerName: 'Casey Officer',
      namedOfficerPhone: '01707 357123',
    });
    expect((await get(`/admin/restrictions/${imposed.json.id}`)).json.namedOfficerPhone).toBe('01707 357123');

    const pdf = await get(`/admin/letters/${imposed.json.letter.id}?format=pdf`);
    const { text } = await pdfText(new Uint8Array(Buffer.from(pdf.body ?? '', 'base64')));
    expect(text).toContain('Casey Officer (casework.officer@council.example, telephone 01707 357123)');
    expect(text).toContain(
      'please contact Casey Officer, at casework.officer@council.example or by telephone',
    );

    const tooLong = await namedOfficer(await aWarnedCustomer({ address: 'x' }), {
      namedOfficerPhone: '0'.repeat(51),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json.errors).toContainEqual({ field: 'namedOfficerPhone', problem: expect.any(String) });
  });
});

describe('a customer with no postal address (8.1)', () => {
  it('imposes, keeps the letter marked as not postable and says so; with an address, the next letter is', async () => {
    const id = await aWarnedCustomer({ postcode: 'AL10 0ZZ' }); // a postcode alone is not an address
    const imposed = await namedOfficer(id);
    expect(imposed.statusCode).toBe(201);
    expect(imposed.json.letter).toMatchObject({
      postable: false,
      reference: expect.stringMatching(referenceShape),
    });
    expect(imposed.json.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^No postal address is recorded for this customer, so letter ${imposed.json.letter.reference} was written without one and cannot be posted`,
        ),
      ),
    ]);
    expect(imposed.json.warnings[0]).toContain(`POST /admin/restrictions/${imposed.json.id}/advised`);
    expect((await get(`/admin/letters/${imposed.json.letter.id}`)).json.postable).toBe(false);

    const moved = await send('PATCH', `/admin/customers/${id}`, {
      address: '4 Post Road, Exampleton',
      why: 'Address given by phone',
    });
    expect(moved.statusCode).toBe(200);
    const extended = await post(`/admin/restrictions/${imposed.json.id}/extend`, {
      endsAt: '2100-06-30',
      reason: 'Contact continued (10.1)',
      decidedBy: 'Sam Manager, Service Manager',
    });
    expect(extended.statusCode).toBe(200);
    expect(extended.json.letter.postable).toBe(true);
    expect(extended.json.warnings).toEqual([]);
  });

  it('warns when lifting writes a letter that cannot be posted', async () => {
    const id = await aWarnedCustomer({});
    const imposed = await namedOfficer(id);
    const lifted = await post(`/admin/restrictions/${imposed.json.id}/lift`, {
      reason: 'Reviewed: no longer needed',
      decidedBy: 'Sam Manager, Service Manager',
    });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json.letter).toMatchObject({ kind: 'restriction-lifted', postable: false });
    expect(lifted.json.warnings).toEqual([expect.stringContaining('cannot be posted')]);
  });
});
