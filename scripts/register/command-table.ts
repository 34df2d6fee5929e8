import type { CommandSpec } from './command-spec';
import { contactCommands } from './groups/contacts';
import { customerCommands } from './groups/customers';
import { incidentCommands } from './groups/incidents';
import { letterCommands } from './groups/letters';
import { registerCommands } from './groups/register';
import { reportCommands } from './groups/reports';
import { restrictionCommands } from './groups/restrictions';

/** The commands, group by group, in the order the general usage lists them. */
export const commands: CommandSpec[] = [
  ...customerCommands,
  ...contactCommands,
  ...incidentCommands,
  ...restrictionCommands,
  ...letterCommands,
  ...registerCommands,
  ...reportCommands,
];

const byName = new Map(commands.map((command) => [command.name, command]));
/** Words that start a two-word command. */
const groups = new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!));

export function findCommand(name: string): CommandSpec | undefined {
  return byName.get(name);
}

export function isGroup(word: string): boolean {
  return groups.has(word);
}

export interface Resolved {
  /** The command's name (`customer add`), a group's name (`customer`) or undefined when none was given. */
  command?: string;
  /** Every other argument, in order. */
  rest: string[];
}

/**
 * Finds the command in the arguments: its word (or two words) may follow global flags
 * (`--json customer list`). Does not check that it exists.
 */
export function resolveCommand(argv: string[]): Resolved {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && ['--json', '--help', '-h'].includes(argv[i]!)) lead.push(argv[i++]!);
  const first = argv[i];
  if (first === undefined || first.startsWith('-')) return { rest: argv };
  const second = argv[i + 1];
  if (isGroup(first) && second !== undefined && !second.startsWith('-')) {
    return { command: `${first} ${second}`, rest: [...lead, ...argv.slice(i + 2)] };
  }
  return { command: first, rest: [...lead, ...argv.slice(i + 1)] };
}
