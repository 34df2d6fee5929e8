import { renderReportPdf } from '../../adapters/pdf/report-pdf';
import { dayInWords } from '../../core/london-day';
import {
  type MonitoringReport,
  type ReportPeriod,
  reportCsv,
  reportPeriodOf,
  reportTables,
  trendColumns,
} from '../../core/reports';
import { toInstant } from '../../core/time';
import { ValidationError } from '../../core/validation';
import type { ConsolePage, ConsoleRequest } from '../types';
import { renderPage } from '../views/page';
import type { ConsoleDeps } from './deps';

/**
 * Reports (13.1): the monitoring report for a period, each chart beside a table of the same
 * figures, with CSV and PDF downloads. Counts and rates only, so a council may publish it.
 */
const parts = ['day', 'month', 'year'] as const;

/** `from-day`, `from-month`, `from-year` as a date `YYYY-MM-DD`, or what was typed when it is not one. */
function dateOf(request: ConsoleRequest, name: 'from' | 'to'): string | undefined {
  const [day, month, year] = parts.map((part) => (request.query[`${name}-${part}`] ?? '').trim());
  if (!day && !month && !year) return undefined;
  if (/^\d{1,2}$/.test(day ?? '') && /^\d{1,2}$/.test(month ?? '') && /^\d{4}$/.test(year ?? ''))
    return `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`;
  return `${year}-${month}-${day}`;
}

const chartWidth = 260; // 170 for the labels, room after the longest bar for its value

/** An accessible bar chart's view: its title and one bar per numeric figure, scaled to the largest. */
function chartOf(table: ReturnType<typeof reportTables>[number]) {
  const numeric = table.figures.filter(
    (f): f is { label: string; value: number } => typeof f.value === 'number',
  );
  const largest = Math.max(1, ...numeric.map((f) => f.value));
  return {
    title: `${table.title} (${table.clause}): ${numeric.map((f) => `${f.label} ${f.value}`).join(', ')}`,
    height: numeric.length * 24,
    bars: numeric.map((f, i) => ({
      label: f.label,
      value: f.value,
      y: i * 24,
      width: Math.round((chartWidth * f.value) / largest),
    })),
  };
}

function viewOf(report: MonitoringReport, query: string) {
  return {
    period: `${dayInWords(report.period.from)} to ${dayInWords(report.period.to)}`,
    notes: report.notes,
    csvHref: `/staff/reports?${query}&format=csv`,
    pdfHref: `/staff/reports?${query}&format=pdf`,
    sections: reportTables(report).map((table) => ({
      id: table.id,
      heading: `${table.title} (${table.clause})`,
      chart: table.chart ? chartOf(table) : undefined,
      rows: table.figures.map((f) => [{ text: f.label }, { text: String(f.value), format: 'numeric' }]),
    })),
    trendHead: trendColumns.map(([key, text]) => ({
      text,
      ...(key === 'month' ? {} : { format: 'numeric' }),
    })),
    trendRows: report.months.map((m) =>
      trendColumns.map(([key]) => ({
        text: String(m[key]),
        ...(key === 'month' ? {} : { format: 'numeric' }),
      })),
    ),
  };
}

const dateItems = (request: ConsoleRequest, name: string, error: boolean) =>
  parts.map((part) => ({
    name: part,
    label: part[0]?.toUpperCase() + part.slice(1),
    value: request.query[`${name}-${part}`] ?? '',
    classes: `govuk-input--width-${part === 'year' ? 4 : 2}${error ? ' govuk-input--error' : ''}`,
  }));

export const reportPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/reports',
    permission: 'view-reports',
    async handle(request, deps) {
      const asked = {
        from: dateOf(request, 'from'),
        to: dateOf(request, 'to'),
        format: request.query.format,
      };
      let period: ReportPeriod & { format: string };
      try {
        period = reportPeriodOf(
          Object.fromEntries(Object.entries(asked).filter(([, v]) => v !== undefined && v !== '')),
          toInstant(deps.now()),
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const errors = Object.fromEntries(
          error.problems.map((p) => [p.field, `${p.field === 'from' ? 'Start' : 'End'} date ${p.problem}`]),
        );
        return renderPage(
          request,
          'reports.njk',
          {
            title: 'Reports',
            errors: {
              ...errors,
              summary: error.problems.map((p) => ({
                text: errors[p.field],
                href: `#${p.field === 'format' ? 'from' : p.field}-day`,
              })),
            },
            fromItems: dateItems(request, 'from', 'from' in errors),
            toItems: dateItems(request, 'to', 'to' in errors),
          },
          400,
        );
      }
      const report = await deps.report({ from: period.from, to: period.to });
      const name = `monitoring-report-${period.from}-to-${period.to}`;
      if (period.format === 'csv')
        return {
          kind: 'file',
          contentType: 'text/csv; charset=utf-8',
          body: reportCsv(report),
          filename: `${name}.csv`,
        };
      if (period.format === 'pdf')
        return {
          kind: 'file',
          contentType: 'application/pdf',
          body: Buffer.from(await renderReportPdf(report)),
          filename: `${name}.pdf`,
        };
      const [fy, fm, fd] = period.from.split('-');
      const [ty, tm, td] = period.to.split('-');
      const query = new URLSearchParams({
        'from-day': String(Number(fd)),
        'from-month': String(Number(fm)),
        'from-year': String(Number(fy)),
        'to-day': String(Number(td)),
        'to-month': String(Number(tm)),
        'to-year': String(Number(ty)),
      }).toString();
      const filled = {
        ...request,
        query: { ...Object.fromEntries(new URLSearchParams(query)), ...request.query },
      };
      return renderPage(request, 'reports.njk', {
        title: 'Reports',
        errors: {},
        fromItems: dateItems(filled, 'from', false),
        toItems: dateItems(filled, 'to', false),
        report: viewOf(report, query),
      });
    },
  },
];
