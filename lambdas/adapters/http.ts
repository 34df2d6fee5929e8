import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, NotFoundError } from '../core/ports';
import { type FieldProblem, ValidationError } from '../core/validation';
import { isUnreachable } from './dependency-deadlines';
import { logger } from './observability';

export type HttpResult = APIGatewayProxyStructuredResultV2;

const securityHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...securityHeaders, ...headers },
    body: JSON.stringify(body),
  };
}

/** An error answered as RFC 9457 problem details, naming each bad field where there are any. */
export function problem(status: number, title: string, detail?: string, errors?: FieldProblem[]): HttpResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...securityHeaders },
    body: JSON.stringify({
      type: 'about:blank',
      title,
      status,
      ...(detail ? { detail } : {}),
      ...(errors ? { errors } : {}),
    }),
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

interface MiddyHttpError {
  statusCode?: number;
  expose?: boolean;
  message: string;
  cause?: { package?: string };
}

interface ParserProblem {
  package: string;
  message: RegExp;
  status: number;
  title: string;
  detail: string;
}

/**
 * What each middy body parser throws (6.4.5: `createError(415, message, { cause: { package } })`
 * for a content type it does not take and for a body it cannot parse alike), as the problem a
 * client can act on: a body that cannot be parsed is a bad request (400), the wrong type 415.
 */
const parserProblems: readonly ParserProblem[] = [
  {
    package: '@middy/http-json-body-parser',
    message: /^Invalid or malformed/,
    status: 400,
    title: 'The body is not valid JSON',
    detail: 'Send a JSON object.',
  },
  {
    package: '@middy/http-json-body-parser',
    message: /^Unsupported Media Type/,
    status: 415,
    title: 'Unsupported media type',
    detail: 'Send the body as application/json.',
  },
  {
    package: '@middy/http-urlencode-body-parser',
    message: /^Invalid or malformed/,
    status: 400,
    title: 'The body is not valid form encoding',
    detail: 'Send the form as name=value pairs joined by &, as a browser does.',
  },
  {
    package: '@middy/http-urlencode-body-parser',
    message: /^Unsupported Media Type/,
    status: 415,
    title: 'Unsupported media type',
    detail: 'Send the form as application/x-www-form-urlencoded.',
  },
];

/** A middy error answered as the client's problem: a parser's from the table, any other 4xx as it says. */
function problemFromMiddy(error: MiddyHttpError): HttpResult | undefined {
  const from = error.cause?.package;
  if (!from?.startsWith('@middy/')) return undefined;
  if (from === '@middy/http-router') return problem(404, 'Not found', 'No such route.');
  const known = parserProblems.find((p) => p.package === from && p.message.test(error.message));
  if (known) return problem(known.status, known.title, known.detail);
  // A middleware's own 4xx (a newer parser may answer 422): the client's problem, said as it is.
  const status = error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return problem(status, error.message || 'The request could not be read');
  return undefined;
}

/** Maps any error to a problem response; unexpected ones are logged (without bodies) and answered 500. */
export function problemFromError(error: unknown): HttpResult {
  if (error instanceof ValidationError) {
    return problem(400, 'The request has invalid fields', error.message, error.problems);
  }
  if (error instanceof NotFoundError) return problem(404, 'Not found', error.message);
  if (error instanceof ConflictError) return problem(409, 'Conflict', error.message);
  if (error instanceof HttpError) {
    const result = problem(error.status, error.title, error.message);
    result.headers = { ...result.headers, ...error.headers };
    return result;
  }
  const fromMiddy = error instanceof Error ? problemFromMiddy(error as MiddyHttpError) : undefined;
  if (fromMiddy) return fromMiddy;
  if (isUnreachable(error)) {
    // A store that did not answer (deadline, refused, circuit open): try again shortly, not a fault of ours to hide.
    logger.warn('dependency unreachable', { error: error instanceof Error ? error.name : 'unknown' });
    const result = problem(
      503,
      'Service unavailable',
      'A store the request needs did not answer; nothing was changed unless stated. Try again in a few seconds.',
    );
    result.headers = { ...result.headers, 'retry-after': '10' };
    return result;
  }
  logger.error('request failed', { error: error instanceof Error ? error.name : 'unknown' });
  return problem(
    500,
    'Internal error',
    'The request could not be completed; nothing was changed unless stated.',
  );
}

/** Middy middleware answering every error as problem JSON (STYLE 1: the handler maps errors to responses). */
export function problemResponses(): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: async (request) => {
      request.response = problemFromError(request.error);
    },
  };
}
