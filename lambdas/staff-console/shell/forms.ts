import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** No console form comes near this; anything larger is refused before it is parsed. */
export const maxFormBytes = 64 * 1024;

export type FormFields = Record<string, string | string[]>;

export type FormReading = { fields: FormFields } | { refused: 'too-large' | 'not-a-form' };

/**
 * A posted `application/x-www-form-urlencoded` form; a name sent more than once (checkboxes)
 * becomes an array. API Gateway may hand the body over base64-encoded.
 */
export function readForm(event: APIGatewayProxyEventV2): FormReading {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > maxFormBytes) return { refused: 'too-large' };
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (body.length > 0 && type !== 'application/x-www-form-urlencoded') return { refused: 'not-a-form' };
  const fields: FormFields = {};
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    const before = fields[name];
    if (before === undefined) fields[name] = value;
    else fields[name] = Array.isArray(before) ? [...before, value] : [before, value];
  }
  return { fields };
}

/** The query string, one value a name (the first). */
export function readQuery(rawQueryString: string | undefined): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString ?? '')) {
    if (!(name in query)) query[name] = value;
  }
  return query;
}
