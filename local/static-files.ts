import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LambdaHandler } from './api-gateway-v2';
import { problem } from './api-gateway-v2';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * Serves the contact form page and its files from web/ (`/` is index.html). In AWS the page is
 * hosted by the web team; locally it is served here so the form can be tried end to end.
 * A path that is not plainly a file under web/ (dot segments, hidden files, encoded slashes) is a 404.
 */
export function staticFiles(webDir: string): LambdaHandler {
  const root = path.resolve(webDir);
  return async (event) => {
    const file = resolveUnder(root, event.rawPath === '/' ? '/index.html' : event.rawPath);
    const found = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !found?.isFile())
      return problem(404, 'Not Found', `Nothing is served at ${safePath(event.rawPath)}.`);
    const body = await readFile(file);
    const type = contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const textual = type.includes('charset=utf-8') || type === 'image/svg+xml';
    return {
      statusCode: 200,
      headers: { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
      body: event.requestContext.http.method === 'HEAD' ? '' : body.toString(textual ? 'utf8' : 'base64'),
      isBase64Encoded: !textual && event.requestContext.http.method !== 'HEAD',
    };
  };
}

function resolveUnder(root: string, rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').slice(1);
  const unsafe = segments.some(
    (segment) => segment === '' || segment.startsWith('.') || /[\\\0]/.test(segment) || segment.includes(':'),
  );
  if (unsafe) return undefined;
  const file = path.resolve(root, ...segments);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** Echo at most a short, printable path in an error. */
function safePath(rawPath: string): string {
  return rawPath.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
