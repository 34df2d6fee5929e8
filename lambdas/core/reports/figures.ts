import { alertOutcomeKinds } from '../alert-outcomes';
import { restrictionTypes } from '../restriction';
import { type MonitoringReport, outcomeTitle, typeTitle } from './report';
import { incidentKinds, reportChannels, reportRoutes } from './totals';

/** One figure of the report, as every format shows it (JSON's numbers, CSV rows, PDF and console tables). */
export interface Figure {
  label: string;
  value: number | string;
}

/** A table of figures under a heading, with the clause it monitors. */
export interface FigureTable {
  id: string;
  title: string;
  clause: string;
  figures: Figure[];
  /** Whether a bar chart of the figures helps (counts of like things). */
  chart: boolean;
}

const routeLabels: Record<(typeof reportRoutes)[number], string> = {
  service: 'Service inbox',
  'named-officer': 'Named officer (7.3.4)',
  'designated-reader': 'Designated reader (7.3.7, 8.2)',
  unscreened: 'Unscreened (9.1)',
};
const channelLabels: Record<(typeof reportChannels)[number], string> = {
  email: 'Email',
  'web-form': 'Web form',
  telephone: 'Telephone',
  'in-person': 'In person',
  letter: 'Letter',
  'social-media': 'Social media',
};
const shown = (value: number | null, unit = '') => (value === null ? 'none' : `${value}${unit}`);

/** The report's figures in the order every format shows them. Pure. */
export function reportTables(report: MonitoringReport): FigureTable[] {
  const { contacts, alerts, incidents, escalation, restrictions, reviews, advice, conflicts } = report;
  return [
    {
      id: 'contacts-by-channel',
      title: 'Contacts by channel',
      clause: '4.2.12',
      chart: true,
      figures: [
        ...reportChannels.map((c) => ({ label: channelLabels[c], value: contacts.byChannel[c] })),
        { label: 'All contacts', value: contacts.total },
      ],
    },
    {
      id: 'contacts-by-route',
      title: 'Contacts by where they went',
      clause: '7.3',
      chart: true,
      figures: reportRoutes.map((r) => ({ label: routeLabels[r], value: contacts.byRoute[r] })),
    },
    {
      id: 'restricted-contacts',
      title: 'Contacts from restricted customers, by where they went',
      clause: '7.3',
      chart: true,
      figures: [
        ...reportRoutes.map((r) => ({ label: routeLabels[r], value: contacts.fromRestricted.byRoute[r] })),
        { label: 'All from restricted customers', value: contacts.fromRestricted.total },
      ],
    },
    {
      id: 'alerts',
      title: 'Frequency alerts and their outcomes',
      clause: '4.2.7',
      chart: true,
      figures: [
        { label: 'Alerts raised', value: alerts.raised },
        ...alertOutcomeKinds.map((k) => ({ label: outcomeTitle(k), value: alerts.byOutcome[k] })),
        { label: 'No outcome recorded yet', value: alerts.open },
      ],
    },
    {
      id: 'incidents',
      title: incidents.recorded ? 'Incidents by kind' : 'Incidents by kind (not recorded)',
      clause: '5.4.2',
      chart: true,
      figures: [
        ...incidentKinds.map((k) => ({ label: k.replaceAll('-', ' '), value: incidents.byKind[k] })),
        { label: 'All incidents', value: incidents.total },
      ],
    },
    {
      id: 'escalation',
      title: 'Staged escalation',
      clause: '7.2',
      chart: true,
      figures: [
        { label: 'Concerns raised (7.2)', value: escalation.concernsRaised },
        { label: 'Warnings given (7.2.1)', value: escalation.warnings },
        { label: 'Written notices (7.2.2)', value: escalation.writtenNotices },
      ],
    },
    {
      id: 'restrictions',
      title: 'Restrictions imposed, extended, lifted and ended',
      clause: '7.3',
      chart: true,
      figures: [
        { label: 'Imposed', value: restrictions.imposed },
        { label: 'Extended (10.1)', value: restrictions.extended },
        { label: 'Lifted', value: restrictions.lifted },
        { label: 'Ended', value: restrictions.ended },
        { label: 'Imposed per 1,000 contacts', value: shown(restrictions.imposedPerThousandContacts) },
      ],
    },
    {
      id: 'restrictions-by-type',
      title: 'Restrictions by type (imposed / extended / lifted / ended)',
      clause: '7.3',
      chart: false,
      figures: restrictionTypes.map((t) => {
        const c = restrictions.byType[t];
        return { label: typeTitle(t), value: `${c.imposed} / ${c.extended} / ${c.lifted} / ${c.ended}` };
      }),
    },
    {
      id: 'reviews',
      title: 'Reviews',
      clause: '10.1',
      chart: true,
      figures: [
        { label: 'Done on time', value: reviews.onTime },
        { label: 'Done late', value: reviews.late },
        { label: 'Overdue now', value: reviews.overdueNow },
      ],
    },
    {
      id: 'advice',
      title: 'Customers advised of restrictions imposed in the period',
      clause: '8.1, 12.1.4',
      chart: true,
      figures: [
        { label: 'Restrictions imposed', value: advice.imposed },
        { label: 'Advised within 5 working days', value: advice.withinFiveWorkingDays },
        { label: 'Advised later', value: advice.later },
        { label: 'Never advised', value: advice.neverAdvised },
      ],
    },
    {
      id: 'conflicts',
      title: 'Clashes with reasonable adjustments',
      clause: '8.1',
      chart: false,
      figures: [
        { label: 'Restrictions with clashes', value: conflicts.restrictionsWithClashes },
        { label: 'Acknowledged', value: conflicts.acknowledged },
        { label: 'Not acknowledged now', value: conflicts.unacknowledgedNow },
        { label: 'Days waited to be acknowledged (median)', value: shown(conflicts.waitDaysMedian) },
        { label: 'Days waited to be acknowledged (longest)', value: shown(conflicts.waitDaysLongest) },
      ],
    },
  ];
}

/** The month-by-month trends as a table: one column a measure. */
export const trendColumns = [
  ['month', 'Month'],
  ['contacts', 'Contacts'],
  ['restrictedContacts', 'From restricted customers'],
  ['imposed', 'Imposed'],
  ['extended', 'Extended'],
  ['lifted', 'Lifted'],
  ['ended', 'Ended'],
  ['warnings', 'Warnings (7.2.1)'],
  ['writtenNotices', 'Written notices (7.2.2)'],
  ['alertsRaised', 'Alerts raised'],
  ['incidents', 'Incidents'],
] as const;

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The report as CSV: `section,clause,measure,value` rows, then the monthly trends. Pure. */
export function reportCsv(report: MonitoringReport): string {
  const lines = [
    ['section', 'clause', 'measure', 'value'],
    ['period', '13.1', 'from', report.period.from],
    ['period', '13.1', 'to', report.period.to],
    ...reportTables(report).flatMap((table) =>
      table.figures.map((f) => [table.title, table.clause, f.label, f.value]),
    ),
    [],
    trendColumns.map(([, title]) => title),
    ...report.months.map((m) => trendColumns.map(([key]) => m[key])),
    [],
    ...report.notes.map((note) => ['note', '', note, '']),
  ];
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
