import { type AlertLog, type AlertOutcomeStore, listAlertsWithOutcomes } from '../alert-outcomes';
import type { CustomerRecord, RegisterStore } from '../ports';
import type { Instant } from '../time';
import type { ReportPeriod } from './period';
import { computeReport, type MonitoringReport } from './report';
import type { ReportTotals } from './totals';

export interface ReportDeps {
  store: Pick<RegisterStore, 'listCustomers' | 'loadCustomer'>;
  totals: Pick<ReportTotals, 'read'>;
  alerts: AlertLog;
  outcomes: Pick<AlertOutcomeStore, 'loadOutcomes'>;
  /** Whether incidents are counted in the day totals (recordIncidentTotals); otherwise "not recorded". */
  incidentsRecorded?: boolean;
  /** Bank holidays (London days), not counted as working days. */
  holidays?: readonly string[];
}

/** How many alerts the report reads (newest first); the event log keeps alerts for its retention. */
export const alertsRead = 500;
const parallelLoads = 16;

async function loadAll(ids: string[], store: ReportDeps['store']): Promise<CustomerRecord[]> {
  const records: CustomerRecord[] = [];
  for (let i = 0; i < ids.length; i += parallelLoads) {
    const batch = await Promise.all(ids.slice(i, i + parallelLoads).map((id) => store.loadCustomer(id)));
    records.push(...batch.filter((r): r is CustomerRecord => r !== undefined));
  }
  return records;
}

/**
 * The monitoring report (13.1) for a period. Reads the day totals (one query a month, in
 * parallel), the register (each customer's restrictions and escalation steps) and the recent
 * alerts with their outcomes; never scans the table.
 */
export async function buildReport(
  period: ReportPeriod,
  now: Instant,
  deps: ReportDeps,
): Promise<MonitoringReport> {
  const [days, customers, alerts] = await Promise.all([
    deps.totals.read(period.from, period.to),
    deps.store.listCustomers().then((list) =>
      loadAll(
        list.map((c) => c.id),
        deps.store,
      ),
    ),
    listAlertsWithOutcomes({ limit: alertsRead }, { alerts: deps.alerts, outcomes: deps.outcomes }),
  ]);
  return computeReport({
    period,
    now,
    customers,
    days,
    alerts,
    incidentsRecorded: deps.incidentsRecorded ?? false,
    holidays: deps.holidays ?? [],
  });
}
