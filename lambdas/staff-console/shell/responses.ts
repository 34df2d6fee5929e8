import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ConsoleResponse } from '../types';
import type { frameContext } from '../views/page';
import { documentPolicy } from './headers';

export type HttpResult = APIGatewayProxyStructuredResultV2;
/** What the page frame needs about the request; `user` is absent while signed out. */
export type FrameRequest = Parameters<typeof frameContext>[0];

export function seeOther(location: string, cookies: string[] = []): HttpResult {
  return { statusCode: 303, headers: { location }, cookies, body: '' };
}

/** `report.csv`, never a quote or a path that could end the header or name another folder. */
const safeFilename = (name: string) => name.replace(/[^\w.-]/g, '_').slice(0, 150);

/** A page's answer as API Gateway expects it: files in base64 when binary. */
export function toHttpResult(response: ConsoleResponse): HttpResult {
  switch (response.kind) {
    case 'page':
      return {
        statusCode: response.status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: response.html,
      };
    case 'redirect':
      // Pages answer a post by sending the browser to a page of ours (post/redirect/get).
      if (!response.location.startsWith('/') || response.location.startsWith('//'))
        throw new Error('A console page may only redirect within the console');
      return seeOther(response.location);
    case 'file': {
      const disposition = response.inline ? 'inline' : 'attachment';
      const headers: Record<string, string> = {
        'content-type': response.contentType,
        'content-disposition': response.filename
          ? `${disposition}; filename="${safeFilename(response.filename)}"`
          : disposition,
      };
      if (/^text\/html/i.test(response.contentType)) headers['content-security-policy'] = documentPolicy;
      return typeof response.body === 'string'
        ? { statusCode: 200, headers, body: response.body }
        : { statusCode: 200, headers, body: response.body.toString('base64'), isBase64Encoded: true };
    }
  }
}
