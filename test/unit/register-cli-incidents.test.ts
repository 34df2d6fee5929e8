import { describe, expect, it } from 'vitest';
import { buildRequest, commandUsage, resolveCommand, UsageError } from '../../scripts/register/commands';

/** `npm run register -- incident add …` and the step-letter commands: each one admin API request. */
const noBody = () => {
  throw new Error('no --body expected');
};
const build = (command: string, ...args: string[]) => buildRequest(command, args, noBody);

describe('incident add', () => {
  it('builds POST /admin/incidents on a customer, the yes flags as true, the key as Idempotency-Key', () => {
    expect(resolveCommand(['incident', 'add', '--kind', 'x']).command).toBe('incident add');
    const request = build(
      'incident add',
      '--customer',
      'cus_1',
      '--kind',
      'call-terminated',
      '--channel',
      'telephone',
      '--what',
      'Abusive after a warning',
      '--warned',
      '--recorded-by',
      'Olive Officer',
      '--idempotency-key',
      'k-123',
    );
    expect(request).toEqual({
      method: 'POST',
      path: '/admin/incidents',
      query: {},
      body: {
        customerId: 'cus_1',
        kind: 'call-terminated',
        channel: 'telephone',
        what: 'Abusive after a warning',
        warningGiven: true,
        recordedBy: 'Olive Officer',
      },
      headers: { 'idempotency-key': 'k-123' },
    });
  });

  it('builds the caller of someone not in the register', () => {
    const request = build(
      'incident add',
      '--caller-phone',
      '07700 900777',
      '--caller-name',
      'Robin',
      '--kind',
      'threat-to-staff',
      '--channel',
      'telephone',
      '--what',
      'Threat',
      '--police',
      '--recorded-by',
      'O',
    );
    expect(request.body).toMatchObject({
      caller: { name: 'Robin', phone: '07700 900777' },
      policeInformed: true,
    });
    expect(request.headers).toBeUndefined();
  });

  it('refuses a customer and a caller together, and says what is missing', () => {
    expect(() =>
      build(
        'incident add',
        '--customer',
        'cus_1',
        '--caller-phone',
        '07700900777',
        '--kind',
        'violence',
        '--channel',
        'in-person',
        '--what',
        'x',
        '--recorded-by',
        'O',
      ),
    ).toThrow(UsageError);
    expect(() => build('incident add', '--customer', 'cus_1', '--kind', 'violence')).toThrow(
      /--channel, --what, --recorded-by/,
    );
    expect(commandUsage('incident add')).toContain('--staff-protection');
  });
});

describe('step-letter commands', () => {
  it('draft, edit, send and save a letter before a restriction', () => {
    expect(build('step-letter draft', 'cus_1', '--incident', 'inc_1', '--signed-by', 'Sam')).toMatchObject({
      method: 'POST',
      path: '/admin/customers/cus_1/step-letters',
      body: { incidentId: 'inc_1', signedBy: 'Sam' },
    });
    expect(
      build('step-letter edit', 'stl_1', '--paragraph', 'One.', '--paragraph', 'Two.', '--revision', '0'),
    ).toMatchObject({
      method: 'PATCH',
      path: '/admin/step-letters/stl_1',
      body: { paragraphs: ['One.', 'Two.'], revision: 0 },
    });
    expect(() => build('step-letter edit', 'stl_1', '--revision', 'one')).toThrow(UsageError);
    expect(build('step-letter sent', 'stl_1', '--how', 'post', '--sent-by', 'Sam')).toMatchObject({
      path: '/admin/step-letters/stl_1/sent',
      body: { how: 'post', sentBy: 'Sam' },
    });
    expect(build('step-letter show', 'stl_1', '--pdf', 'letter.pdf')).toMatchObject({
      method: 'GET',
      query: { format: 'pdf' },
      output: { raw: true, file: 'letter.pdf' },
    });
  });
});
