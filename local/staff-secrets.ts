import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalStackError } from './settings';

/**
 * The local staff console's secrets, kept in the data directory (readable by its owner only) so
 * that they survive restarts: the demo staff accounts' password (printed at start) and the key
 * that encrypts session cookies.
 */
async function readStored(file: string): Promise<string> {
  return readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    },
  );
}

async function storedOrNew(file: string, make: () => string): Promise<{ value: string; stored: boolean }> {
  const stored = await readStored(file);
  if (stored) return { value: stored, stored: true };
  const value = make();
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return { value, stored: false };
}

const MIN_PASSWORD = 8;

/** STAFF_PASSWORD wins; else the one in `$DATA_DIR/staff-password`; else a new one, stored there. */
export async function resolveStaffPassword(dataDir: string, fromEnv: string | undefined): Promise<string> {
  const file = path.join(dataDir, 'staff-password');
  const { value, stored } =
    fromEnv !== undefined
      ? { value: fromEnv, stored: true }
      : await storedOrNew(file, () => randomBytes(12).toString('base64url'));
  if (stored && (value.length < MIN_PASSWORD || /\s/.test(value))) {
    throw new LocalStackError(
      `The staff password from ${fromEnv !== undefined ? 'STAFF_PASSWORD' : file} must be at least ${MIN_PASSWORD} characters, without spaces.`,
    );
  }
  return value;
}

/** The session key (STAFF_SESSION_KEY's value, base64 of 32 bytes), kept in `$DATA_DIR/staff-session-key`. */
export async function resolveStaffSessionKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'staff-session-key');
  const { value } = await storedOrNew(file, () => randomBytes(32).toString('base64'));
  if (Buffer.from(value, 'base64').length !== 32)
    throw new LocalStackError(`${file} must hold 32 random bytes, base64 — delete it to make a new one.`);
  return value;
}
