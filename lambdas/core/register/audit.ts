import type { AuditAction, AuditEntry } from '../ports';
import type { Instant } from '../time';

/** The register's audit trail (12.1): who did what, when, why, and field by field what changed. */

export function auditOf(
  customerId: string,
  action: AuditAction,
  subjectId: string,
  actor: string,
  at: Instant,
  newId: (prefix: 'aud') => string,
  why?: string,
  changes?: AuditEntry['changes'],
): AuditEntry {
  return {
    id: newId('aud'),
    customerId,
    action,
    subjectId,
    actor,
    at,
    ...(why ? { why } : {}),
    ...(changes && Object.keys(changes).length > 0 ? { changes } : {}),
  };
}

export const withoutUndefined = <T extends object>(value: T) => JSON.parse(JSON.stringify(value)) as T;

/** Field by field, what a change did (the audit trail's "what changed"). */
export function diff(before: object, after: object): NonNullable<AuditEntry['changes']> {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const changes: NonNullable<AuditEntry['changes']> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
    changes[key] = {
      ...(a[key] !== undefined ? { from: a[key] } : {}),
      ...(b[key] !== undefined ? { to: b[key] } : {}),
    };
  }
  return changes;
}
