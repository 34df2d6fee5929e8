import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalStackError } from './settings';

/** Data directories held by stacks running in this process. */
const heldHere = new Set<string>();

/**
 * One stack per data directory: LevelDB allows a single writer, and dynalite crashes the
 * process (rather than failing a request) when its database is locked by another. The lock
 * file names the holder's pid; a lock left by a process that has gone is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'stack.pid');
  const holder = await readFile(file, 'utf8').then(
    (text) => Number.parseInt(text, 10),
    () => undefined,
  );
  const heldByUs = holder === process.pid && heldHere.has(dataDir);
  if (heldByUs || (holder !== undefined && holder !== process.pid && isRunning(holder))) {
    throw new LocalStackError(
      `Another local stack (pid ${holder}) is using ${dataDir} — stop it, or set DATA_DIR to another directory.`,
    );
  }
  await writeFile(file, `${process.pid}\n`);
  heldHere.add(dataDir);
  return async () => {
    heldHere.delete(dataDir);
    await rm(file, { force: true });
  };
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
