import { type CommandSpec, getRequest, id, str, UsageError } from '../command-spec';

/** Letters informing a customer of a restriction (8.1). */
export const letterCommands: CommandSpec[] = [
  {
    name: 'letter',
    group: 'Letters',
    summary:
      'A letter informing of a restriction, by its id or the reference it prints: details, or saved as PDF or HTML',
    args: ['letterIdOrReference'],
    options: {
      pdf: str('save it as PDF to this file (- for stdout)', '<file>'),
      html: str('save it as HTML to this file (- for stdout)', '<file>'),
    },
    examples: ['letter let_01J…', 'letter LT-7K3F-9Q2M --pdf letter.pdf'],
    build: ({ positionals, values }) => {
      const path = `/admin/letters/${id(positionals[0])}`;
      if (values.pdf !== undefined && values.html !== undefined) {
        throw new UsageError('give --pdf or --html, not both', 'letter');
      }
      const format = values.pdf !== undefined ? 'pdf' : values.html !== undefined ? 'html' : undefined;
      if (!format) return getRequest(path, { format: 'json' });
      return {
        ...getRequest(path, { format }),
        output: { raw: true, file: (values.pdf ?? values.html) as string },
      };
    },
  },
  {
    name: 'letters',
    group: 'Letters',
    summary: "A customer's letters",
    args: ['customerId'],
    options: {},
    examples: ['letters cus_01J…'],
    build: ({ positionals }) => getRequest(`/admin/customers/${id(positionals[0])}/letters`),
  },
];
