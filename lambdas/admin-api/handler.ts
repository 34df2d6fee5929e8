import { timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { createEventBridgeClient } from '../adapters/eventbridge/client';
import { HttpError, type HttpResult, json, problemResponses } from '../adapters/http';
import { logger } from '../adapters/observability';
import {
  acknowledgeConflicts,
  extendRestriction,
  imposeRestriction,
  liftRestriction,
  listCustomers,
  listLetters,
  type RegisterChangeDeps,
  readAudit,
  readCustomer,
  readLetter,
  readRestriction,
  recordAdvised,
  recordEscalationStep,
  recordReview,
  registerCustomer,
  screenAgainstRegister,
  updateCustomer,
} from '../core/register';
import { registerCsv, registerFilterSchema, registerRows } from '../core/register-view';
import { classifyForReview } from '../core/review';
import { contactToScreenSchema } from '../core/screen';
import { exportCustomer } from '../core/subject-access';
import { parseOrThrow } from '../core/validation';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { alertRoutes } from './alert-routes';
import { type AdminApiDeps, adminApiDeps } from './deps';
import { incidentRoutes } from './incident-routes';
import { lookupRoutes } from './lookup-routes';
import { openAdminApi } from './openapi';
import { recordedContactRoutes } from './recorded-contact-routes';
import { reportRoutes } from './report-routes';

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
export function authenticate(event: AdminEvent, expected: string | undefined): string {
  const authorizer = event.requestContext.authorizer;
  const principal = authorizer?.iam?.userArn ?? (authorizer?.jwt?.claims?.email as string | undefined);
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

const authentication = (adminToken: string | undefined): middy.MiddlewareObj<AdminEvent, HttpResult> => ({
  before: async (request) => {
    request.event.actor = authenticate(request.event, adminToken);
  },
});

const withJsonBody = (handler: (event: AdminEvent, actor: string, id: string) => Promise<HttpResult>) =>
  middy<AdminEvent, HttpResult>()
    .use(httpJsonBodyParser())
    .handler((event) => handler(event, event.actor ?? 'unknown', event.pathParameters?.id ?? ''));

const reading = (handler: (event: AdminEvent, id: string) => Promise<HttpResult>) => (event: AdminEvent) =>
  handler(event, event.pathParameters?.id ?? '');

const query = (event: AdminEvent) => event.queryStringParameters ?? {};
const limitOf = (event: AdminEvent, fallback: number, max: number) =>
  Math.min(max, Math.max(1, Number(query(event).limit ?? fallback) || fallback));

const letterFormat = z.strictObject({ format: z.enum(['json', 'html', 'pdf', 'text']).default('json') });
const customerFilter = z.strictObject({
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
});
const contactsQuery = z.strictObject({
  customerId: z.string().min(1).max(100),
  limit: z.string().optional(),
});

/** A restriction change: answered with the restriction as it now stands (and its letter, when one was written). */
const restrictionAction = (
  deps: AdminApiDeps,
  path: string,
  act: (
    id: string,
    body: unknown,
    actor: string,
    deps: RegisterChangeDeps,
  ) => Promise<{ id: string; status: string }>,
): Route<AdminEvent, HttpResult> => ({
  method: 'POST',
  path: `/admin/restrictions/{id}/${path}`,
  handler: withJsonBody(async (event, actor, id) => {
    const result = await act(id, event.body, actor, deps.register);
    logger.info(`restriction ${path}`, { restrictionId: result.id, status: result.status });
    return json(200, result);
  }),
});

/**
 * Admin API for the council's managers: the restriction register (7.4, 10.2, 12.1). People decide
 * restrictions (P2); this API records their decisions, who made them and why, and never edits or
 * deletes the audit trail (it has no route that could).
 */
const adminRoutes = (deps: AdminApiDeps): Route<AdminEvent, HttpResult>[] => [
  {
    method: 'POST',
    path: '/admin/customers',
    handler: withJsonBody(async (event, actor) => {
      const { customer, warnings, history } = await registerCustomer(event.body, actor, deps.register);
      logger.info('customer registered', { customerId: customer.id, ...history });
      return json(
        201,
        { ...customer, warnings, ...(history ? { history } : {}) },
        { location: `/admin/customers/${customer.id}` },
      );
    }),
  },
  {
    method: 'GET',
    path: '/admin/customers',
    handler: async (event: AdminEvent) => {
      const filter = parseOrThrow(customerFilter, query(event));
      return json(200, { customers: await listCustomers(filter, deps.register) });
    },
  },
  {
    method: 'GET',
    path: '/admin/customers/{id}',
    handler: reading(async (_event, id) => json(200, await readCustomer(id, deps.register))),
  },
  {
    method: 'PATCH',
    path: '/admin/customers/{id}',
    handler: withJsonBody(async (event, actor, id) => {
      const { customer, warnings, history } = await updateCustomer(id, event.body, actor, deps.register);
      logger.info('customer changed', { customerId: id, ...history });
      return json(200, { ...customer, warnings, ...(history ? { history } : {}) });
    }),
  },
  {
    method: 'POST',
    path: '/admin/customers/{id}/escalation',
    handler: withJsonBody(async (event, actor, id) => {
      const escalation = await recordEscalationStep(id, event.body, actor, deps.register);
      logger.info('escalation recorded', { customerId: id, stage: escalation.stage });
      return json(201, escalation);
    }),
  },
  {
    method: 'GET',
    path: '/admin/customers/{id}/audit',
    handler: reading(async (_event, id) => json(200, { entries: await readAudit(id, deps.register) })),
  },
  // 12.1: the audit trail is append-only; say so plainly to anyone who tries to change it.
  ...(['PUT', 'PATCH', 'POST', 'DELETE'] as const).map(
    (method): Route<AdminEvent, HttpResult> => ({
      method,
      path: '/admin/customers/{id}/audit',
      handler: async () => {
        throw new HttpError(
          405,
          'Method not allowed',
          'The audit trail is append-only (12.1): entries are written with each change and cannot be edited or deleted.',
          { allow: 'GET' },
        );
      },
    }),
  ),
  {
    method: 'GET',
    path: '/admin/customers/{id}/letters',
    handler: reading(async (_event, id) => json(200, { letters: await listLetters(id, deps.register) })),
  },
  {
    // Subject access (P7): everything held about this person, and nothing about anyone else.
    method: 'GET',
    path: '/admin/customers/{id}/export',
    handler: async (event: AdminEvent) => {
      const id = event.pathParameters?.id ?? '';
      const document = await exportCustomer(id, event.actor ?? 'unknown', {
        ...deps,
        store: deps.register.store,
        incidents: deps.incidents.incidents,
        stepLetters: deps.stepLetters.letters,
      });
      logger.info('customer data exported', { customerId: id });
      return json(200, document, {
        'content-disposition': `attachment; filename="customer-${id.replace(/[^\w-]/g, '')}.json"`,
      });
    },
  },
  {
    method: 'POST',
    path: '/admin/restrictions',
    handler: withJsonBody(async (event, actor) => {
      const restriction = await imposeRestriction(event.body, actor, deps.register);
      logger.info('restriction imposed', {
        restrictionId: restriction.id,
        type: restriction.type,
        status: restriction.status,
        conflicts: restriction.warnings.length,
      });
      return json(201, restriction, { location: `/admin/restrictions/${restriction.id}` });
    }),
  },
  {
    method: 'GET',
    path: '/admin/restrictions/{id}',
    handler: reading(async (_event, id) => json(200, await readRestriction(id, deps.register))),
  },
  restrictionAction(deps, 'lift', liftRestriction),
  restrictionAction(deps, 'extend', extendRestriction),
  restrictionAction(deps, 'review', recordReview),
  restrictionAction(deps, 'advised', recordAdvised),
  restrictionAction(deps, 'acknowledge-conflicts', acknowledgeConflicts),
  {
    method: 'GET',
    path: '/admin/letters/{id}',
    handler: reading(async (event, id) => {
      const { format } = parseOrThrow(letterFormat, query(event));
      const letter = await readLetter(id, deps.register);
      if (format === 'pdf') {
        return {
          statusCode: 200,
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `inline; filename="${letter.reference.replace(/[^\w-]/g, '')}.pdf"`,
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          body: Buffer.from(letter.pdf).toString('base64'),
          isBase64Encoded: true,
        };
      }
      if (format === 'html' || format === 'text') {
        return {
          statusCode: 200,
          headers: {
            'content-type': format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
            // The letter is a document to read: nothing in it may run or load.
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          },
          body: format === 'html' ? letter.html : letter.text,
        };
      }
      const { pdf: _pdf, ...rest } = letter;
      return json(200, rest);
    }),
  },
  {
    method: 'GET',
    path: '/admin/register',
    handler: async (event: AdminEvent) => {
      const filter = parseOrThrow(registerFilterSchema, query(event));
      const store = deps.register.store;
      const [restrictions, customers] = await Promise.all([store.listRestrictions(), store.listCustomers()]);
      const rows = registerRows(restrictions, new Map(customers.map((c) => [c.id, c])), filter, deps.now());
      if (filter.format === 'csv') {
        return {
          statusCode: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="restriction-register.csv"',
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          body: registerCsv(rows),
        };
      }
      return json(200, { restrictions: rows });
    },
  },
  {
    // What the daily review job would report now (10.1), without sending or publishing anything.
    method: 'GET',
    path: '/admin/reviews',
    handler: async () => {
      const items = classifyForReview(await deps.register.store.listRestrictions(), deps.now());
      const stage = (name: string) => items.filter((item) => item.stage === name);
      return json(200, { dueSoon: stage('due-soon'), overdue: stage('overdue'), ended: stage('ended') });
    },
  },
  {
    method: 'GET',
    path: '/admin/contacts',
    handler: async (event: AdminEvent) => {
      const { customerId } = parseOrThrow(contactsQuery, query(event));
      return json(200, {
        contacts: await deps.contacts.listContactsOfCustomer(customerId, limitOf(event, 100, 1000)),
      });
    },
  },
  ...alertRoutes(() => deps),
  ...lookupRoutes(() => deps),
  ...recordedContactRoutes(() => deps),
  ...incidentRoutes(() => deps),
  ...reportRoutes(() => ({ report: deps.reports, now: deps.now })),
  {
    // Events published to the bus (frequency alerts and others), newest first: what managers were told.
    method: 'GET',
    path: '/admin/events',
    handler: async (event: AdminEvent) =>
      json(200, { events: await deps.events.listEvents(limitOf(event, 100, 500)) }),
  },
  {
    // "Where would this contact go, and why?" — the same screening as live contact, changing nothing.
    method: 'POST',
    path: '/admin/screening-preview',
    handler: withJsonBody(async (event) => {
      const contact = parseOrThrow(contactToScreenSchema, event.body);
      return json(
        200,
        await screenAgainstRegister(contact, { ...deps.register, serviceInbox: deps.serviceInbox }),
      );
    }),
  },
  {
    method: 'GET',
    path: '/admin/openapi.json',
    handler: async () => json(200, openAdminApi()),
  },
];

export function createAdminApiHandler(deps: AdminApiDeps) {
  return middy<AdminEvent, HttpResult>()
    .use(httpHeaderNormalizer())
    .use(problemResponses())
    .use(authentication(deps.adminToken))
    .handler(httpRouterHandler(adminRoutes(deps)));
}

/** The deployed function: wired from the environment on first use, its client kept for the process. */
export const handler = handlerFromEnvironment((config) =>
  createAdminApiHandler(
    adminApiDeps(config, {
      dynamodb: createDynamoDocumentClient(config),
      eventBridge: createEventBridgeClient(config),
    }),
  ),
);
