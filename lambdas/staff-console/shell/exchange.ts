import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FrameRequest } from './responses';

/** One request as the shell handles it, and the cookies its answer will set. */
export interface Exchange {
  event: APIGatewayProxyEventV2;
  method: string;
  /** rawPath: still percent-encoded, as API Gateway passes it. */
  path: string;
  now: Date;
  requestId: string;
  cookies: Map<string, string>;
  /** Set-Cookie values for the answer. */
  setCookies: string[];
  /** The page frame so far: the user and CSRF token are added once the session is read. */
  frame: FrameRequest;
}

/** The console's log: ids and decisions only, never names, addresses or what was typed (P7). */
export type ConsoleLog = Pick<Logger, 'info' | 'warn' | 'error'>;

export const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);

/**
 * Whether the browser is loading a page (a link, a form) rather than fetching for a script, an
 * image or a style sheet: only a page load is sent to sign in. Without Sec-Fetch-Dest (older
 * browsers, other clients) a request counts as a page load.
 */
export const isPageLoad = (x: Exchange) => (x.event.headers?.['sec-fetch-dest'] ?? 'document') === 'document';
