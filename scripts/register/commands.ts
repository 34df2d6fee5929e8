/**
 * The commands of `npm run register`: how each one's arguments become one admin API request.
 * Everything here is pure (the one exception, reading a `--body` file, is injectable), so that
 * each command can be tested without a server.
 *
 *   command-spec.ts   what a command is, and the helpers its `build` uses
 *   groups/*.ts       the commands, one file per group of the usage
 *   command-table.ts  the table of them all, and finding a command in the arguments
 *   arguments.ts      parsing a command's arguments, merging `--body` and `--field`s
 *   usage.ts          the usage texts
 */
export {
  type BodyReader,
  buildRequest,
  parseFields,
  readBodySource,
  typedValue,
  wantsHelp,
  wantsJson,
} from './arguments';
export { type ApiRequest, type CommandSpec, globalOptions, UsageError } from './command-spec';
export { commands, findCommand, isGroup, type Resolved, resolveCommand } from './command-table';
export { commandUsage, generalUsage, groupUsage } from './usage';
