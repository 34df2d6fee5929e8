import type { z } from 'zod';

export interface FieldProblem {
  /** Dotted path of the field, e.g. `emails.1` or `namedOfficer`. */
  field: string;
  problem: string;
}

/** A zod error as field-level messages a person can act on ("namedOfficer: must be an email address"). */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const field = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [field, key].filter(Boolean).join('.'),
        problem: 'is not a known field',
      }));
    }
    if (
      issue.code === 'invalid_type' &&
      issue.input === undefined &&
      issue.message.startsWith('Invalid input')
    )
      return [{ field, problem: 'is required' }];
    return [{ field: field || '(body)', problem: issue.message }];
  });
}

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  }
}

/** Parses or throws a ValidationError naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldProblems(result.error));
  return result.data;
}
