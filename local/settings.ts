import path from 'node:path';

/**
 * A problem the person running the stack can fix (a port in use, a bad setting). The CLI prints
 * its message as one line and exits 1, without a stack trace.
 */
export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

/** Every local part binds here only: the stack is for one developer's machine, never a network. */
export const HOST = '127.0.0.1';
export const TABLE_NAME = 'contact-screening';
export const MAIL_BUCKET = 'contact-screening-mail';
export const AWS_REGION = 'eu-west-2';

/** The names the CDK stack gives the functions the gateway and the review timer call (their Lambda Context). */
export const functionNames = {
  adminApi: 'contact-screening-admin-api',
  contactForm: 'contact-screening-contact-form',
  formScreening: 'contact-screening-form-screening',
  review: 'contact-screening-review',
  staffConsole: 'contact-screening-staff-console',
} as const;

/** The ports of the local contract (DESIGN.md) plus the emulators and the bus that only we talk to. */
export const portSettings = {
  port: { env: 'PORT', default: 3000 },
  sesPort: { env: 'SES_PORT', default: 8005 },
  /** Inbound mail: the local stand-in for SES email receiving. */
  smtpPort: { env: 'SMTP_PORT', default: 2525 },
  dynamodbPort: { env: 'DYNAMODB_PORT', default: 8000 },
  s3Port: { env: 'S3_PORT', default: 4569 },
  /** The local EventBridge bus (PutEvents); only the handlers of this process call it, so any free port. */
  eventbridgePort: { env: 'EVENTBRIDGE_PORT', default: 0 },
} as const;

export type PortName = keyof typeof portSettings;
export type Ports = Record<PortName, number>;

export interface LocalStackOptions extends Partial<Ports> {
  /** Where the emulators keep their data; relative paths are taken from the working directory. */
  dataDir?: string;
  adminToken?: string;
  /** Settings are read from here (default: process.env); explicit options above win. */
  env?: NodeJS.ProcessEnv;
  /** Seed the demo register on first start (default true). */
  seed?: boolean;
  /** Receives one-line notices (warnings). Default: ignore them. */
  log?: (line: string) => void;
  /** The folder served at `/` (default: web/ of this repository). */
  webDir?: string;
  /**
   * The waits before the inbound-email Lambda's retries after it fails (default 1 s, then 2 s;
   * Lambda waits minutes). Tests shorten them.
   */
  inboundRetryDelaysMs?: readonly number[];
  /**
   * The waits before the form-screening Lambda's next attempts at a submission it failed (default 1 s,
   * then 2 s; SQS waits its 120 s visibility timeout). Tests shorten them.
   */
  formRetryDelaysMs?: readonly number[];
  /**
   * The waits before a rule target's retries (the notify Lambda) after it fails (default 1 s, then 2 s).
   * Tests shorten them.
   */
  eventTargetRetryDelaysMs?: readonly number[];
}

export interface LocalSettings {
  host: string;
  ports: Ports;
  dataDir: string;
  /** From ADMIN_TOKEN or the adminToken option; otherwise it comes from the data directory. */
  adminToken: string | undefined;
  env: NodeJS.ProcessEnv;
}

export function readLocalSettings(options: LocalStackOptions = {}): LocalSettings {
  const env = options.env ?? process.env;
  const ports = {} as Ports;
  for (const name of Object.keys(portSettings) as PortName[]) {
    const setting = portSettings[name];
    ports[name] = options[name] ?? parsePort(env[setting.env], setting.env, setting.default);
  }
  const adminToken = options.adminToken ?? (env.ADMIN_TOKEN || undefined);
  return {
    host: HOST,
    ports,
    dataDir: path.resolve(options.dataDir ?? (env.DATA_DIR || '.data')),
    adminToken,
    env,
  };
}

function parsePort(value: string | undefined, envName: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new LocalStackError(`${envName} must be a port number from 0 to 65535, not "${value}".`);
  }
  return port;
}

export function portInUseMessage(port: number, envName: string): string {
  return `Port ${port} is already in use — set ${envName} to another port.`;
}
