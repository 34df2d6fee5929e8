import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * The console's style sheet, script, fonts and images, served without sign-in (the sign-in page
 * needs them too). Only files that exist in the assets folder, by a name made of plain segments:
 * `..`, hidden files, escapes and symbolic links out of the folder are all "not found".
 */
export const assetsPrefix = '/staff/assets/';

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const segmentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function assetName(rawPath: string): string | undefined {
  if (!rawPath.startsWith(assetsPrefix)) return undefined;
  const segments = rawPath.slice(assetsPrefix.length).split('/');
  try {
    const decoded = segments.map((segment) => decodeURIComponent(segment));
    return decoded.every((segment) => segmentPattern.test(segment) && !segment.includes('..'))
      ? decoded.join('/')
      : undefined;
  } catch {
    return undefined;
  }
}

/** The asset at `rawPath`, or undefined when there is no such file (the shell answers 404). */
export async function serveAsset(
  assetsDir: string | undefined,
  rawPath: string,
  ifNoneMatch: string | undefined,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  const name = assetName(rawPath);
  const contentType = name ? contentTypes[path.extname(name).toLowerCase()] : undefined;
  if (!assetsDir || !name || !contentType) return undefined;
  try {
    const root = await realpath(assetsDir);
    const file = await realpath(path.join(root, name));
    if (!file.startsWith(root + path.sep) || !(await stat(file)).isFile()) return undefined;
    const body = await readFile(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    // Not fingerprinted: short-lived in caches, and revalidated cheaply by ETag.
    const headers = { 'content-type': contentType, 'cache-control': 'public, max-age=300', etag };
    if (ifNoneMatch === etag) return { statusCode: 304, headers, body: '' };
    return { statusCode: 200, headers, body: body.toString('base64'), isBase64Encoded: true };
  } catch {
    return undefined;
  }
}
