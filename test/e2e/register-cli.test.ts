import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, startTestStack } from '../helpers/local-stack';
import { runRegisterCli, runRegisterWithNpm } from '../helpers/register-cli';

const register = runRegisterCli;

describe('npm run register, against the local stack', () => {
  let test: Awaited<ReturnType<typeof startTestStack>>;
  let env: Record<string, string>;
  const cli = (...args: string[]) => register(args, env);

  beforeAll(async () => {
    test = await startTestStack('contact-screening-register-cli-');
    env = { ADMIN_API_URL: test.stack.urls.gateway, ADMIN_TOKEN: test.stack.adminToken };
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('--help lists the commands and exits 0', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    for (const command of ['customer add', 'restrict', 'lift', 'list', 'letter', 'export']) {
      expect(stdout).toContain(command);
    }
  });

  it('an unknown command or option exits 2 with usage on stderr', async () => {
    const [unknownCommand, unknownOption] = await Promise.all([cli('frobnicate'), cli('list', '--colour')]);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('unknown command "frobnicate"');
    expect(unknownCommand.stderr).toContain('Usage: npm run register --');
    expect(unknownCommand.stdout).toBe('');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("'--colour'");
  });

  describe('customers, restrictions and the register', () => {
    let customerId: string;

    it('customer add prints the new id; --json gives the whole customer', async () => {
      const human = await cli(
        'customer',
        'add',
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
      );
      expect(human.stderr).toBe('');
      expect(human.code).toBe(0);
      customerId = human.stdout.match(/^id:\s+(\S+)$/m)?.[1] ?? '';
      expect(customerId).toMatch(/^cus_/);
      expect(human.stdout).toMatch(/^emails:\s+pat@example.org, pat@work.example$/m);

      const machine = await cli(
        '--json',
        'customer',
        'add',
        '--name',
        'Sam Example',
        '--postcode',
        'AL10 9AB',
      );
      expect(machine.code).toBe(0);
      expect(JSON.parse(machine.stdout)).toMatchObject({
        id: expect.stringMatching(/^cus_/),
        name: 'Sam Example',
      });
    });

    it('customer show reads it back', async () => {
      const { code, stdout } = await cli('customer', 'show', customerId);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^id:\\s+${customerId}$`, 'm'));
      expect(stdout).toMatch(/^name:\s+Pat Example$/m);
      expect(stdout).toMatch(/^postcode:\s+AL100ZZ$/m);
    });

    it('escalate records a concern, then a warning, before restricting (7.2, 7.2.1)', async () => {
      const concern = await cli(
        'escalate',
        customerId,
        '--step',
        'concern-raised',
        '--by',
        'Jo Manager',
        '--at',
        '2025-11-01',
      );
      expect(concern.stderr).toBe('');
      expect(concern.code).toBe(0);
      const { code, stdout, stderr } = await cli(
        'escalate',
        customerId,
        '--step',
        'warning-given',
        '--how',
        'letter',
        '--by',
        'Jo Manager',
        '--at',
        '2025-12-01',
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Escalation: warning-given');
    });

    it('restrict records a restriction, which list shows', async () => {
      const imposed = await cli(
        '--json',
        'restrict',
        customerId,
        '--type',
        'single-named-officer',
        '--named-officer',
        'officer@council.example',
        '--reason',
        'Daily calls to different officers about one complaint (4.2.7, 4.2.8)',
        '--decided-by',
        'Jo Manager, Service Manager',
        '--starts',
        '2026-01-01',
        '--ends',
        '2099-12-31',
      );
      expect(imposed.stderr).toBe('');
      expect(imposed.code).toBe(0);
      const restriction = JSON.parse(imposed.stdout) as { id: string; customerId: string; status: string };
      expect(restriction).toMatchObject({ customerId, type: 'single-named-officer' });

      const list = await cli('list');
      expect(list.code).toBe(0);
      expect(list.stdout.split('\n')[0]).toMatch(/^id\s+customerId\s+name\s+type\s+status/);
      expect(list.stdout).toMatch(
        new RegExp(`^${restriction.id}\\s+${customerId}\\s+Pat Example\\s+single-named-officer\\s+`, 'm'),
      );
    });

    it('a validation error from the API: exit 1, naming the field', async () => {
      const { code, stdout, stderr } = await cli(
        'restrict',
        customerId,
        '--type',
        'witness-required',
        '--reason',
        'Shouting at staff (4.2.3)',
        '--decided-by',
        'Jo Manager',
        '--starts',
        '2027-06-01',
        '--ends',
        '2027-01-01',
      );
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('(HTTP 400)');
      expect(stderr).toMatch(/^ {2}- endsAt: must be after startsAt/m);
    });

    it('a missing required flag is caught before sending: exit 2', async () => {
      const { code, stderr } = await cli('restrict', customerId, '--type', 'witness-required');
      expect(code).toBe(2);
      expect(stderr).toContain('missing --reason, --decided-by, --starts, --ends');
    });

    // Depends on the lead's GET /admin/register?format=csv.
    it('list --csv prints the register as CSV', async () => {
      const { code, stdout } = await cli('list', '--status', 'all', '--csv');
      expect(code).toBe(0);
      const [header, ...rows] = stdout.trim().split(/\r?\n/);
      expect(header?.split(',')).toContain('customerId');
      expect(rows.some((row) => row.includes(customerId))).toBe(true);
    });

    // Depends on the lead's GET /admin/customers.
    it('customer list --email finds the customer', async () => {
      const { code, stdout } = await cli('customer', 'list', '--email', 'pat@example.org');
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^${customerId}\\s+Pat Example`, 'm'));
    });

    it('npm run -s register -- --json pipes: its whole stdout is the JSON, the letter by its short reference', async () => {
      // Prepare: run through npm, as the README says to pipe it.
      const listed = await runRegisterWithNpm(['--json', 'letters', customerId], env);

      // Assess: nothing but the answer on stdout, nothing on stderr.
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(0);
      const { letters } = JSON.parse(listed.stdout) as { letters: { id: string; reference: string }[] };
      expect(letters).toHaveLength(1);
      const [letter] = letters;
      expect(letter?.reference).toMatch(/^LT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

      const byReference = await runRegisterWithNpm(['--json', 'letter', letter?.reference ?? ''], env);
      expect(byReference.code).toBe(0);
      expect(JSON.parse(byReference.stdout)).toMatchObject({ id: letter?.id, reference: letter?.reference });

      const csv = await runRegisterWithNpm(['list', '--status', 'all', '--csv'], env);
      expect(csv.stdout.split(/\r?\n/)[0]?.split(',')).toContain('customerId'); // the header is the first line
    });

    // Depends on the lead's GET /admin/customers/{id}/export.
    it('export --out writes everything held to a file', async () => {
      const file = path.join(test.dataDir, 'export.json');
      const { code, stderr } = await cli('export', customerId, '--out', file);
      expect(code).toBe(0);
      expect(stderr).toContain(`Wrote ${file}`);
      expect(JSON.stringify(JSON.parse(await readFile(file, 'utf8')))).toContain(customerId);
    });
  });

  it('a wrong token: exit 1 with "Unauthorised"', async () => {
    const { code, stdout, stderr } = await register(['list'], {
      ...env,
      ADMIN_TOKEN: 'not-the-token-not-the-token',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Unauthorised (HTTP 401)');
  });

  it('nothing listening: a one-line hint, exit 1', async () => {
    const [port] = await freePorts(1);
    const { code, stderr } = await register(['list'], {
      ADMIN_API_URL: `http://127.0.0.1:${port}`,
      ADMIN_TOKEN: 'x'.repeat(24),
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `register: cannot reach http://127.0.0.1:${port} (ECONNREFUSED): is \`npm start\` running? set ADMIN_API_URL`,
    );
  });
});
