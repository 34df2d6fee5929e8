import { z } from 'zod';
import { fieldProblems } from '../../core/validation';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from '../types';
import { londonDateTime, londonDay } from '../views/dates';
import { renderPage } from '../views/page';
import { customerHref, linkCell, tagCell, textCell } from './cells';
import { alertOutcomeFields } from './change-forms';
import { type AlertOutcomeInput, type AlertView, alertOutcomes, type ConsoleDeps } from './deps';
import { type FormErrors, fieldViews, formErrors, initialValues, noErrors, readFields } from './form-fields';
import { channelLabels } from './present';
import { attempt, notFound, noticeFor, problemsOf, redirect } from './respond';

/**
 * Frequency alerts (4.2.7, 4.2.8, 4.2.12): the system counts and alerts; a manager decides what
 * follows (P2) and records it, which closes the alert.
 */
const windowWords: Record<string, string> = {
  topic: 'on one topic (4.2.7)',
  'all-topics': 'across topics (4.2.8)',
  channels: 'through many channels (4.2.12)',
};

export const patternOf = (alert: AlertView) =>
  `${alert.count} contacts in ${alert.windowDays} days ${windowWords[alert.window] ?? ''}`.trim();

export const alertHref = (alert: AlertView) => `/staff/alerts/${encodeURIComponent(alert.alertId)}`;

export const whoseLabel = (alert: AlertView) =>
  alert.subject.kind === 'customer'
    ? (alert.customerName ?? alert.subject.customerId)
    : 'Sender not in the register';

/** The outcome as the form gives it; telling the customer (7.2.1) says how. */
const alertOutcomeSchema = z
  .strictObject({
    outcome: z.enum(alertOutcomes),
    how: z.enum(['phone', 'letter', 'email', 'in-person']).optional(),
    by: z.string().trim().min(1).max(200),
    note: z.string().trim().max(4000).optional(),
  })
  .refine((input) => input.outcome === 'no-action' || input.how !== undefined, {
    path: ['how'],
    error: 'is required when the customer was contacted or warned (7.2.1)',
  });

export const openTag = { text: 'Open', classes: 'govuk-tag--red' };
const closedTag = { text: 'Closed', classes: 'govuk-tag--grey' };

const outcomeWords: Record<string, string> = {
  'no-action': 'No action needed',
  'customer-contacted': 'Customer contacted and asked to moderate (7.2.1)',
  'warning-given': 'Warning given (7.2.1)',
};

const list: ConsolePage<ConsoleDeps> = {
  method: 'GET',
  pattern: '/staff/alerts',
  permission: 'handle-alerts',
  async handle(request, deps) {
    const status = request.query.status === 'closed' ? 'closed' : 'open';
    const alerts = await deps.listAlerts({ status, limit: 200 });
    return renderPage(request, 'alerts.njk', {
      title: status === 'open' ? 'Open alerts' : 'Closed alerts',
      notice: noticeFor(request),
      status,
      rows: alerts.map((alert) => [
        linkCell(alertHref(alert), londonDateTime(alert.raisedAt), `alert about ${whoseLabel(alert)}`),
        alert.subject.kind === 'customer'
          ? linkCell(customerHref(alert.subject.customerId), whoseLabel(alert))
          : textCell(whoseLabel(alert)),
        textCell(patternOf(alert)),
        textCell(alert.topic?.label ?? 'All topics'),
        status === 'open'
          ? tagCell(openTag)
          : textCell(alert.outcome ? outcomeWords[alert.outcome.outcome] : ''),
      ]),
    });
  },
};

function showAlert(
  request: ConsoleRequest,
  alert: AlertView,
  values: ConsoleRequest['form'],
  errors: FormErrors,
): ConsoleResponse {
  const rows: Array<[string, string]> = [
    ['Pattern', patternOf(alert)],
    ['Topic', alert.topic?.label ?? 'All topics'],
    ['Threshold', `${alert.threshold} contacts in ${alert.windowDays} days`],
    ['Channels', alert.channels.map((c) => channelLabels[c] ?? c).join(', ')],
    ['First contact', londonDateTime(alert.firstContactAt)],
    ['Latest contact', londonDateTime(alert.lastContactAt)],
  ];
  if (alert.totalInWindow !== undefined)
    rows.push(['All contacts in the window', String(alert.totalInWindow)]);
  if (alert.outcome) {
    rows.push(['Outcome', outcomeWords[alert.outcome.outcome] ?? alert.outcome.outcome]);
    rows.push(['Decided', `${londonDay(alert.outcome.at)} by ${alert.outcome.by}`]);
    if (alert.outcome.note) rows.push(['Note', alert.outcome.note]);
  }
  return renderPage(
    request,
    'alert.njk',
    {
      title: `Alert: ${patternOf(alert)}`,
      alert,
      whose: whoseLabel(alert),
      customerHref: alert.subject.kind === 'customer' ? customerHref(alert.subject.customerId) : undefined,
      tag: alert.status === 'open' ? openTag : closedTag,
      rows: rows.map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
      references: alert.contactReferences,
      action: request.path,
      fields: alert.status === 'open' ? fieldViews(alertOutcomeFields, values, errors) : undefined,
      errors,
    },
    errors.summary.length > 0 ? 400 : 200,
  );
}

const detail: ConsolePage<ConsoleDeps> = {
  method: 'GET',
  pattern: '/staff/alerts/:id',
  permission: 'handle-alerts',
  async handle(request, deps) {
    const alert = await deps.readAlert(request.params.id ?? '');
    if (!alert) return notFound(request, 'alert');
    return showAlert(request, alert, initialValues({ by: request.user.name }), noErrors);
  },
};

const outcome: ConsolePage<ConsoleDeps> = {
  method: 'POST',
  pattern: '/staff/alerts/:id',
  permission: 'handle-alerts',
  async handle(request, deps) {
    const alert = await deps.readAlert(request.params.id ?? '');
    if (!alert) return notFound(request, 'alert');
    const { body, problems } = readFields(alertOutcomeFields, request.form);
    const parsed = alertOutcomeSchema.safeParse(body);
    const all = [...problems, ...(parsed.success ? [] : fieldProblems(parsed.error))];
    if (!parsed.success || all.length > 0) {
      return showAlert(request, alert, request.form, formErrors(alertOutcomeFields, all, request.form));
    }
    const input: AlertOutcomeInput = parsed.data;
    const result = await attempt(() => deps.recordAlertOutcome(alert.alertId, input, request.actor));
    if ('refused' in result) {
      return showAlert(
        request,
        alert,
        request.form,
        formErrors(alertOutcomeFields, problemsOf(result.refused), request.form),
      );
    }
    return redirect('/staff/alerts?done=alert-closed');
  },
};

export const alertPages: ConsolePage<ConsoleDeps>[] = [list, detail, outcome];
