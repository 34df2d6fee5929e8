import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, json } from '../adapters/http';
import { logger } from '../adapters/observability';
import {
  type AlertLog,
  type AlertOutcomeStore,
  listAlertsWithOutcomes,
  readAlert,
  recordAlertOutcome,
} from '../core/alert-outcomes';
import type { RegisterDeps } from '../core/register';

/** The admin API's event after authentication (the actor is set before any route runs). */
type RouteEvent = APIGatewayProxyEventV2 & { body?: unknown; actor?: string };

const withJsonBody = (handle: (event: RouteEvent) => Promise<HttpResult>) =>
  middy<RouteEvent, HttpResult>()
    .use(httpJsonBodyParser())
    .handler((event) => handle(event));

export interface AlertRouteDeps {
  register: RegisterDeps;
  alerts: AlertLog;
  outcomes: AlertOutcomeStore;
}

/**
 * Frequency alerts and their outcomes (4.2.7, 7.2.1): the same use cases as the staff console's
 * alert pages. `deps` is called when a request comes, so the dependencies may be built on first use.
 */
export function alertRoutes(deps: () => AlertRouteDeps): Route<RouteEvent, HttpResult>[] {
  return [
    {
      // Newest first, each `open` or `closed` with its outcome; `status` stays whether it reached the bus.
      method: 'GET',
      path: '/admin/alerts',
      handler: async (event: RouteEvent) => {
        const { alerts, outcomes, register } = deps();
        return json(200, {
          alerts: await listAlertsWithOutcomes(event.queryStringParameters ?? {}, {
            alerts,
            outcomes,
            store: register.store,
          }),
        });
      },
    },
    {
      method: 'GET',
      path: '/admin/alerts/{id}',
      handler: async (event: RouteEvent) => {
        const { outcomes, register } = deps();
        return json(
          200,
          await readAlert(event.pathParameters?.id ?? '', { outcomes, store: register.store }),
        );
      },
    },
    {
      method: 'POST',
      path: '/admin/alerts/{id}/outcome',
      handler: withJsonBody(async (event) => {
        const id = event.pathParameters?.id ?? '';
        const { outcomes, register } = deps();
        const result = await recordAlertOutcome(id, event.body, event.actor ?? 'unknown', {
          register,
          outcomes,
        });
        logger.info('alert outcome recorded', {
          alertId: result.alertId,
          outcome: result.outcome?.outcome,
          escalationStepRecorded: result.outcome?.escalationStepRecorded,
        });
        return json(201, result, { location: `/admin/alerts/${result.alertId}` });
      }),
    },
  ];
}
