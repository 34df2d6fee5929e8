import { escalationOf, escalationStepInputSchema, newStep, stepProblem } from '../escalation';
import { ConflictError } from '../ports';
import { parseOrThrow, ValidationError } from '../validation';
import { auditOf } from './audit';
import { clock, ids, loadOrThrow, type RegisterDeps } from './context';

/** Records a step of staged escalation (7.2.1, 7.2.2) and answers where the customer now stands. */
export async function recordEscalationStep(
  customerId: string,
  body: unknown,
  actor: string,
  deps: RegisterDeps,
) {
  const input = parseOrThrow(escalationStepInputSchema, body);
  const now = clock(deps);
  const record = await loadOrThrow(customerId, deps);
  const problem = stepProblem(input, escalationOf(record.steps, record.restrictions, now));
  if (problem?.conflict) throw new ConflictError(`${problem.field}: ${problem.problem}`);
  if (problem) throw new ValidationError([problem]);
  const step = newStep(input, { id: ids(deps)('esc'), customerId }, now, actor);
  await deps.store.applyChange({
    customerId,
    expectedVersion: record.customer.version ?? 0,
    at: now,
    step,
    audit: [
      auditOf(customerId, 'escalation-recorded', step.id, actor, now, ids(deps), input.note, {
        step: { to: step.step },
        at: { to: step.at },
        ...(step.how ? { how: { to: step.how } } : {}),
        by: { to: step.by },
        ...(step.skipReason ? { skipReason: { to: step.skipReason } } : {}),
      }),
    ],
  });
  return escalationOf([...record.steps, step], record.restrictions, now);
}
