import { type CommandSpec, getRequest, str, UsageError } from '../command-spec';

const formats = ['json', 'csv', 'pdf'];

/** Monitoring (13.1): the report for a period, counts and rates only. */
export const reportCommands: CommandSpec[] = [
  {
    name: 'report',
    group: 'Monitoring',
    summary:
      'The monitoring report (13.1) for a period (default: the last full quarter), as JSON, CSV or PDF',
    args: [],
    options: {
      from: str('first London day of the period', '<YYYY-MM-DD>'),
      to: str('last London day of the period', '<YYYY-MM-DD>'),
      format: str('json (default), csv or pdf', '<format>'),
      out: str('save it to this file (- for stdout)', '<file>'),
    },
    examples: [
      'report',
      'report --from 2026-10-01 --to 2026-12-31 --format csv --out q3.csv',
      'report --from 2026-04-01 --to 2027-03-31 --format pdf --out year.pdf',
    ],
    build: ({ values }) => {
      const format = (values.format as string | undefined) ?? 'json';
      if (!formats.includes(format)) throw new UsageError('--format must be json, csv or pdf', 'report');
      if (format === 'pdf' && values.out === undefined)
        throw new UsageError('a PDF needs --out <file> (- for stdout)', 'report');
      const request = getRequest('/admin/reports', {
        from: values.from as string | undefined,
        to: values.to as string | undefined,
        format: format === 'json' ? undefined : format,
      });
      if (format === 'json' && values.out === undefined) return request;
      return {
        ...request,
        output: { raw: true, ...(values.out !== undefined ? { file: values.out as string } : {}) },
      };
    },
  },
];
