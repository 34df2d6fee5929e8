/**
 * What a command of `npm run register` is: its options, and how its arguments become one admin API
 * request. The helpers here are what every command's `build` uses.
 */

/** A mistake in how the command was typed: usage on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage to show; none for the general usage. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Under the API's base URL, e.g. `/admin/customers/cus_1`; ids are URL-encoded. */
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
  /** Extra request headers (e.g. Idempotency-Key). */
  headers?: Record<string, string>;
  /** Where the answer goes when it is not printed as JSON or a table. */
  output?: {
    /** The answer as it came (CSV, HTML, PDF bytes), not parsed as JSON. */
    raw?: boolean;
    /** Write the answer to this file (`-` for stdout) instead of printing it. */
    file?: string;
  };
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in usage, e.g. `<date>`. */
  value?: string;
  help: string;
  /** Shown as required in usage (the command checks it, after merging `--body`). */
  required?: boolean;
}

export interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  /** `--body` merged with `--field`s: what the flags add to (commands that send a body only). */
  extra: Record<string, unknown>;
}

export interface CommandSpec {
  name: string;
  group: 'Customers' | 'Contacts' | 'Restrictions' | 'Letters' | 'The register' | 'Monitoring';
  summary: string;
  /** Positional arguments, all required, e.g. `['customerId']`. */
  args: string[];
  options: Record<string, OptionSpec>;
  /** Sends a JSON body: accepts `--body` and `--field`. */
  sendsBody?: boolean;
  examples: string[];
  build(parsed: Parsed): ApiRequest;
}

/** Options every command takes. */
export const globalOptions: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: "print the API's JSON answer as it is (for scripts)" },
  help: { type: 'boolean', short: 'h', help: 'show how to use the command' },
};

export const bodyOptions: Record<string, OptionSpec> = {
  body: {
    type: 'string',
    value: '<file.json|->',
    help: 'a JSON object to send (- reads stdin); the flags given add to it and win',
  },
  field: {
    type: 'string',
    multiple: true,
    value: '<key=value>',
    help: 'any other field: key=value (numbers, true/false and a,b,c lists typed), key:=<JSON>; repeatable',
  },
};

/** Options by kind: text (with its placeholder), a date, required, repeatable. */
export const str = (help: string, value = '<text>'): OptionSpec => ({ type: 'string', value, help });
export const date = (help: string): OptionSpec => ({ type: 'string', value: '<date>', help });
export const required = (option: OptionSpec): OptionSpec => ({ ...option, required: true });
export const many = (help: string, value: string): OptionSpec => ({
  type: 'string',
  multiple: true,
  value,
  help,
});

/** A path segment: an id, URL-encoded. */
export const id = (value: string | undefined) => encodeURIComponent(value ?? '');

export function positiveInteger(value: unknown, flag: string, command: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`${flag} must be a whole number above 0`, command);
  }
  return value;
}

export function requireFields(
  command: string,
  body: Record<string, unknown>,
  fields: Record<string, string>,
) {
  const missing = Object.entries(fields)
    .filter(([field]) => body[field] === undefined || body[field] === '')
    .map(([, flag]) => flag);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')}`, command);
}

/** A GET of `path`, with the query's defined members. */
export function getRequest(path: string, query: Record<string, unknown> = {}): ApiRequest {
  return { method: 'GET', path, query: compact(query) as Record<string, string> };
}

/**
 * The request of a command that sends a body: the flags' `fields` (undefined ones left out) over `extra`,
 * what `--body` and `--field` gave; then each field of `required` (field → the flag that sets it) checked.
 */
export function bodyRequest(
  command: string,
  target: Pick<ApiRequest, 'method' | 'path'>,
  extra: Record<string, unknown>,
  fields: Record<string, unknown>,
  required: Record<string, string> = {},
): ApiRequest & { body: Record<string, unknown> } {
  const body = { ...extra, ...compact(fields) };
  requireFields(command, body, required);
  return { ...target, query: {}, body };
}

/** The object without its undefined members. */
export function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
