import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, json } from '../adapters/http';
import type { AlertLog, AlertOutcomeStore } from '../core/alert-outcomes';
import { attentionSummary } from '../core/attention';
import { readContact } from '../core/contact-view';
import { customerSearchSchema, findCustomers } from '../core/customer-search';
import type { ContactLog } from '../core/ports';
import type { RegisterDeps } from '../core/register';
import { toInstant } from '../core/time';
import { parseOrThrow } from '../core/validation';

type RouteEvent = APIGatewayProxyEventV2 & { actor?: string };

export interface LookupRouteDeps {
  register: RegisterDeps;
  contacts: Pick<ContactLog, 'loadContactRecords'>;
  alerts: AlertLog;
  outcomes: Pick<AlertOutcomeStore, 'loadOutcomes'>;
  /** Bank holidays (London days), not counted as working days. */
  holidays?: readonly string[];
}

/**
 * Finding a customer, one screened contact by reference, and what needs attention: the staff
 * console's search, contact and Home pages, for scripts too. They read and change nothing; the
 * search query is personal data and is never logged.
 */
export function lookupRoutes(deps: () => LookupRouteDeps): Route<RouteEvent, HttpResult>[] {
  return [
    {
      method: 'GET',
      path: '/admin/customers/search',
      handler: async (event: RouteEvent) => {
        const { q } = parseOrThrow(customerSearchSchema, event.queryStringParameters ?? {});
        const { register, contacts } = deps();
        return json(200, await findCustomers(q, { store: register.store, contacts }));
      },
    },
    {
      method: 'GET',
      path: '/admin/contacts/{reference}',
      handler: async (event: RouteEvent) => {
        const { register, contacts } = deps();
        return json(
          200,
          await readContact(event.pathParameters?.reference ?? '', { contacts, store: register.store }),
        );
      },
    },
    {
      method: 'GET',
      path: '/admin/attention',
      handler: async () => {
        const { register, alerts, outcomes, holidays } = deps();
        const now = register.now?.() ?? toInstant(new Date());
        return json(
          200,
          await attentionSummary(
            { store: register.store, alerts, outcomes, ...(holidays ? { holidays } : {}) },
            now,
          ),
        );
      },
    },
  ];
}
