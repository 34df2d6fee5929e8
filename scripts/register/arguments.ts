import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ApiRequest, bodyOptions, globalOptions, type Parsed, UsageError } from './command-spec';
import { findCommand } from './command-table';

/**
 * How a command line becomes the command's arguments: Node's parseArgs against the command's options,
 * then `--body` and `--field`s merged into what the flags add to.
 */

export type BodyReader = (source: string) => string;

/** Reads `--body`'s file, or stdin for `-`. */
export const readBodySource: BodyReader = (source) => readFileSync(source === '-' ? 0 : source, 'utf8');

/** True when the arguments ask for help rather than a request. */
export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** True when the arguments ask for the raw JSON answer. */
export function wantsJson(args: string[]): boolean {
  return args.includes('--json');
}

/**
 * The one admin API request a command line stands for: `command` is the command's name
 * (`customer add`), `args` everything after it. Throws a UsageError for an unknown command or
 * option, a missing argument or a missing required field.
 */
export function buildRequest(
  command: string,
  args: string[],
  readBody: BodyReader = readBodySource,
): ApiRequest {
  const spec = findCommand(command);
  if (!spec) throw new UsageError(`unknown command "${command}"`);
  const options = { ...globalOptions, ...(spec.sendsBody ? bodyOptions : {}), ...spec.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), spec.name);
  }
  const { positionals, values } = parsed;
  if (positionals.length < spec.args.length) {
    const missing = spec.args.slice(positionals.length).map((name) => `<${name}>`);
    throw new UsageError(`missing ${missing.join(' ')}`, spec.name);
  }
  if (positionals.length > spec.args.length) {
    throw new UsageError(`unexpected argument "${positionals[spec.args.length]}"`, spec.name);
  }
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '' && name !== 'body') {
      throw new UsageError(`--${name} must not be empty`, spec.name);
    }
  }
  const extra = spec.sendsBody
    ? {
        ...(typeof values.body === 'string' ? parseBody(values.body, readBody, spec.name) : {}),
        ...parseFields((values.field as string[] | undefined) ?? [], spec.name),
      }
    : {};
  return spec.build({ positionals, values: values as Parsed['values'], extra });
}

function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages carry advice about `--` that does not fit here; keep the first sentence.
  return message.split('. ')[0]!.replace(/\.$/, '');
}

function parseBody(source: string, readBody: BodyReader, command: string): Record<string, unknown> {
  let text: string;
  try {
    text = readBody(source);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : error);
    throw new UsageError(`cannot read --body ${source} (${reason})`, command);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--body ${source} is not valid JSON`, command);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--body ${source} must hold a JSON object`, command);
  }
  return value as Record<string, unknown>;
}

/**
 * `--field` values: `key=value` typed (a plain number, `true`/`false`/`null`, or a list
 * `a,b,c` without spaces), `key:=<JSON>` as JSON, anything else a string. A key given more than
 * once collects a list.
 */
export function parseFields(fields: string[], command = 'register'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const field of fields) {
    const match = field.match(/^([A-Za-z_][\w.-]*)(:?=)([\s\S]*)$/);
    if (!match) throw new UsageError(`--field ${field}: write key=value or key:=<JSON>`, command);
    const [, key, operator, raw] = match as unknown as [string, string, string, string];
    let value: unknown;
    if (operator === ':=') {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new UsageError(`--field ${key}:= is not valid JSON`, command);
      }
    } else {
      value = typedValue(raw);
    }
    if (key in out) {
      const previous = out[key];
      const list = repeated.has(key) ? (previous as unknown[]) : [previous].flat();
      out[key] = [...list, ...[value].flat()];
      repeated.add(key);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** `12` → 12, `true` → true, `a,b` → ['a', 'b']; `07700900456` and `1.2.3` stay text. */
export function typedValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw.includes(',') && !/\s/.test(raw)) {
    return raw
      .split(',')
      .filter((item) => item !== '')
      .map(typedValue);
  }
  return raw;
}
