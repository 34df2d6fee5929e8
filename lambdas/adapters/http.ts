import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, NotFoundError } from '../core/ports';
import { type FieldProblem, ValidationError } from '../core/validation';
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
  const middyError = error as MiddyHttpError;
  if (middyError?.cause?.package === '@middy/http-json-body-parser') {
    return middyError.message.startsWith('Invalid')
      ? problem(400, 'The body is not valid JSON', 'Send a JSON object.')
      : problem(415, 'Unsupported media type', 'Send the body as application/json.');
  }
  if (middyError?.cause?.package === '@middy/http-router') {
    return problem(404, 'Not found', 'No such route.');
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
