import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run register` as people run it: a child process. tsx is run directly (not through npx)
 * to keep each command near half a second.
 */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const script = path.join(repoRoot, 'scripts', 'register.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `env` (and none of this process's PORT, DATA_DIR, ADMIN_TOKEN, ADMIN_API_URL). */
export function runRegisterCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return runChild(tsx, [script, ...args], env);
}

/**
 * The CLI exactly as the README tells people to pipe it: `npm run -s register -- <args>`, npm and all
 * (the `-s` keeps npm's own banner off stdout).
 */
export function runRegisterWithNpm(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return runChild('npm', ['run', '-s', 'register', '--', ...args], env);
}

function runChild(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  const {
    PORT: _port,
    DATA_DIR: _dataDir,
    ADMIN_TOKEN: _token,
    ADMIN_API_URL: _url,
    ...inherited
  } = process.env;
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: repoRoot,
        env: { ...inherited, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
