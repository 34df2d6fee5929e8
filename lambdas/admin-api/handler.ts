import { timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../adapters/config';
import { dynamoDocumentClient } from '../adapters/dynamodb/client';
import { DynamoFrequencyStore } from '../adapters/dynamodb/frequency-store';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { HttpError, type HttpResult, json, problemResponses } from '../adapters/http';
import { logger } from '../adapters/observability';
import {
  imposeRestriction,
  type RegisterDeps,
  readCustomer,
  readRegister,
  registerCustomer,
  screenAgainstRegister,
} from '../core/register';
import { contactToScreenSchema } from '../core/screen';
import { parseOrThrow } from '../core/validation';

/**
 * Admin API for the council's managers: the restriction register (10.2, 12.1). People decide
 * restrictions (P2); this API records their decisions and who made them.
 */
let deps: (RegisterDeps & { serviceInbox: string }) | undefined;
const registerDeps = () => {
  deps ??= {
    store: new DynamoRegisterStore(dynamoDocumentClient(), config().TABLE_NAME),
    serviceInbox: config().SERVICE_INBOX,
  };
  return deps;
};

let events: DynamoFrequencyStore | undefined;
const eventLog = () => {
  events ??= new DynamoFrequencyStore(dynamoDocumentClient(), config().TABLE_NAME);
  return events;
};

type AdminEvent = APIGatewayProxyEventV2 & {
  body?: unknown;
  /** Set by the authentication middleware before any route runs. */
  actor?: string;
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { iam?: { userArn?: string }; jwt?: { claims?: Record<string, unknown> } };
  };
};

/**
 * Who is calling. In AWS the API's authoriser (IAM or Cognito) has already checked the caller
 * and the handler takes their identity from it; locally the bearer token from `npm start` is
 * checked here. With neither, nothing is answered (defence in depth).
 */
export function authenticate(event: AdminEvent): string {
  const authorizer = event.requestContext.authorizer;
  const principal = authorizer?.iam?.userArn ?? (authorizer?.jwt?.claims?.email as string | undefined);
  const expected = config().ADMIN_TOKEN;
  if (expected) {
    const header = event.headers?.authorization ?? '';
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '';
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    if (a.length === b.length && timingSafeEqual(a, b)) return principal ?? 'local-admin';
    throw new HttpError(401, 'Unauthorised', 'Send the admin token as "Authorization: Bearer <token>".', {
      'www-authenticate': 'Bearer realm="contact-screening-admin"',
    });
  }
  if (principal) return principal;
  throw new HttpError(401, 'Unauthorised', 'No authenticated caller.');
}

const authentication = (): middy.MiddlewareObj<AdminEvent, HttpResult> => ({
  before: async (request) => {
    request.event.actor = authenticate(request.event);
  },
});

const withJsonBody = (handler: (event: AdminEvent, actor: string) => Promise<HttpResult>) =>
  middy<AdminEvent, HttpResult>()
    .use(httpJsonBodyParser())
    .handler((event) => handler(event, event.actor ?? 'unknown'));

const routes: Route<AdminEvent, HttpResult>[] = [
  {
    method: 'POST',
    path: '/admin/customers',
    handler: withJsonBody(async (event, actor) => {
      const { customer, warnings } = await registerCustomer(event.body, actor, registerDeps());
      logger.info('customer registered', { customerId: customer.id });
      return json(201, { ...customer, warnings }, { location: `/admin/customers/${customer.id}` });
    }),
  },
  {
    method: 'GET',
    path: '/admin/customers/{id}',
    handler: async (event: AdminEvent) => {
      return json(200, await readCustomer(event.pathParameters?.id ?? '', registerDeps()));
    },
  },
  {
    method: 'POST',
    path: '/admin/restrictions',
    handler: withJsonBody(async (event, actor) => {
      const { restriction, status } = await imposeRestriction(event.body, actor, registerDeps());
      logger.info('restriction imposed', { restrictionId: restriction.id, type: restriction.type, status });
      return json(201, { ...restriction, status });
    }),
  },
  {
    method: 'GET',
    path: '/admin/register',
    handler: async () => {
      return json(200, { restrictions: await readRegister(registerDeps()) });
    },
  },
  {
    // Events published to the bus (frequency alerts and others), newest first: what managers were told.
    method: 'GET',
    path: '/admin/events',
    handler: async (event: AdminEvent) => {
      const limit = Math.min(500, Math.max(1, Number(event.queryStringParameters?.limit ?? 100) || 100));
      return json(200, { events: await eventLog().listEvents(limit) });
    },
  },
  {
    // "Where would this contact go, and why?" — the same screening as live contact, changing nothing.
    method: 'POST',
    path: '/admin/screening-preview',
    handler: withJsonBody(async (event) => {
      const contact = parseOrThrow(contactToScreenSchema, event.body);
      return json(200, await screenAgainstRegister(contact, registerDeps()));
    }),
  },
];

export const handler = middy<AdminEvent, HttpResult>()
  .use(httpHeaderNormalizer())
  .use(problemResponses())
  .use(authentication())
  .handler(httpRouterHandler(routes));
