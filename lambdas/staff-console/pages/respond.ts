import { ConflictError, NotFoundError } from '../../core/ports';
import { may, type Permission, roleLabels, roleNeeded } from '../../core/staff-roles';
import { ValidationError } from '../../core/validation';
import type { ConsoleRequest, ConsoleResponse } from '../types';
import { renderPage } from '../views/page';

/** The answers every page gives the same way. */

export const redirect = (location: string): ConsoleResponse => ({ kind: 'redirect', location });

/** 403 naming the role needed, as the shell answers a page the role may not open. */
export function forbidden(request: ConsoleRequest, permission: Permission): ConsoleResponse {
  const role = roleLabels[roleNeeded(permission)].toLowerCase();
  return renderPage(
    request,
    'error.njk',
    {
      title: 'You cannot do this',
      paragraphs: [
        `You need to be a ${role} to do this (policy ${permissionClause(permission)}).`,
        'Ask a colleague who holds that role, or your manager, if it needs doing.',
      ],
      backLink: { href: '/staff/', text: 'Go to the home page' },
    },
    403,
  );
}

const permissionClause = (permission: Permission) =>
  ({ 'refuse-all-contact': '8.2', view: '12.1', 'record-incidents': '5.4.2', 'write-step-letters': '7.2.2' })[
    permission as string
  ] ?? '8.1';

/** Whether the signed-in person may, for a check that depends on what is asked (e.g. the restriction type). */
export const allowed = (request: ConsoleRequest, permission: Permission) =>
  may(request.user.roles, permission);

export function notFound(request: ConsoleRequest, what: string): ConsoleResponse {
  return renderPage(
    request,
    'error.njk',
    {
      title: 'Page not found',
      paragraphs: [`There is no ${what} at this address. It may have been typed wrongly.`],
      backLink: { href: '/staff/customers', text: 'Find a customer' },
    },
    404,
  );
}

/** A read that answers 404 when the register has no such thing. */
export async function orNotFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** What a change refused for a reason a person can act on: field problems, or a clash with the register. */
export type Refusal = { problems: ValidationError['problems'] } | { conflict: string };

export async function attempt<T>(change: () => Promise<T>): Promise<{ done: T } | { refused: Refusal }> {
  try {
    return { done: await change() };
  } catch (error) {
    if (error instanceof ValidationError) return { refused: { problems: error.problems } };
    if (error instanceof ConflictError || error instanceof NotFoundError) {
      return { refused: { conflict: error.message } };
    }
    throw error;
  }
}

/** A refusal as field problems (a conflict becomes one problem about the whole form). */
export const problemsOf = (refusal: Refusal) =>
  'problems' in refusal ? refusal.problems : [{ field: '(body)', problem: refusal.conflict }];

/** Success banners after a change, by the code in `?done=` (never personal data in the address). */
const notices: Record<string, string> = {
  imposed: 'Restriction imposed. Its informing letter (8.1) is ready to send: see Letters below.',
  extended: 'Restriction extended. The letter telling the customer (10.1) is ready to send.',
  lifted: 'Restriction lifted. The letter telling the customer is ready to send.',
  reviewed: 'Review recorded. The next review date is set (10.1).',
  advised: 'Advice dates recorded (12.1.4).',
  acknowledged: 'Clash with reasonable adjustments acknowledged.',
  'step-recorded': 'Escalation step recorded (7.2).',
  'alert-closed': 'Alert closed with its outcome.',
  'incident-recorded': 'Incident recorded as a file note. The managers have been emailed (5.4.2, 5.7, 5.8).',
  'letter-saved': 'Draft saved.',
  'letter-sent': 'Letter marked as sent. It is now kept exactly as sent (12.1).',
};

export const noticeFor = (request: ConsoleRequest): string | undefined =>
  request.query.done ? notices[request.query.done] : undefined;

/** The form's first value of a field, trimmed. */
export const formText = (request: ConsoleRequest, name: string): string => {
  const value = request.form[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
};
