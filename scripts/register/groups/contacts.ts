import { recordedChannels } from '../../../lambdas/core/channels';
import { bodyRequest, type CommandSpec, compact, required, str, UsageError } from '../command-spec';
import { callerOf, callerOptions } from './caller';

/** Contacts staff take by telephone, in person, by letter or on social media (4.2.7, 4.2.12). */
export const contactCommands: CommandSpec[] = [
  {
    name: 'contact add',
    group: 'Contacts',
    summary: 'Record a call, visit, letter or social media contact; prints what applies (7.3, 8.2)',
    args: [],
    options: {
      channel: required(str(recordedChannels.join(', '), '<channel>')),
      customer: str('the register customer it was from', '<customerId>'),
      ...callerOptions("the caller's"),
      at: str('when it happened (ISO 8601 with offset); now when left out', '<date-time>'),
      case: str('the case reference it is about', '<reference>'),
      topic: str('what it is about'),
      summary: required(str('what was said or written (personal data: kept with the contact only)')),
      'recorded-by': required(str('who took it')),
      id: str('your own id for it: sent again, it is not counted twice', '<id>'),
    },
    sendsBody: true,
    examples: [
      'contact add --channel telephone --customer cus_01J… --summary "Asked again about CMP-12345" --recorded-by "Casey Officer"',
      'contact add --channel in-person --caller-name "Sam Example" --caller-postcode "AL10 9AB" --summary "…" --recorded-by "Casey Officer"',
    ],
    build: ({ values, extra }) => {
      const caller = callerOf(values);
      const body = compact({
        channel: values.channel,
        at: values.at,
        customerId: values.customer,
        ...(Object.keys(caller).length > 0 ? { caller } : {}),
        caseReference: values.case,
        topic: values.topic,
        summary: values.summary,
        recordedBy: values['recorded-by'],
        id: values.id,
      });
      if (
        body.customerId === undefined &&
        body.caller === undefined &&
        extra.customerId === undefined &&
        extra.caller === undefined
      )
        throw new UsageError(
          'give --customer, or the caller: --caller-phone, --caller-email or --caller-name',
          'contact add',
        );
      return bodyRequest('contact add', { method: 'POST', path: '/admin/contacts' }, extra, body, {
        channel: '--channel',
        summary: '--summary',
        recordedBy: '--recorded-by',
      });
    },
  },
];

/** The answer as the officer reads it: the reference, what applies (one line each), the counts. */
export function recordedContactText(body: Record<string, unknown>): string {
  const decision = (body.decision ?? {}) as { lines?: string[]; attention?: boolean; customerIds?: string[] };
  const counts = body.counts as { topic: number; allTopics: number; channels: number } | undefined;
  const lines = [
    `reference: ${String(body.reference)}${body.status === 'duplicate' ? ' (recorded before: not counted again)' : ''}`,
    `customer:  ${decision.customerIds?.join(', ') || 'not in the register'}`,
    '',
    decision.attention ? 'Before you go on:' : 'What applies:',
    ...(decision.lines ?? []).map((line) => `- ${line}`),
  ];
  if (counts) {
    lines.push('', ...((body.frequency as string[] | undefined) ?? []).map((line) => `- ${line}`));
  }
  const alerts = (body.alerts as string[] | undefined) ?? [];
  if (alerts.length > 0) lines.push('', `Frequency alerts raised: ${alerts.join(', ')} (managers are told).`);
  return lines.join('\n');
}
