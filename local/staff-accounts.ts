import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { StaffRole } from '../lambdas/core/staff-roles';

/**
 * The local OpenID provider's staff accounts. Passwords are held only as scrypt hashes and
 * compared in constant time; an unknown email costs the same as a wrong password, so the
 * sign-in page does not tell which accounts exist.
 */
export interface LocalStaffAccount {
  /** The ID token's `sub`: stable, recorded in the audit trail. */
  subject: string;
  email: string;
  name: string;
  /** Sent as `cognito:groups`, as Cognito sends a user's groups. */
  groups: string[];
  /** From hashPassword. */
  passwordHash: string;
}

const derive = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;
const KEY_LENGTH = 32;

/** `scrypt$<salt>$<hash>`, base64url; a new salt each time. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function passwordMatches(passwordHash: string, candidate: string): Promise<boolean> {
  const [scheme, salt, hash] = passwordHash.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(candidate, Buffer.from(salt, 'base64url'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/** The account whose email and password these are, or undefined — in the same time either way. */
export async function checkCredentials(
  accounts: readonly LocalStaffAccount[],
  email: string,
  password: string,
): Promise<LocalStaffAccount | undefined> {
  const wanted = email.trim().toLowerCase();
  const account = accounts.find((candidate) => candidate.email.toLowerCase() === wanted);
  decoy ??= hashPassword(randomBytes(16).toString('base64url'));
  const matches = await passwordMatches(account?.passwordHash ?? (await decoy), password);
  return account && matches ? account : undefined;
}

const demo = (role: StaffRole, subject: string, email: string, name: string) => ({
  subject,
  email,
  name,
  groups: [role],
});
const demoAccounts = [
  demo('officer', 'local-officer', 'officer@council.example', 'Priya Shah'),
  demo('service-manager', 'local-service-manager', 'manager@council.example', 'Daniel Okafor'),
  demo('senior-manager', 'local-senior-manager', 'senior@council.example', 'Margaret Ellis'),
];

/** The demo staff of the local contract (DESIGN.md), one of each role, all with `password`. */
export async function demoStaffAccounts(password: string): Promise<LocalStaffAccount[]> {
  return Promise.all(
    demoAccounts.map(async (account) => ({ ...account, passwordHash: await hashPassword(password) })),
  );
}
