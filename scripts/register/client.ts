import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiRequest } from './command-spec';

/**
 * Where the CLI sends its requests and how it proves who it is: the bearer token locally,
 * AWS SigV4 (the API's IAM authoriser) in AWS.
 */
export type Auth = { kind: 'token'; token: string } | { kind: 'sigv4'; region: string } | { kind: 'none' };

export interface Target {
  baseUrl: URL;
  auth: Auth;
}

/** Something the CLI cannot do as configured (no region, no credentials): exit 1 with the message. */
export class ClientError extends Error {
  override name = 'ClientError';
}

/**
 * ADMIN_API_URL (default http://127.0.0.1:$PORT); ADMIN_TOKEN, else `$DATA_DIR/admin-token` for
 * a plain-http (local) API; an https API without a token is signed with SigV4 for AWS_REGION
 * (else the region in an execute-api host name).
 */
export async function resolveTarget(env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<Target> {
  const raw = env.ADMIN_API_URL?.trim() || `http://127.0.0.1:${env.PORT?.trim() || '3000'}`;
  let baseUrl: URL;
  try {
    baseUrl = new URL(raw);
  } catch {
    throw new ClientError(`ADMIN_API_URL is not a URL: ${raw}`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new ClientError(`ADMIN_API_URL must be http:// or https://, not ${baseUrl.protocol}`);
  }
  const fromEnv = env.ADMIN_TOKEN?.trim();
  if (fromEnv) return { baseUrl, auth: { kind: 'token', token: fromEnv } };
  if (baseUrl.protocol === 'https:') {
    const region =
      env.AWS_REGION?.trim() ||
      env.AWS_DEFAULT_REGION?.trim() ||
      baseUrl.hostname.match(/\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/)?.[1];
    if (!region) throw new ClientError('set AWS_REGION to sign requests to the admin API in AWS');
    return { baseUrl, auth: { kind: 'sigv4', region } };
  }
  const file = path.resolve(cwd, env.DATA_DIR?.trim() || '.data', 'admin-token');
  const stored = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  return { baseUrl, auth: stored ? { kind: 'token', token: stored } : { kind: 'none' } };
}

/** The full URL of a request under the base (which may carry a path, e.g. a stage). */
export function requestUrl(baseUrl: URL, request: Pick<ApiRequest, 'path' | 'query'>): URL {
  const url = new URL(baseUrl.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${request.path}`;
  // RFC 3986 escaping (a space as %20, not +), which is also how SigV4 puts the query in its canonical form.
  url.search = Object.entries(request.query)
    .map(([key, value]) => `${escape3986(key)}=${escape3986(value)}`)
    .join('&');
  return url;
}

const escape3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface Sent {
  response: Response;
  url: URL;
}

export type Fetch = typeof fetch;

const TIMEOUT_MS = 30_000;

/** Sends the request, authenticated; the answer whatever its status. Network failures throw. */
export async function send(request: ApiRequest, target: Target, fetchImpl: Fetch = fetch): Promise<Sent> {
  const url = requestUrl(target.baseUrl, request);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  let headers: Record<string, string> = {
    accept: request.output?.raw ? '*/*' : 'application/json, application/problem+json',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...request.headers,
  };
  if (target.auth.kind === 'token') headers.authorization = `Bearer ${target.auth.token}`;
  if (target.auth.kind === 'sigv4')
    headers = await signedHeaders(url, request.method, headers, body, target.auth.region);
  const response = await fetchImpl(url, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { response, url };
}

/** SHA-256 and HMAC-SHA-256 for the SigV4 signer, from node:crypto. */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView, encoding?: 'utf8' | 'ascii' | 'latin1'): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * Headers signed with SigV4 for `execute-api`, with credentials from the default chain
 * (environment, SSO, shared files, container or instance roles). Loaded only when needed, so
 * local use starts fast.
 */
export async function signedHeaders(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  region: string,
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<Record<string, string>> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const provider = credentials
    ? async () => credentials
    : (await import('@aws-sdk/credential-provider-node')).defaultProvider();
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: provider,
    sha256: NodeSha256,
  });
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  let signed: Awaited<ReturnType<typeof signer.presign>>;
  try {
    signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(body === undefined ? {} : { body }),
    });
  } catch (error) {
    throw new ClientError(
      `no AWS credentials to sign with (${error instanceof Error ? error.message : error}); set AWS_PROFILE or ADMIN_TOKEN`,
    );
  }
  // fetch sets Host itself, to the same value.
  const { host: _host, ...rest } = signed.headers;
  return rest;
}
