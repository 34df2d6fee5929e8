import { bodyOptions, type CommandSpec, globalOptions, type OptionSpec } from './command-spec';
import { commands, findCommand } from './command-table';

/** The usage texts of `npm run register`: general, a group's, and a command's. */

const PROGRAM = 'npm run register --';

function optionLine(name: string, option: OptionSpec): [string, string] {
  const short = option.short ? `-${option.short}, ` : '';
  return [
    `${short}--${name}${option.value ? ` ${option.value}` : ''}`,
    option.required ? `${option.help} (required)` : option.help,
  ];
}

function columns(
  rows: [string, string][],
  width = Math.max(0, ...rows.map(([left]) => left.length)),
): string {
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

const commandLine = (command: CommandSpec): [string, string] => [
  [command.name, ...command.args.map((arg) => `<${arg}>`)].join(' '),
  command.summary,
];

/** The general usage: every command, by group, and how to reach the API. */
export function generalUsage(): string {
  const width = Math.max(...commands.map((command) => commandLine(command)[0].length));
  const sections = (
    ['Customers', 'Contacts', 'Restrictions', 'Letters', 'The register', 'Monitoring'] as const
  ).map(
    (group) =>
      `${group}\n${columns(commands.filter((command) => command.group === group).map(commandLine), width)}`,
  );
  const examples = [
    'customer add --name "Pat Example" --email pat@example.org --postcode "AL10 0ZZ"',
    'restrict cus_01J… --type single-named-officer --named-officer officer@council.example \\\n' +
      '      --reason "…" --decided-by "Jo Manager" --starts 2026-12-01 --ends 2027-11-30',
    'list --status review-due',
    'letter let_01J… --pdf letter.pdf',
    '--json customer list | jq -r ".customers[].id"',
  ];
  return [
    `Usage: ${PROGRAM} <command> [arguments] [options]`,
    '',
    "The council's register of contact restrictions, over the admin API.",
    '',
    ...sections.flatMap((section) => [section, '']),
    'Options',
    columns(
      [...Object.entries(globalOptions), ...Object.entries(bodyOptions)].map(([name, option]) =>
        optionLine(name, option),
      ),
      width,
    ),
    '  (--body and --field: for the commands that send something)',
    '',
    'Where it sends',
    columns(
      [
        ['ADMIN_API_URL', 'the API (default http://127.0.0.1:$PORT, PORT default 3000)'],
        ['ADMIN_TOKEN', 'the bearer token (default: $DATA_DIR/admin-token, DATA_DIR default .data)'],
        ['AWS_REGION', 'https and no token: requests are signed with AWS SigV4 (IAM)'],
      ],
      width,
    ),
    '',
    'Examples',
    ...examples.map((example) => `  ${PROGRAM} ${example}`),
    '',
    `${PROGRAM} <command> --help shows each command's options and examples.`,
  ].join('\n');
}

/** A group's usage (`customer`): its commands. */
export function groupUsage(group: string): string {
  const rows = commands.filter((command) => command.name.startsWith(`${group} `)).map(commandLine);
  return [`Usage: ${PROGRAM} ${group} <command> …`, '', columns(rows)].join('\n');
}

/** One command's usage: arguments, options and examples. */
export function commandUsage(name: string): string {
  const spec = findCommand(name);
  if (!spec) return generalUsage();
  const synopsis = [PROGRAM, spec.name, ...spec.args.map((arg) => `<${arg}>`), '[options]'].join(' ');
  const options = { ...spec.options, ...(spec.sendsBody ? bodyOptions : {}), ...globalOptions };
  return [
    `Usage: ${synopsis}`,
    '',
    spec.summary,
    '',
    'Options',
    columns(Object.entries(options).map(([option, o]) => optionLine(option, o))),
    '',
    'Examples',
    spec.examples.map((example) => `  ${PROGRAM} ${example}`).join('\n'),
  ].join('\n');
}
