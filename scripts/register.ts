/**
 * `npm run register -- <command>`: the council's restriction register from the command line,
 * over the admin API. `npm run register -- --help` lists the commands. Only the answer goes to
 * stdout (diagnostics to stderr); `npm run -s register -- --json …` keeps npm's banner off it.
 *
 *   ADMIN_API_URL  the API (default http://127.0.0.1:$PORT, PORT default 3000)
 *   ADMIN_TOKEN    the bearer token (default: $DATA_DIR/admin-token, as `npm start` stores it)
 *   AWS_REGION     with an https ADMIN_API_URL and no token, requests are signed with SigV4 (IAM)
 *
 * Exit status: 0 done; 1 the API refused or could not be reached; 2 the command was mistyped.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { ClientError, type Fetch, resolveTarget, type Sent, send } from './register/client';
import {
  type BodyReader,
  buildRequest,
  commandUsage,
  findCommand,
  generalUsage,
  groupUsage,
  isGroup,
  resolveCommand,
  UsageError,
  wantsHelp,
  wantsJson,
} from './register/commands';
import { render } from './register/output';

export { buildRequest } from './register/commands';

export interface Io {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** A line of output (stdout). */
  out(text: string): void;
  /** A line of messages (stderr). */
  err(text: string): void;
  /** Bytes to stdout as they are (a PDF, CSV). */
  outBytes(bytes: Uint8Array): void;
  writeFile(file: string, data: Uint8Array | string): Promise<void>;
  fetch?: Fetch;
  readBody?: BodyReader;
}

const NAME = 'register';

/** Runs one command line; resolves to the exit status. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { command, rest } = resolveCommand(argv);
  const help = wantsHelp(argv);
  if (!command) {
    if (help) {
      io.out(generalUsage());
      return 0;
    }
    const stray = argv.find((arg) => arg !== '--json');
    io.err(stray ? `${NAME}: unknown option "${stray}"\n` : `${NAME}: which command?\n`);
    io.err(generalUsage());
    return 2;
  }
  if (isGroup(command)) {
    if (help) {
      io.out(groupUsage(command));
      return 0;
    }
    io.err(`${NAME}: "${command}" needs a command\n`);
    io.err(groupUsage(command));
    return 2;
  }
  if (!findCommand(command)) {
    const group = command.split(' ')[0]!;
    io.err(`${NAME}: unknown command "${command}"\n`);
    io.err(isGroup(group) ? groupUsage(group) : generalUsage());
    return 2;
  }
  if (wantsHelp(rest)) {
    io.out(commandUsage(command));
    return 0;
  }

  let sent: Sent;
  let request: ReturnType<typeof buildRequest>;
  try {
    request = buildRequest(command, rest, io.readBody);
    const target = await resolveTarget(io.env, io.cwd);
    sent = await send(request, target, io.fetch);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${NAME}: ${error.message}\n`);
      io.err(error.command ? commandUsage(error.command) : generalUsage());
      return 2;
    }
    if (error instanceof ClientError) {
      io.err(`${NAME}: ${error.message}`);
      return 1;
    }
    io.err(networkMessage(error, io.env));
    return 1;
  }

  const { response } = sent;
  if (!response.ok) {
    io.err(await problemMessage(response));
    return 1;
  }
  const output = request.output;
  const forPrograms = wantsJson(rest) || (output !== undefined && (!output.file || output.file === '-'));
  if (forPrograms && npmBannerShown(io.env)) io.err(npmBannerHint);
  if (output?.raw) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (output.file && output.file !== '-') {
      await io.writeFile(output.file, bytes);
      io.err(`Wrote ${output.file} (${bytes.length} bytes).`);
    } else {
      io.outBytes(bytes);
    }
    return 0;
  }
  const text = await response.text();
  let body: unknown = text;
  if (text && /json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Printed as it came.
    }
  }
  if (output?.file) {
    const pretty = `${typeof body === 'string' ? body : JSON.stringify(body, null, 2)}\n`;
    if (output.file === '-') io.outBytes(Buffer.from(pretty));
    else {
      await io.writeFile(output.file, pretty);
      io.err(`Wrote ${output.file}.`);
    }
    return 0;
  }
  if (wantsJson(rest)) io.out(typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  else io.out(render(command, body));
  return 0;
}

/**
 * `npm run register` without `-s` has npm print its own "> contact-screening … register" lines on stdout
 * before the script starts, and no script can take them back. This script writes nothing on stdout but
 * the answer; when the answer is for a program (JSON, CSV, a PDF to stdout), it says on stderr how to
 * keep npm's lines out of it.
 */
const npmBannerShown = (env: NodeJS.ProcessEnv) =>
  env.npm_lifecycle_event === NAME && env.npm_config_loglevel !== 'silent';
const npmBannerHint =
  `${NAME}: npm printed its own lines on stdout before this output; ` +
  'run `npm run -s register -- …` to have only the output there.';

interface Problem {
  title?: unknown;
  status?: unknown;
  detail?: unknown;
  errors?: unknown;
}

/** An error answer as lines for a person: title, detail, each field's problem, and a hint. */
async function problemMessage(response: Response): Promise<string> {
  const text = await response.text();
  let problem: Problem | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) problem = parsed as Problem;
  } catch {
    // Not JSON: shown as text below.
  }
  const lines: string[] = [];
  const title = typeof problem?.title === 'string' ? problem.title : response.statusText || 'Request failed';
  lines.push(`${NAME}: ${title} (HTTP ${response.status})`);
  const errors = (Array.isArray(problem?.errors) ? problem.errors : []) as {
    field?: unknown;
    problem?: unknown;
  }[];
  const fieldLines = errors.map(
    (item) => `${String(item?.field ?? '(body)')}: ${String(item?.problem ?? '')}`,
  );
  const detail = typeof problem?.detail === 'string' ? problem.detail : undefined;
  // The detail often just repeats the field problems; then the list says it better.
  if (detail && (fieldLines.length === 0 || !fieldLines.every((line) => detail.includes(line))))
    lines.push(`  ${detail}`);
  else if (!problem && text.trim()) lines.push(`  ${text.trim().slice(0, 300)}`);
  for (const line of fieldLines) lines.push(`  - ${line}`);
  if (response.status === 401) {
    lines.push('  Set ADMIN_TOKEN to the token `npm start` printed (it is also in .data/admin-token).');
  } else if (response.status === 403) {
    lines.push('  The caller is not allowed to use the admin API (AWS: execute-api:Invoke on /admin/*).');
  }
  return lines.join('\n');
}

function networkMessage(error: unknown, env: NodeJS.ProcessEnv): string {
  const target = env.ADMIN_API_URL?.trim() || `http://127.0.0.1:${env.PORT?.trim() || '3000'}`;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `${NAME}: no answer from ${target} within 30 s.`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  const reason = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  const local = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(target);
  const hint = local ? 'is `npm start` running? set ADMIN_API_URL' : 'check ADMIN_API_URL and the network';
  return `${NAME}: cannot reach ${target} (${reason}): ${hint}`;
}

const processIo: Io = {
  env: process.env,
  cwd: process.cwd(),
  out: (text) => {
    process.stdout.write(`${text}\n`);
  },
  err: (text) => {
    process.stderr.write(`${text}\n`);
  },
  outBytes: (bytes) => {
    process.stdout.write(bytes);
  },
  writeFile: (file, data) => writeFile(file, data),
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Piped into `head`: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  run(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
