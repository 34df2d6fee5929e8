import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { HttpError, type HttpResult, json } from '../adapters/http';
import { logger } from '../adapters/observability';
import {
  type IncidentDeps,
  IncidentNotPublishedError,
  readIncident,
  recordIncident,
} from '../core/incidents';
import {
  draftStepLetter,
  editStepLetter,
  listStepLetters,
  readStepLetter,
  type StepLetterDeps,
  sendStepLetter,
  stepLetterDocument,
  summaryOfStepLetter,
} from '../core/step-letters';
import { parseOrThrow } from '../core/validation';

type RouteEvent = APIGatewayProxyEventV2 & { body?: unknown; actor?: string };

export interface IncidentRouteDeps {
  incidents: IncidentDeps;
  stepLetters: StepLetterDeps;
}

const letterFormat = z.strictObject({ format: z.enum(['json', 'html', 'pdf', 'text']).default('json') });
/** An Idempotency-Key as clients send them (a UUID or similar): printable, at most 200 characters. */
const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1 to 200 printable characters' });

const withBody = (handler: (event: RouteEvent, actor: string, id: string) => Promise<HttpResult>) =>
  middy<RouteEvent, HttpResult>()
    .use(httpJsonBodyParser())
    .handler((event) => handler(event, event.actor ?? 'unknown', event.pathParameters?.id ?? ''));

const documentHeaders = (contentType: string) => ({
  'content-type': contentType,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
});

/**
 * Incidents (POST /admin/incidents: 5.4.2, 5.7, 5.8, 3.3, 6.1, 3.2.5) and the letters before a
 * restriction (7.2.1, 7.2.2, 5.9): drafted from a step or incident, edited, then sent and kept
 * unchanged. `what` and the letters' words are personal data: never logged.
 */
export function incidentRoutes(deps: () => IncidentRouteDeps): Route<RouteEvent, HttpResult>[] {
  return [
    {
      method: 'POST',
      path: '/admin/incidents',
      handler: withBody(async (event, actor) => {
        const key = event.headers?.['idempotency-key'];
        const options = key === undefined ? {} : { idempotencyKey: parseKey(key) };
        const result = await recordIncident(event.body, actor, options, deps().incidents).catch(
          (error: unknown) => {
            if (!(error instanceof IncidentNotPublishedError)) throw error;
            logger.warn('incident recorded, events not published', { incidentId: error.incidentId });
            throw new HttpError(
              503,
              'Managers not told yet',
              `Incident ${error.incidentId} is recorded, but the managers could not be told yet (5.4.2). ${
                options.idempotencyKey
                  ? 'Send the same request again with the same Idempotency-Key: it is not recorded twice.'
                  : 'Tell the service manager now; next time send an Idempotency-Key so a repeat completes it.'
              }`,
              { 'retry-after': '5' },
            );
          },
        );
        const { incident } = result;
        logger.info('incident recorded', {
          incidentId: incident.id,
          kind: incident.kind,
          severity: incident.severity,
          onCustomer: Boolean(incident.customerId),
          replayed: result.replayed,
        });
        return json(
          201,
          {
            ...incident,
            replayed: result.replayed,
            suggestion: result.suggestion,
            warnings: result.warnings,
            ...(result.escalation ? { escalation: result.escalation } : {}),
          },
          {
            location: `/admin/incidents/${incident.id}`,
            ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
          },
        );
      }),
    },
    {
      method: 'GET',
      path: '/admin/incidents/{id}',
      handler: async (event: RouteEvent) =>
        json(200, await readIncident(event.pathParameters?.id ?? '', deps().incidents.incidents)),
    },
    {
      method: 'GET',
      path: '/admin/customers/{id}/incidents',
      handler: async (event: RouteEvent) => {
        const { incidents } = deps();
        const customerId = event.pathParameters?.id ?? '';
        if (!(await incidents.register.loadCustomer(customerId))) {
          throw new HttpError(404, 'Not found', `no customer ${customerId.slice(0, 60)} in the register`);
        }
        return json(200, { incidents: await incidents.incidents.listOfCustomer(customerId) });
      },
    },
    {
      method: 'POST',
      path: '/admin/customers/{id}/step-letters',
      handler: withBody(async (event, actor, id) => {
        const letter = await draftStepLetter(id, event.body, actor, deps().stepLetters);
        logger.info('step letter drafted', { letterId: letter.id, kind: letter.kind, customerId: id });
        return json(201, letter, { location: letter.links.self });
      }),
    },
    {
      method: 'GET',
      path: '/admin/customers/{id}/step-letters',
      handler: async (event: RouteEvent) =>
        json(200, { letters: await listStepLetters(event.pathParameters?.id ?? '', deps().stepLetters) }),
    },
    {
      method: 'GET',
      path: '/admin/step-letters/{id}',
      handler: async (event: RouteEvent) => {
        const { format } = parseOrThrow(letterFormat, event.queryStringParameters ?? {});
        const { stepLetters } = deps();
        const letter = await readStepLetter(event.pathParameters?.id ?? '', stepLetters);
        if (format === 'json') return json(200, summaryOfStepLetter(letter));
        const document = await stepLetterDocument(letter, stepLetters);
        if (format === 'pdf') {
          return {
            statusCode: 200,
            headers: {
              ...documentHeaders('application/pdf'),
              'content-disposition': `inline; filename="${letter.reference.replace(/[^\w-]/g, '')}.pdf"`,
            },
            body: Buffer.from(await document.pdf()).toString('base64'),
            isBase64Encoded: true,
          };
        }
        return {
          statusCode: 200,
          headers: documentHeaders(
            format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
          ),
          body: format === 'html' ? document.html : document.text,
        };
      },
    },
    {
      method: 'PATCH',
      path: '/admin/step-letters/{id}',
      handler: withBody(async (event, actor, id) => {
        const letter = await editStepLetter(id, event.body, actor, deps().stepLetters);
        logger.info('step letter changed', { letterId: letter.id, revision: letter.revision });
        return json(200, letter);
      }),
    },
    {
      method: 'POST',
      path: '/admin/step-letters/{id}/sent',
      handler: withBody(async (event, actor, id) => {
        const letter = await sendStepLetter(id, event.body, actor, deps().stepLetters);
        logger.info('step letter sent', { letterId: letter.id, how: letter.sentHow });
        return json(200, letter);
      }),
    },
  ];
}

function parseKey(value: string): string {
  const parsed = idempotencyKey.safeParse(value);
  if (!parsed.success)
    throw new HttpError(400, 'Bad request', `Idempotency-Key ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
