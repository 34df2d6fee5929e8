import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, json } from '../adapters/http';
import { logger } from '../adapters/observability';
import { type RecordingDeps, recordContact } from '../core/recorded-contacts';

type RouteEvent = APIGatewayProxyEventV2 & { body?: unknown; actor?: string };

export interface RecordedContactRouteDeps {
  recording: RecordingDeps;
}

const withJsonBody = (handler: (event: RouteEvent) => Promise<HttpResult>) =>
  middy<RouteEvent, HttpResult>()
    .use(httpJsonBodyParser())
    .handler((event) => handler(event));

/**
 * POST /admin/contacts: a contact staff took by telephone, in person, by letter or on social media
 * (4.2.7). Answered 201 with what the officer must observe, or 200 with the same answer when the
 * `Idempotency-Key` (or the body's `id`) was recorded already (P6). The summary is never logged (P7).
 */
export function recordedContactRoutes(deps: () => RecordedContactRouteDeps): Route<RouteEvent, HttpResult>[] {
  return [
    {
      method: 'POST',
      path: '/admin/contacts',
      handler: withJsonBody(async (event) => {
        const answer = await recordContact(
          event.body,
          { idempotencyKey: event.headers?.['idempotency-key'], actor: event.actor ?? 'unknown' },
          deps().recording,
        );
        logger.info('contact recorded', {
          reference: answer.reference,
          channel: answer.channel,
          status: answer.status,
          customerIds: answer.decision.customerIds,
          restrictionTypes: answer.decision.measures.map((measure) => measure.type),
          attention: answer.decision.attention,
          alerts: answer.alerts,
        });
        return json(answer.status === 'recorded' ? 201 : 200, answer, {
          location: `/admin/contacts/${answer.reference}`,
        });
      }),
    },
  ];
}
