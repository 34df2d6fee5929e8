import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, json } from '../adapters/http';
import { renderReportPdf } from '../adapters/pdf/report-pdf';
import { buildReport, type ReportDeps, reportCsv, reportPeriodOf } from '../core/reports';
import type { Instant } from '../core/time';

type RouteEvent = APIGatewayProxyEventV2 & { actor?: string };

export interface ReportRouteDeps {
  report: ReportDeps;
  now: () => Instant;
}

/** A report's response in the format asked for: JSON, CSV, or PDF (base64, as API Gateway carries binaries). */
export async function reportResponse(query: unknown, deps: ReportRouteDeps): Promise<HttpResult> {
  const now = deps.now();
  const { format, ...period } = reportPeriodOf(query, now);
  const report = await buildReport(period, now, deps.report);
  const name = `monitoring-report-${period.from}-to-${period.to}`;
  if (format === 'csv')
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}.csv"`,
        'cache-control': 'no-store',
      },
      body: reportCsv(report),
    };
  if (format === 'pdf')
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${name}.pdf"`,
        'cache-control': 'no-store',
      },
      isBase64Encoded: true,
      body: Buffer.from(await renderReportPdf(report)).toString('base64'),
    };
  return json(200, report);
}

/** GET /admin/reports (13.1): counts and rates for a period; nothing personal, so nothing to hide. */
export function reportRoutes(deps: () => ReportRouteDeps): Route<RouteEvent, HttpResult>[] {
  return [
    {
      method: 'GET',
      path: '/admin/reports',
      handler: (event: RouteEvent) => reportResponse(event.queryStringParameters ?? {}, deps()),
    },
  ];
}
