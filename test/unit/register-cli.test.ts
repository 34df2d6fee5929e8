import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Io, run } from '../../scripts/register';
import { NodeSha256, requestUrl, resolveTarget, signedHeaders } from '../../scripts/register/client';
import {
  buildRequest,
  commands,
  commandUsage,
  generalUsage,
  parseFields,
  resolveCommand,
  typedValue,
  UsageError,
} from '../../scripts/register/commands';
import { field, londonTime, render } from '../../scripts/register/output';

const noBody = () => {
  throw new Error('no --body expected');
};

/** buildRequest with the command line split as a shell would. */
const build = (command: string, ...args: string[]) => buildRequest(command, args, noBody);

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

const restrictArgs = [
  'cus_1',
  '--type',
  'single-named-officer',
  '--reason',
  'Daily calls (4.2.7)',
  '--decided-by',
  'Jo Manager',
  '--starts',
  '2026-12-01',
  '--ends',
  '2027-11-30',
];

describe('buildRequest: customers', () => {
  it('customer add: repeated --email and --phone become lists', () => {
    expect(
      build(
        'customer add',
        '--name',
        'Pat Example',
        '--email',
        'pat@example.org',
        '--email',
        'pat@work.example',
        '--phone',
        '07700 900456',
        '--postcode',
        'AL10 0ZZ',
        '--address',
        '1 High Street',
      ),
    ).toEqual({
      method: 'POST',
      path: '/admin/customers',
      query: {},
      body: {
        name: 'Pat Example',
        address: '1 High Street',
        postcode: 'AL10 0ZZ',
        emails: ['pat@example.org', 'pat@work.example'],
        phones: ['07700 900456'],
      },
    });
  });

  it('customer add: adjustments by channel, with or without detail', () => {
    const { body } = build(
      'customer add',
      '--name',
      'Sam',
      '--postcode',
      'AL10 9AB',
      '--adjustment',
      'letter=large print',
      '--adjustment',
      'telephone',
      '--vulnerability',
      'Hearing loss',
      '--reasonable-adjustments',
      'Speak slowly',
    );
    expect(body).toMatchObject({
      adjustments: [{ channel: 'letter', detail: 'large print' }, { channel: 'telephone' }],
      vulnerability: 'Hearing loss',
      reasonableAdjustments: 'Speak slowly',
    });
  });

  it('customer add: --name is required, unless the --body gives it', () => {
    expect(usageError(() => build('customer add', '--email', 'a@example.org')).message).toBe(
      'missing --name',
    );
    const request = buildRequest(
      'customer add',
      ['--body', 'c.json', '--email', 'a@example.org'],
      (source) => {
        expect(source).toBe('c.json');
        return JSON.stringify({
          name: 'From File',
          representatives: [{ name: 'Carer' }],
          emails: ['x@example.org'],
        });
      },
    );
    // The flags win over the body.
    expect(request.body).toEqual({
      name: 'From File',
      representatives: [{ name: 'Carer' }],
      emails: ['a@example.org'],
    });
  });

  it('customer list: --email and --phone as query', () => {
    expect(build('customer list')).toEqual({ method: 'GET', path: '/admin/customers', query: {} });
    expect(build('customer list', '--email', 'pat@example.org').query).toEqual({ email: 'pat@example.org' });
    expect(build('customer list', '--phone', '07700 900456').query).toEqual({ phone: '07700 900456' });
  });

  it('customer show: the id in the path, encoded', () => {
    expect(build('customer show', 'cus_1')).toEqual({
      method: 'GET',
      path: '/admin/customers/cus_1',
      query: {},
    });
    expect(build('customer show', 'a/b?c').path).toBe('/admin/customers/a%2Fb%3Fc');
    expect(usageError(() => build('customer show')).message).toBe('missing <customerId>');
    expect(usageError(() => build('customer show', 'a', 'b')).message).toBe('unexpected argument "b"');
  });

  it('customer update: PATCH with --why and the fields given', () => {
    expect(build('customer update', 'cus_1', '--why', 'Moved', '--postcode', 'AL10 9AB')).toEqual({
      method: 'PATCH',
      path: '/admin/customers/cus_1',
      query: {},
      body: { postcode: 'AL10 9AB', why: 'Moved' },
    });
    expect(usageError(() => build('customer update', 'cus_1', '--postcode', 'AL10 9AB')).message).toBe(
      'missing --why',
    );
    expect(usageError(() => build('customer update', 'cus_1', '--why', 'x')).message).toMatch(
      /nothing to change/,
    );
  });

  it('escalate: step, how, by, note, skip reason', () => {
    expect(
      build(
        'escalate',
        'cus_1',
        '--step',
        'warning-given',
        '--how',
        'letter',
        '--by',
        'Jo Manager',
        '--note',
        'Asked to moderate',
        '--at',
        '2026-11-01',
        '--skip-reason',
        'Threats',
      ),
    ).toEqual({
      method: 'POST',
      path: '/admin/customers/cus_1/escalation',
      query: {},
      body: {
        step: 'warning-given',
        how: 'letter',
        by: 'Jo Manager',
        note: 'Asked to moderate',
        at: '2026-11-01',
        skipReason: 'Threats',
      },
    });
    expect(usageError(() => build('escalate', 'cus_1', '--how', 'letter')).message).toBe(
      'missing --step, --by',
    );
  });

  it('audit and export', () => {
    expect(build('audit', 'cus_1')).toEqual({
      method: 'GET',
      path: '/admin/customers/cus_1/audit',
      query: {},
    });
    expect(build('export', 'cus_1')).toEqual({
      method: 'GET',
      path: '/admin/customers/cus_1/export',
      query: {},
    });
    expect(build('export', 'cus_1', '--out', 'pat.json').output).toEqual({ file: 'pat.json' });
  });
});

describe('buildRequest: restrictions', () => {
  it('restrict: flags become the API fields, with the customer from the argument', () => {
    expect(
      build(
        'restrict',
        ...restrictArgs,
        '--review',
        '2027-06-01',
        '--named-officer',
        'officer@council.example',
        '--measures',
        'Meet with a witness',
        '--without-warning-reason',
        'Threats to staff',
        '--senior-approver',
        'Ann Director',
        '--acknowledge-conflicts',
      ),
    ).toEqual({
      method: 'POST',
      path: '/admin/restrictions',
      query: {},
      body: {
        customerId: 'cus_1',
        type: 'single-named-officer',
        reason: 'Daily calls (4.2.7)',
        decidedBy: 'Jo Manager',
        startsAt: '2026-12-01',
        endsAt: '2027-11-30',
        reviewAt: '2027-06-01',
        namedOfficer: 'officer@council.example',
        measuresWhenContactNecessary: 'Meet with a witness',
        withoutWarningReason: 'Threats to staff',
        seniorApprover: 'Ann Director',
        acknowledgeConflicts: true,
      },
    });
  });

  it('restrict: topic, designated reader, phone hours (days split on commas and repeatable)', () => {
    const topic = build(
      'restrict',
      ...restrictArgs,
      '--topic',
      'CMP-1',
      '--designated-reader',
      'r@council.example',
    );
    expect(topic.body).toMatchObject({ topic: 'CMP-1', designatedReader: 'r@council.example' });
    const hours = build(
      'restrict',
      ...restrictArgs,
      '--days',
      'monday,thursday',
      '--days',
      'friday',
      '--from',
      '10:00',
      '--until',
      '11:00',
    );
    expect(hours.body).toMatchObject({
      days: ['monday', 'thursday', 'friday'],
      from: '10:00',
      until: '11:00',
    });
    expect(hours.body).not.toHaveProperty('acknowledgeConflicts');
  });

  it('restrict: --field adds typed fields', () => {
    const { body } = build(
      'restrict',
      ...restrictArgs,
      '--field',
      'maxCallMinutes=15',
      '--field',
      'platforms=facebook,x',
      '--field',
      'thirdParties=Sam Carer',
      '--field',
      'thirdParties=Alex Advocate',
      '--field',
      'scope:="blocked"',
    );
    expect(body).toMatchObject({
      maxCallMinutes: 15,
      platforms: ['facebook', 'x'],
      thirdParties: ['Sam Carer', 'Alex Advocate'],
      scope: 'blocked',
    });
  });

  it('restrict: names every missing required flag', () => {
    expect(usageError(() => build('restrict', 'cus_1', '--type', 'witness-required')).message).toBe(
      'missing --reason, --decided-by, --starts, --ends',
    );
    expect(usageError(() => build('restrict', '--type', 'witness-required')).message).toBe(
      'missing <customerId>',
    );
  });

  it('restrict: a whole body from stdin, the flags adding to it', () => {
    const request = buildRequest('restrict', ['cus_1', '--body', '-', '--reason', 'Flag wins'], (source) => {
      expect(source).toBe('-');
      return JSON.stringify({
        type: 'topic-no-reply',
        reason: 'From body',
        decidedBy: 'Jo',
        startsAt: '2026-12-01',
        endsAt: '2027-01-01',
        topic: 'CMP-1',
      });
    });
    expect(request.body).toMatchObject({ customerId: 'cus_1', reason: 'Flag wins', topic: 'CMP-1' });
  });

  it('restriction show, lift, extend', () => {
    expect(build('restriction show', 'res_1')).toEqual({
      method: 'GET',
      path: '/admin/restrictions/res_1',
      query: {},
    });
    expect(build('lift', 'res_1', '--reason', 'Improved', '--decided-by', 'Jo')).toEqual({
      method: 'POST',
      path: '/admin/restrictions/res_1/lift',
      query: {},
      body: { reason: 'Improved', decidedBy: 'Jo' },
    });
    expect(usageError(() => build('lift', 'res_1', '--reason', 'Improved')).message).toBe(
      'missing --decided-by',
    );
    expect(
      build(
        'extend',
        'res_1',
        '--ends',
        '2028-05-31',
        '--review',
        '2028-01-01',
        '--reason',
        'Went on',
        '--decided-by',
        'Jo',
      ),
    ).toEqual({
      method: 'POST',
      path: '/admin/restrictions/res_1/extend',
      query: {},
      body: { endsAt: '2028-05-31', reviewAt: '2028-01-01', reason: 'Went on', decidedBy: 'Jo' },
    });
    expect(usageError(() => build('extend', 'res_1', '--reason', 'x', '--decided-by', 'Jo')).message).toBe(
      'missing --ends',
    );
  });

  it('advised, reviewed, acknowledge', () => {
    expect(
      build('advised', 'res_1', '--customer', '2026-12-02', '--services', '2026-12-03', '--how', 'letter'),
    ).toEqual({
      method: 'POST',
      path: '/admin/restrictions/res_1/advised',
      query: {},
      body: { customerAdvisedAt: '2026-12-02', servicesAdvisedAt: '2026-12-03', how: 'letter' },
    });
    expect(build('advised', 'res_1', '--services', '2026-12-03').body).toEqual({
      servicesAdvisedAt: '2026-12-03',
    });
    expect(usageError(() => build('advised', 'res_1')).message).toMatch(
      /--customer <date>, --services <date>/,
    );
    expect(
      build('reviewed', 'res_1', '--by', 'Jo', '--notes', 'Still needed', '--next', '2027-06-01'),
    ).toEqual({
      method: 'POST',
      path: '/admin/restrictions/res_1/review',
      query: {},
      body: { reviewedBy: 'Jo', notes: 'Still needed', nextReviewAt: '2027-06-01' },
    });
    expect(usageError(() => build('reviewed', 'res_1', '--by', 'Jo')).message).toBe(
      'missing --notes, --next',
    );
    expect(build('acknowledge', 'res_1', '--by', 'Jo', '--reason', 'Large print letters')).toEqual({
      method: 'POST',
      path: '/admin/restrictions/res_1/acknowledge-conflicts',
      query: {},
      body: { by: 'Jo', reason: 'Large print letters' },
    });
  });
});

describe('buildRequest: letters and the register', () => {
  it('letter: JSON by default, PDF or HTML to a file', () => {
    expect(build('letter', 'let_1')).toEqual({
      method: 'GET',
      path: '/admin/letters/let_1',
      query: { format: 'json' },
    });
    expect(build('letter', 'let_1', '--pdf', 'out.pdf')).toEqual({
      method: 'GET',
      path: '/admin/letters/let_1',
      query: { format: 'pdf' },
      output: { raw: true, file: 'out.pdf' },
    });
    expect(build('letter', 'let_1', '--html', '-').output).toEqual({ raw: true, file: '-' });
    expect(usageError(() => build('letter', 'let_1', '--pdf', 'a', '--html', 'b')).message).toMatch(
      /not both/,
    );
    expect(build('letters', 'cus_1')).toEqual({
      method: 'GET',
      path: '/admin/customers/cus_1/letters',
      query: {},
    });
  });

  it('list: status and CSV', () => {
    expect(build('list')).toEqual({ method: 'GET', path: '/admin/register', query: {} });
    expect(build('list', '--status', 'review-due', '--csv')).toEqual({
      method: 'GET',
      path: '/admin/register',
      query: { status: 'review-due', format: 'csv' },
      output: { raw: true },
    });
  });

  it('contacts, alerts, reviews, events', () => {
    expect(build('contacts', 'cus_1', '--limit', '20')).toEqual({
      method: 'GET',
      path: '/admin/contacts',
      query: { customerId: 'cus_1', limit: '20' },
    });
    expect(usageError(() => build('contacts', 'cus_1', '--limit', 'ten')).message).toMatch(/--limit must be/);
    expect(build('alerts')).toEqual({ method: 'GET', path: '/admin/alerts', query: {} });
    expect(build('alerts', '--customer', 'cus_1').query).toEqual({ customerId: 'cus_1' });
    expect(build('reviews')).toEqual({ method: 'GET', path: '/admin/reviews', query: {} });
    expect(build('events', '--limit', '5')).toEqual({
      method: 'GET',
      path: '/admin/events',
      query: { limit: '5' },
    });
  });
});

describe('buildRequest: mistakes', () => {
  it('contact add: flags become the API fields, the caller nested; a customer or a caller is required', () => {
    expect(
      build(
        'contact add',
        '--channel',
        'telephone',
        '--caller-phone',
        '07700 900123',
        '--caller-name',
        'Sam Example',
        '--case',
        'CMP-12345',
        '--summary',
        'Asked again',
        '--recorded-by',
        'Casey Officer',
        '--id',
        'call-1',
      ),
    ).toEqual({
      method: 'POST',
      path: '/admin/contacts',
      query: {},
      body: {
        channel: 'telephone',
        caller: { name: 'Sam Example', phone: '07700 900123' },
        caseReference: 'CMP-12345',
        summary: 'Asked again',
        recordedBy: 'Casey Officer',
        id: 'call-1',
      },
    });
    expect(
      usageError(() => build('contact add', '--channel', 'letter', '--summary', 'x', '--recorded-by', 'C'))
        .message,
    ).toContain('give --customer');
    expect(usageError(() => build('contact add', '--customer', 'cus_1', '--channel', 'letter')).message).toBe(
      'missing --summary, --recorded-by',
    );
  });

  it('contact add: prints what applies, one line each, and the counts', () => {
    const text = render('contact add', {
      reference: 'CS-0000-0000-00',
      status: 'recorded',
      decision: {
        customerIds: ['cus_1'],
        attention: true,
        lines: ['Pass the call to the named officer, x (7.3.4).'],
      },
      counts: { topic: 1, allTopics: 1, channels: 1 },
      frequency: ['1st contact on CMP-1 in 7 days (alert at 5).'],
      alerts: [],
    });
    expect(text).toContain('reference: CS-0000-0000-00');
    expect(text).toContain('Before you go on:\n- Pass the call to the named officer, x (7.3.4).');
    expect(text).toContain('- 1st contact on CMP-1');
  });

  it('an unknown command or option, a missing value, an empty value, --body where nothing is sent', () => {
    expect(usageError(() => build('frobnicate')).message).toBe('unknown command "frobnicate"');
    const unknown = usageError(() => build('list', '--colour'));
    expect(unknown.message).toMatch(/Unknown option '--colour'/);
    expect(unknown.command).toBe('list');
    expect(usageError(() => build('lift', 'res_1', '--reason')).message).toMatch(/--reason/);
    expect(usageError(() => build('lift', 'res_1', '--reason', ' ', '--decided-by', 'Jo')).message).toBe(
      '--reason must not be empty',
    );
    expect(usageError(() => build('list', '--body', 'x.json')).message).toMatch(/Unknown option '--body'/);
  });

  it('a --body that cannot be read, is not JSON, or is not an object', () => {
    const missing = () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    expect(usageError(() => buildRequest('customer add', ['--body', 'x.json'], missing)).message).toBe(
      'cannot read --body x.json (ENOENT)',
    );
    expect(usageError(() => buildRequest('customer add', ['--body', 'x.json'], () => '{oops')).message).toBe(
      '--body x.json is not valid JSON',
    );
    expect(usageError(() => buildRequest('customer add', ['--body', 'x.json'], () => '[1]')).message).toBe(
      '--body x.json must hold a JSON object',
    );
  });

  it('--field that is not key=value, or bad JSON after :=', () => {
    expect(usageError(() => build('customer add', '--name', 'A', '--field', 'oops')).message).toMatch(
      /key=value/,
    );
    expect(usageError(() => build('customer add', '--name', 'A', '--field', 'x:={')).message).toMatch(
      /not valid JSON/,
    );
  });

  it('every command builds a request from its first example', () => {
    for (const command of commands) {
      const example = command.examples[0]!;
      // Split as a shell would (double quotes only, as the examples use).
      const words = [...example.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const name = command.name.split(' ');
      expect(words.slice(0, name.length)).toEqual(name);
      const request = build(command.name, ...words.slice(name.length));
      expect(request.path).toMatch(/^\/admin\//);
    }
  });
});

describe('--field typing', () => {
  it('types numbers, booleans, null and comma lists; keeps phone-like and spaced text as strings', () => {
    expect(typedValue('15')).toBe(15);
    expect(typedValue('-2.5')).toBe(-2.5);
    expect(typedValue('07700900456')).toBe('07700900456');
    expect(typedValue('1234567890123456789')).toBe('1234567890123456789');
    expect(typedValue('true')).toBe(true);
    expect(typedValue('false')).toBe(false);
    expect(typedValue('null')).toBeNull();
    expect(typedValue('monday,friday')).toEqual(['monday', 'friday']);
    expect(typedValue('1,2')).toEqual([1, 2]);
    expect(typedValue('Call first, then write')).toBe('Call first, then write');
    expect(typedValue('')).toBe('');
  });

  it('key:=JSON, repeated keys collect lists, = inside the value is kept', () => {
    expect(
      parseFields([
        'representatives:=[{"name":"Sam","relationship":"son"}]',
        'note=a=b',
        'days=monday',
        'days=tuesday,wednesday',
        'count:=3',
      ]),
    ).toEqual({
      representatives: [{ name: 'Sam', relationship: 'son' }],
      note: 'a=b',
      days: ['monday', 'tuesday', 'wednesday'],
      count: 3,
    });
  });
});

describe('resolveCommand', () => {
  it('finds one- and two-word commands after global flags', () => {
    expect(resolveCommand(['list', '--csv'])).toEqual({ command: 'list', rest: ['--csv'] });
    expect(resolveCommand(['--json', 'customer', 'show', 'cus_1'])).toEqual({
      command: 'customer show',
      rest: ['--json', 'cus_1'],
    });
    expect(resolveCommand(['customer', '--help'])).toEqual({ command: 'customer', rest: ['--help'] });
    expect(resolveCommand(['--help'])).toEqual({ rest: ['--help'] });
    expect(resolveCommand([])).toEqual({ rest: [] });
  });
});

describe('usage', () => {
  it('lists every command, and each command its options and examples', () => {
    const usage = generalUsage();
    for (const command of commands) expect(usage).toContain(command.name);
    expect(usage).toContain('ADMIN_API_URL');
    const restrict = commandUsage('restrict');
    expect(restrict).toContain('--decided-by <text>');
    expect(restrict).toContain('(required)');
    expect(restrict).toContain('npm run register -- restrict cus_');
  });
});

describe('the target and its authentication', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'register-cli-'));
    await writeFile(path.join(dir, 'admin-token'), 'token-from-the-data-dir\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('defaults to 127.0.0.1 on PORT, with the token from DATA_DIR', async () => {
    const target = await resolveTarget({ PORT: '3100', DATA_DIR: dir }, '/');
    expect(target.baseUrl.href).toBe('http://127.0.0.1:3100/');
    expect(target.auth).toEqual({ kind: 'token', token: 'token-from-the-data-dir' });
  });

  it('prefers ADMIN_TOKEN; without any token sends none', async () => {
    expect((await resolveTarget({ ADMIN_TOKEN: 'from-env', DATA_DIR: dir })).auth).toEqual({
      kind: 'token',
      token: 'from-env',
    });
    expect((await resolveTarget({ DATA_DIR: path.join(dir, 'nothing') })).auth).toEqual({ kind: 'none' });
  });

  it('signs for AWS when the URL is https and no token is set, the region from AWS_REGION or the host', async () => {
    const api = 'https://abc123.execute-api.eu-west-2.amazonaws.com';
    expect((await resolveTarget({ ADMIN_API_URL: api, DATA_DIR: dir })).auth).toEqual({
      kind: 'sigv4',
      region: 'eu-west-2',
    });
    expect(
      (await resolveTarget({ ADMIN_API_URL: 'https://admin.council.example', AWS_REGION: 'eu-west-1' })).auth,
    ).toEqual({ kind: 'sigv4', region: 'eu-west-1' });
    await expect(resolveTarget({ ADMIN_API_URL: 'https://admin.council.example' })).rejects.toThrow(
      /AWS_REGION/,
    );
    await expect(resolveTarget({ ADMIN_API_URL: 'ftp://x' })).rejects.toThrow(/http/);
  });

  it('joins paths under a base with a stage, escaping the query as SigV4 does', () => {
    const url = requestUrl(new URL('https://api.example/prod/'), {
      path: '/admin/customers',
      query: { phone: '07700 900456', email: "o'neil@example.org" },
    });
    expect(url.href).toBe(
      'https://api.example/prod/admin/customers?phone=07700%20900456&email=o%27neil%40example.org',
    );
  });

  it('hashes as SigV4 needs: the get-vanilla case of the AWS test suite', async () => {
    const signer = new SignatureV4({
      service: 'service',
      region: 'us-east-1',
      sha256: NodeSha256,
      applyChecksum: false,
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
    });
    const signed = await signer.sign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: 'example.amazonaws.com',
        path: '/',
        query: {},
        headers: { host: 'example.amazonaws.com' },
      },
      { signingDate: new Date('2015-08-30T12:36:00Z') },
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs a request with SigV4 for execute-api', async () => {
    const url = new URL('https://abc123.execute-api.eu-west-2.amazonaws.com/admin/register?status=all');
    const headers = await signedHeaders(url, 'GET', { accept: 'application/json' }, undefined, 'eu-west-2', {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/execute-api\/aws4_request, SignedHeaders=accept;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers).not.toHaveProperty('host');
  });
});

describe('run: answers and exit statuses', () => {
  function io(answer: () => Promise<Response>) {
    const out: string[] = [];
    const err: string[] = [];
    const files: Record<string, string | Uint8Array> = {};
    const requests: { url: string; init: RequestInit | undefined }[] = [];
    const value: Io = {
      env: { ADMIN_TOKEN: 'secret-token-secret-token' },
      cwd: '/',
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      outBytes: (bytes) => out.push(Buffer.from(bytes).toString()),
      writeFile: async (file, data) => {
        files[file] = data;
      },
      fetch: async (url, init) => {
        requests.push({ url: String(url), init });
        return answer();
      },
      readBody: noBody,
    };
    return { value, out, err, files, requests };
  }
  const json =
    (status: number, body: unknown, type = 'application/json') =>
    async () =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

  it('prints a customer as key: value, and raw JSON with --json; sends the token', async () => {
    const customer = { id: 'cus_1', name: 'Pat Example', emails: ['pat@example.org'], warnings: [] };
    const human = io(json(201, customer));
    expect(
      await run(['customer', 'add', '--name', 'Pat Example', '--email', 'pat@example.org'], human.value),
    ).toBe(0);
    expect(human.out.join('\n')).toMatch(/^id:\s+cus_1$/m);
    expect(human.out.join('\n')).toMatch(/^emails:\s+pat@example.org$/m);
    const sent = human.requests[0]!;
    expect(sent.url).toBe('http://127.0.0.1:3000/admin/customers');
    expect(sent.init?.method).toBe('POST');
    expect((sent.init!.headers as Record<string, string>).authorization).toBe(
      'Bearer secret-token-secret-token',
    );
    expect(JSON.parse(String(sent.init?.body))).toEqual({ name: 'Pat Example', emails: ['pat@example.org'] });

    const machine = io(json(201, customer));
    expect(
      await run(['--json', 'customer', 'add', '--name', 'Pat Example', '--phone', '1'], machine.value),
    ).toBe(0);
    expect(JSON.parse(machine.out.join(''))).toEqual(customer);
  });

  it('prints the register as a table', async () => {
    const { value, out } = io(
      json(200, {
        restrictions: [
          {
            id: 'res_1',
            customerId: 'cus_1',
            type: 'single-named-officer',
            status: 'active',
            startsAt: 'a',
            endsAt: 'b',
          },
        ],
      }),
    );
    expect(await run(['list'], value)).toBe(0);
    const [header, row] = out.join('\n').split('\n');
    expect(header).toMatch(/^id\s+customerId\s+type\s+status\s+startsAt\s+endsAt$/);
    expect(row).toMatch(/^res_1\s+cus_1\s+single-named-officer\s+active/);
  });

  it("run by npm without -s: the JSON alone on stdout, and on stderr how to keep npm's banner off it", async () => {
    const answer = { customers: [{ id: 'cus_1' }] };
    const underNpm = io(json(200, answer));
    underNpm.value.env = { ...underNpm.value.env, npm_lifecycle_event: 'register' };
    expect(await run(['--json', 'customer', 'list'], underNpm.value)).toBe(0);
    expect(JSON.parse(underNpm.out.join('\n'))).toEqual(answer);
    expect(underNpm.err).toEqual([expect.stringContaining('npm run -s register -- …')]);

    const silent = io(json(200, answer));
    silent.value.env = {
      ...silent.value.env,
      npm_lifecycle_event: 'register',
      npm_config_loglevel: 'silent',
    };
    expect(await run(['--json', 'customer', 'list'], silent.value)).toBe(0);
    expect(silent.err).toEqual([]);

    const forPeople = io(json(200, answer));
    forPeople.value.env = { ...forPeople.value.env, npm_lifecycle_event: 'register' };
    expect(await run(['customer', 'list'], forPeople.value)).toBe(0);
    expect(forPeople.err).toEqual([]);
  });

  it('problem JSON: title, detail and each field on stderr, exit 1', async () => {
    const { value, err } = io(
      json(
        400,
        {
          title: 'The request has invalid fields',
          status: 400,
          detail: 'endsAt: must be after startsAt',
          errors: [{ field: 'endsAt', problem: 'must be after startsAt' }],
        },
        'application/problem+json',
      ),
    );
    expect(await run(['restrict', ...restrictArgs], value)).toBe(1);
    expect(err.join('\n')).toContain('register: The request has invalid fields (HTTP 400)');
    expect(err.join('\n')).toContain('  - endsAt: must be after startsAt');
  });

  it('a problem without field errors: title and detail', async () => {
    const { value, err } = io(
      json(404, { title: 'Not found', status: 404, detail: 'no customer cus_x in the register' }),
    );
    expect(await run(['customer', 'show', 'cus_x'], value)).toBe(1);
    expect(err).toEqual(['register: Not found (HTTP 404)\n  no customer cus_x in the register']);
  });

  it('a wrong token: Unauthorised, with a hint', async () => {
    const { value, err } = io(
      json(401, { title: 'Unauthorised', status: 401, detail: 'Send the admin token' }),
    );
    expect(await run(['list'], value)).toBe(1);
    expect(err.join('\n')).toMatch(
      /^register: Unauthorised \(HTTP 401\)\n {2}Send the admin token\n {2}Set ADMIN_TOKEN/,
    );
  });

  it('connection refused: a one-line hint, exit 1', async () => {
    const { value, err } = io(async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      });
    });
    expect(await run(['list'], value)).toBe(1);
    expect(err).toEqual([
      'register: cannot reach http://127.0.0.1:3000 (ECONNREFUSED): is `npm start` running? set ADMIN_API_URL',
    ]);
  });

  it('a PDF is written to the file given; an export too', async () => {
    const pdf = io(
      async () => new Response(Buffer.from('%PDF-1.7'), { headers: { 'content-type': 'application/pdf' } }),
    );
    expect(await run(['letter', 'let_1', '--pdf', 'out.pdf'], pdf.value)).toBe(0);
    expect(Buffer.from(pdf.files['out.pdf'] as Uint8Array).toString()).toBe('%PDF-1.7');
    expect(pdf.err).toEqual(['Wrote out.pdf (8 bytes).']);

    const exported = io(json(200, { customer: { id: 'cus_1' } }));
    expect(await run(['export', 'cus_1', '--out', 'x.json'], exported.value)).toBe(0);
    expect(JSON.parse(String(exported.files['x.json']))).toEqual({ customer: { id: 'cus_1' } });
  });

  it('usage mistakes exit 2 with usage on stderr, sending nothing; --help exits 0', async () => {
    const never = async () => {
      throw new Error('nothing should be sent');
    };
    for (const argv of [
      [],
      ['frobnicate'],
      ['customer'],
      ['customer', 'frob'],
      ['list', '--colour'],
      ['lift', 'res_1'],
    ]) {
      const { value, err, requests } = io(never);
      expect(await run(argv, value), argv.join(' ')).toBe(2);
      expect(err.join('\n')).toMatch(/Usage: npm run register --/);
      expect(requests).toEqual([]);
    }
    for (const argv of [['--help'], ['customer', '--help'], ['restrict', '--help'], ['-h', 'list']]) {
      const { value, out } = io(never);
      expect(await run(argv, value), argv.join(' ')).toBe(0);
      expect(out.join('\n')).toMatch(/Usage: npm run register --/);
    }
  });
});

describe('render', () => {
  it('a customer with restrictions and escalation', () => {
    const text = render('customer show', {
      id: 'cus_1',
      name: 'Pat',
      adjustments: [{ channel: 'letter', detail: 'large print' }],
      restrictions: [{ id: 'res_1', type: 'witness-required', status: 'active' }],
      escalation: { stage: 'warning-given', history: [{ step: 'warning-given', by: 'Jo', how: 'letter' }] },
    });
    expect(text).toContain('adjustments:\n  - channel=letter detail=large print');
    expect(text).toMatch(/Restrictions\n\s+id\s+type\s+status\n\s+res_1\s+witness-required\s+active/);
    expect(text).toContain('Escalation: warning-given');
  });

  it('instants as London days and times; an exclusive end as its last day', () => {
    expect(londonTime('2026-12-01T00:00:00.000Z')).toBe('2026-12-01');
    expect(londonTime('2026-06-01T12:30:00.000Z')).toBe('2026-06-01 13:30');
    expect(londonTime('CMP-1')).toBe('CMP-1');
    // --ends 2027-06-30 is stored as the first moment of 1 July (BST).
    expect(field('endsAt', '2027-06-30T23:00:00.000Z')).toBe('2027-06-30');
    expect(field('endsAt', '2027-01-01T00:00:00.000Z')).toBe('2026-12-31');
    expect(field('endsAt', '2027-01-01T10:15:00.000Z')).toBe('2027-01-01 10:15');
    expect(field('startsAt', '2027-01-01T00:00:00.000Z')).toBe('2027-01-01');
  });

  it('alerts: who, which window, how many', () => {
    const text = render('alerts', {
      alerts: [
        {
          at: '2026-11-29T19:14:53.087Z',
          detailType: 'ContactFrequencyThresholdExceeded',
          status: 'published',
          detail: {
            subject: { kind: 'customer', customerId: 'cus_1' },
            window: 'topic',
            clause: '4.2.7',
            topic: { label: 'CMP-1' },
            count: 5,
            threshold: 5,
            windowDays: 7,
          },
        },
      ],
    });
    expect(text.split('\n')[1]).toMatch(
      /^2026-11-29 19:14\s+cus_1\s+4\.2\.7\s+topic\s+CMP-1\s+5 \(alert at 5\) in 7 days\s+published$/,
    );
  });

  it('empty lists say so', () => {
    expect(render('list', { restrictions: [] })).toBe('(none)');
  });
});
