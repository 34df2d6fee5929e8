import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkCredentials,
  demoStaffAccounts,
  hashPassword,
  passwordMatches,
} from '../../local/staff-accounts';
import { resolveStaffPassword, resolveStaffSessionKey } from '../../local/staff-secrets';
import { makeTempDir } from '../helpers/local-stack';

describe('local staff accounts', () => {
  it('hold only salted scrypt hashes of the password', async () => {
    const accounts = await demoStaffAccounts('demo-password-1');
    expect(accounts.map((account) => [account.email, account.groups])).toEqual([
      ['officer@council.example', ['officer']],
      ['manager@council.example', ['service-manager']],
      ['senior@council.example', ['senior-manager']],
    ]);
    for (const account of accounts) expect(account.passwordHash).not.toContain('demo-password-1');
    expect(new Set(accounts.map((account) => account.passwordHash)).size).toBe(3);
    expect(await passwordMatches(await hashPassword('x-y-z-1234'), 'x-y-z-1234')).toBe(true);
    expect(await passwordMatches(await hashPassword('x-y-z-1234'), 'x-y-z-1235')).toBe(false);
  });

  it('find the account by email (any case) and password, and nothing for a wrong one or an unknown email', async () => {
    const accounts = await demoStaffAccounts('demo-password-1');
    expect((await checkCredentials(accounts, ' Manager@Council.example ', 'demo-password-1'))?.subject).toBe(
      'local-service-manager',
    );
    expect(await checkCredentials(accounts, 'manager@council.example', 'demo-password-2')).toBeUndefined();
    expect(await checkCredentials(accounts, 'nobody@council.example', 'demo-password-1')).toBeUndefined();
  });
});

describe('the local staff password', () => {
  it('is STAFF_PASSWORD, else the stored one, else a new one stored for its owner only', async () => {
    const { dir, remove } = await makeTempDir('staff-password-');
    try {
      expect(await resolveStaffPassword(dir, 'from-the-env-1')).toBe('from-the-env-1');
      const made = await resolveStaffPassword(dir, undefined);
      expect(made).toMatch(/^[\w-]{16}$/);
      const file = path.join(dir, 'staff-password');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await resolveStaffPassword(dir, undefined)).toBe(made);
      expect(await readFile(file, 'utf8')).toBe(`${made}\n`);
      await expect(resolveStaffPassword(dir, 'short')).rejects.toThrow(/STAFF_PASSWORD/);
      await writeFile(file, 'has spaces in it\n');
      await expect(resolveStaffPassword(dir, undefined)).rejects.toThrow(/staff-password/);
    } finally {
      await remove();
    }
  });

  it('keeps the session key beside it', async () => {
    const { dir, remove } = await makeTempDir('staff-key-');
    try {
      const key = await resolveStaffSessionKey(dir);
      expect(Buffer.from(key, 'base64')).toHaveLength(32);
      expect(await resolveStaffSessionKey(dir)).toBe(key);
    } finally {
      await remove();
    }
  });
});
