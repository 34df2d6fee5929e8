import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { closeServer, listenOn, type PortClaim } from './ports';
import { MAIL_BUCKET } from './settings';

/**
 * The three emulators that speak the real AWS wire protocol, so the production adapters run
 * against them with only the endpoint changed (DESIGN.md, "Same code path locally").
 * They are CommonJS without (or with awkward) ESM defaults: `require` gives the same export
 * under Node and under Vitest.
 */
const require = createRequire(import.meta.url);

export interface RunningEmulator {
  port: number;
  endpoint: string;
  close(): Promise<void>;
}

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
const dynalite = require('dynalite') as (options: DynaliteOptions) => http.Server;

/** dynalite, persisted with LevelDB under `<dataDir>/dynamodb` so that data survives restarts. */
export async function startDynamoDb(
  host: string,
  dataDir: string,
  claim: PortClaim,
): Promise<RunningEmulator> {
  const server = dynalite({
    path: path.join(dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const port = await listenOn(server, host, claim);
  return { port, endpoint: `http://${host}:${port}`, close: () => closeServer(server) };
}

interface S3rverOptions {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  resetOnClose: boolean;
  configureBuckets: { name: string }[];
}
interface S3rverInstance {
  configureBuckets(): Promise<void>;
  callback(): http.RequestListener;
}
const S3rver = require('s3rver') as new (options: S3rverOptions) => S3rverInstance;
/** s3rver knows one access key (S3RVER); it does not check v4 signatures, only that the key id exists. */
const s3rverAccount = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};

/**
 * s3rver with its files under `<dataDir>/s3` and the mail bucket created. We serve its documented
 * `callback()` from our own server rather than `run()`, so that a bind error is ours to report.
 */
export async function startS3(
  host: string,
  dataDir: string,
  claim: PortClaim,
  credentials: Array<{ accessKeyId: string; secretAccessKey: string }>,
): Promise<RunningEmulator> {
  // Accept the credentials this process signs with, as dynalite and the SES emulator do.
  for (const { accessKeyId, secretAccessKey } of credentials) {
    s3rverAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  }
  const directory = path.join(dataDir, 's3');
  await mkdir(directory, { recursive: true });
  const s3rver = new S3rver({
    port: claim.port,
    address: host,
    silent: true,
    directory,
    resetOnClose: false,
    configureBuckets: [{ name: MAIL_BUCKET }],
  });
  await s3rver.configureBuckets();
  const server = http.createServer(s3rver.callback());
  const port = await listenOn(server, host, claim);
  return { port, endpoint: `http://${host}:${port}`, close: () => closeServer(server) };
}

const startSesServer = (require('aws-ses-v2-local') as typeof import('aws-ses-v2-local')).default;

/** aws-ses-v2-local: outbound mail lands in its in-memory store; its viewer is at `/`. */
export async function startSes(host: string, claim: PortClaim): Promise<RunningEmulator> {
  // It binds inside its own function, so a bind error cannot be caught; the ports were checked first.
  const server = await startSesServer({ port: claim.port, host });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : claim.port;
  return { port, endpoint: `http://${host}:${port}`, close: () => closeServer(server) };
}
