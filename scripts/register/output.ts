import { lastLondonDayOf, londonDay, londonTimeOfDay } from '../../lambdas/core/london-day';
import { recordedContactText } from './groups/contacts';

/**
 * Human-readable answers: aligned `key: value` blocks for one thing, tables for lists. Scripts use
 * `--json` instead; nothing here is meant to be parsed.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}

/** A value on one line: lists joined, objects as `key=value` pairs. */
export function inline(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(inline).join(', ');
  if (isObject(value)) {
    return Object.entries(value)
      .filter(([, v]) => !isEmpty(v))
      .map(([k, v]) => `${k}=${Array.isArray(v) || isObject(v) ? JSON.stringify(v) : field(k, v)}`)
      .join(' ');
  }
  if (typeof value === 'string') return londonTime(value);
  return String(value);
}

const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/**
 * An instant as the London day and time it is (`2026-12-01 14:05`), the day alone at its first or
 * last minute: the register's dates read back as they were entered. Other text unchanged.
 */
export function londonTime(text: string): string {
  if (!instant.test(text)) return text;
  const parts = londonParts(new Date(text));
  if (!parts) return text;
  return parts.time === '00:00' || parts.time === '23:59' ? parts.day : `${parts.day} ${parts.time}`;
}

function londonParts(date: Date): { day: string; time: string } | undefined {
  if (Number.isNaN(date.getTime())) return undefined;
  return { day: londonDay(date), time: londonTimeOfDay(date) };
}

/** Fields shown first, in this order; the rest as they come. */
const leading = ['id', 'name', 'type', 'status', 'customerId'];
const rank = (key: string) => (leading.includes(key) ? leading.indexOf(key) : leading.length);

/**
 * A field's value on one line. An end (`endsAt`) is exclusive, the first moment after the
 * restriction: at a London midnight it is shown as the last day, as `--ends` takes it.
 */
export function field(key: string, value: unknown): string {
  if (key === 'endsAt' && typeof value === 'string' && instant.test(value)) {
    const end = londonParts(new Date(value));
    if (end?.time === '00:00') return lastLondonDayOf(value);
  }
  return inline(value);
}

/** `key: value` lines, aligned; nested objects indented, lists of objects one per line. */
export function block(object: Json, omit: string[] = [], indent = ''): string {
  const entries = Object.entries(object)
    .filter(([key, value]) => !omit.includes(key) && !isEmpty(value))
    .sort(([a], [b]) => rank(a) - rank(b));
  const width = Math.max(0, ...entries.map(([key]) => key.length + 1));
  return entries
    .map(([key, value]) => {
      const label = `${indent}${`${key}:`.padEnd(width)}`;
      if (isObject(value)) return `${indent}${key}:\n${block(value, [], `${indent}  `)}`;
      if (Array.isArray(value) && value.some(isObject)) {
        return `${indent}${key}:\n${value.map((item) => `${indent}  - ${inline(item)}`).join('\n')}`;
      }
      return `${label} ${field(key, value)}`;
    })
    .join('\n');
}

/**
 * Rows as an aligned table. Columns: those given that any row has, else the scalar fields of the
 * rows (at most eight).
 */
export function table(rows: unknown[], preferred?: string[]): string {
  const objects = rows.filter(isObject);
  if (objects.length === 0) return '(none)';
  const present = (key: string) => objects.some((row) => !isEmpty(row[key]));
  let keys = (preferred ?? []).filter(present);
  if (keys.length === 0) {
    const seen = new Set<string>();
    for (const row of objects) {
      for (const [key, value] of Object.entries(row)) if (!isObject(value) && !isEmpty(value)) seen.add(key);
    }
    keys = [...seen].slice(0, 8);
  }
  const cells = objects.map((row) => keys.map((key) => truncate(field(key, row[key]), 60)));
  const widths = keys.map((key, i) => Math.max(key.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(keys), ...cells.map(line)].join('\n');
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

const restrictionColumns = ['id', 'customerId', 'name', 'type', 'status', 'startsAt', 'endsAt', 'reviewAt'];
const customerColumns = ['id', 'name', 'postcode', 'emails', 'phones', 'createdAt'];

function section(title: string, body: string): string {
  return `\n${title}\n${body
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}`;
}

function listOf(body: unknown, key: string): unknown[] {
  return isObject(body) && Array.isArray(body[key]) ? (body[key] as unknown[]) : [];
}

function warnings(body: Json): string {
  const list = Array.isArray(body.warnings) ? body.warnings : [];
  return list
    .map((warning) => `warning: ${isObject(warning) ? inline(warning) : String(warning)}`)
    .join('\n');
}

function customer(body: Json): string {
  const parts = [block(body, ['restrictions', 'escalation', 'warnings'])];
  if (Array.isArray(body.restrictions)) {
    parts.push(
      section(
        'Restrictions',
        table(body.restrictions, ['id', 'type', 'status', 'startsAt', 'endsAt', 'reviewAt']),
      ),
    );
  }
  if (isObject(body.escalation)) {
    const { stage, history } = body.escalation;
    parts.push(
      section(
        `Escalation: ${inline(stage) || 'none'}`,
        Array.isArray(history) && history.length > 0
          ? table(history, ['stage', 'clause', 'at', 'how', 'by', 'note', 'restrictionId'])
          : '(no steps recorded)',
      ),
    );
  }
  const warned = warnings(body);
  if (warned) parts.push(`\n${warned}`);
  return parts.join('\n');
}

function restriction(body: Json): string {
  const parts = [block(body, ['conflicts', 'letter', 'warnings'])];
  const warned = warnings(body);
  if (warned) parts.push(`\n${warned}`);
  if (isObject(body.letter)) {
    const { id, reference, kind, postable } = body.letter;
    const about = [inline(kind) || 'letter', ...(postable === false ? ['cannot be posted'] : [])].join(', ');
    parts.push(
      `\nLetter ${inline(reference ?? id)} (${about}): npm run register -- letter ${inline(id)} --pdf letter.pdf`,
    );
  }
  return parts.join('\n');
}

/** A frequency alert on one line: who, which window (4.2.7, 4.2.8, 4.2.12), how many. */
function alertRow(alert: unknown): unknown {
  if (!isObject(alert) || !isObject(alert.detail)) return alert;
  const { subject, window, clause, topic, count, threshold, windowDays } = alert.detail;
  return {
    at: alert.at,
    who: isObject(subject) ? (subject.customerId ?? subject.senderId ?? inline(subject)) : subject,
    clause,
    window,
    topic: isObject(topic) ? topic.label : topic,
    count: `${inline(count)} (alert at ${inline(threshold)}) in ${inline(windowDays)} days`,
    status: alert.status,
  };
}

/** An event with the id it is about. */
function eventRow(event: unknown): unknown {
  if (!isObject(event) || !isObject(event.detail)) return event;
  const { detail } = event;
  const subject = isObject(detail.subject) ? detail.subject : {};
  return {
    ...event,
    about:
      detail.restrictionId ?? detail.customerId ?? subject.customerId ?? subject.senderId ?? detail.reference,
  };
}

/** The answer to `command`, for a person. */
export function render(command: string, body: unknown): string {
  if (body === undefined || body === null || body === '') return 'Done.';
  if (!isObject(body)) return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  switch (command) {
    case 'customer add':
    case 'customer update':
    case 'customer show':
      return customer(body);
    case 'contact add':
      return recordedContactText(body);
    case 'customer list':
      return table(listOf(body, 'customers'), customerColumns);
    case 'escalate':
      return customer({ escalation: body });
    case 'restrict':
    case 'restriction show':
    case 'lift':
    case 'extend':
    case 'advised':
    case 'reviewed':
    case 'acknowledge':
      return restriction(body);
    case 'letter':
      return `${block(body, ['html', 'text', 'pdf'])}\n\nSave it with --pdf <file> or --html <file>.`;
    case 'list':
      return table(
        listOf(body, 'restrictions').map((row) =>
          isObject(row) && isObject(row.customer) ? { ...row, name: row.customer.name } : row,
        ),
        restrictionColumns,
      );
    case 'letters':
      return table(listOf(body, 'letters'), [
        'reference',
        'id',
        'kind',
        'postable',
        'restrictionId',
        'createdAt',
      ]);
    case 'contacts':
      return table(
        listOf(body, 'contacts').map((contact) =>
          isObject(contact)
            ? {
                ...contact,
                topic: isObject(contact.topic) ? contact.topic.label : contact.topic,
                reasons: Array.isArray(contact.reasons)
                  ? contact.reasons.map((r) =>
                      isObject(r) ? (r.clause ? `${r.code} (${r.clause})` : r.code) : r,
                    )
                  : contact.reasons,
              }
            : contact,
        ),
        ['reference', 'receivedAt', 'channel', 'route', 'topic', 'reasons', 'senderVerified'],
      );
    case 'alerts':
      return table(listOf(body, 'alerts').map(alertRow), [
        'at',
        'who',
        'clause',
        'window',
        'topic',
        'count',
        'status',
      ]);
    case 'events':
      return table(listOf(body, 'events').map(eventRow), ['at', 'detailType', 'about', 'status']);
    case 'audit':
      return table(listOf(body, 'entries'), ['at', 'actor', 'action', 'subjectId', 'why']);
    case 'reviews':
      return (
        [
          ['overdue', 'Overdue'],
          ['dueSoon', 'Due soon'],
          ['ended', 'Ended'],
        ] as const
      )
        .map(([key, title]) =>
          section(
            title,
            table(
              listOf(body, key).map((item) =>
                isObject(item) && isObject(item.restriction)
                  ? {
                      ...item.restriction,
                      stage: item.stage,
                      due: item.basis,
                      days: item.daysOverdue ?? item.daysUntilReview,
                    }
                  : item,
              ),
              ['id', 'customerId', 'type', 'due', 'days', 'reviewAt', 'endsAt'],
            ),
          ),
        )
        .join('\n')
        .trimStart();
    default:
      return JSON.stringify(body, null, 2);
  }
}
