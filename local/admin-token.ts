import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalStackError } from './settings';

const MIN_LENGTH = 16;

/**
 * The admin API's bearer token: ADMIN_TOKEN wins; else the one stored in the data directory;
 * else a new random one, stored there readable by its owner only, so it survives restarts.
 */
export async function resolveAdminToken(dataDir: string, fromEnv: string | undefined): Promise<string> {
  if (fromEnv !== undefined) return checkToken(fromEnv, 'ADMIN_TOKEN');
  const file = path.join(dataDir, 'admin-token');
  const stored = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    },
  );
  if (stored) return checkToken(stored, file);
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

function checkToken(token: string, source: string): string {
  if (token.length < MIN_LENGTH || /\s/.test(token)) {
    throw new LocalStackError(
      `The admin token from ${source} must be at least ${MIN_LENGTH} characters, without spaces.`,
    );
  }
  return token;
}
