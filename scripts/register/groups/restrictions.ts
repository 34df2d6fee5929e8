import {
  bodyRequest,
  type CommandSpec,
  date,
  getRequest,
  id,
  many,
  required,
  str,
  UsageError,
} from '../command-spec';

/** A POST to one of a restriction's actions, the restriction being the command's argument. */
const onRestriction = (positionals: string[], action: string) =>
  ({ method: 'POST', path: `/admin/restrictions/${id(positionals[0])}/${action}` }) as const;

/** Restrictions: recording a manager's decision (7.3, 8.2), lifting, extending, advising (12.1.4), reviewing (10.1). */
export const restrictionCommands: CommandSpec[] = [
  {
    name: 'restrict',
    group: 'Restrictions',
    summary: 'Record a restriction a manager has decided (7.3, 8.2)',
    args: ['customerId'],
    options: {
      type: required(
        str('single-named-officer, no-email-letter-only, topic-no-reply, all-contact-refused, …', '<type>'),
      ),
      reason: required(str('why, with the policy clauses')),
      'decided-by': required(str('who decided (name, role)')),
      starts: required(date('first day, e.g. 2026-12-01')),
      ends: required(date('last day, e.g. 2027-11-30')),
      review: date('review date (default 12 months after the start, 10.1)'),
      'named-officer': str("the officer's mailbox (single-named-officer)", '<email>'),
      'named-officer-name': str("the officer's name, for the letter (single-named-officer)", '<name>'),
      'named-officer-phone': str("the officer's telephone, for the letter (single-named-officer)", '<phone>'),
      'designated-reader': str(
        "the reader's mailbox (topic-no-reply, no-email-letter-only, all-contact-refused)",
        '<email>',
      ),
      topic: str('case reference or label (topic-no-reply)'),
      days: many('days for phone-hours: monday,tuesday; repeatable', '<days>'),
      from: str('phone-hours from, e.g. 09:30', '<hh:mm>'),
      until: str('phone-hours until, e.g. 12:00', '<hh:mm>'),
      measures: str('measures to take when contact is necessary (12.1.5)'),
      'without-warning-reason': str('why no warning was given first'),
      'senior-approver': str('the senior manager who approved (8.2)'),
      'acknowledge-conflicts': {
        type: 'boolean',
        help: 'record it even though it conflicts with adjustments',
      },
    },
    sendsBody: true,
    examples: [
      'restrict cus_01J… --type single-named-officer --named-officer officer@council.example --named-officer-name "Casey Officer" --named-officer-phone "01707 357123" --reason "Daily calls to different officers (4.2.7, 4.2.8)" --decided-by "Jo Manager, Service Manager" --starts 2026-12-01 --ends 2027-11-30',
      'restrict cus_01J… --type phone-hours --days monday,thursday --from 10:00 --until 11:00 --reason … --decided-by … --starts 2026-12-01 --ends 2027-05-31',
    ],
    build: ({ positionals, values, extra }) => {
      const days = (values.days as string[] | undefined)?.flatMap((day) =>
        day
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      );
      const fields = {
        type: values.type,
        reason: values.reason,
        decidedBy: values['decided-by'],
        startsAt: values.starts,
        endsAt: values.ends,
        reviewAt: values.review,
        namedOfficer: values['named-officer'],
        namedOfficerName: values['named-officer-name'],
        namedOfficerPhone: values['named-officer-phone'],
        designatedReader: values['designated-reader'],
        topic: values.topic,
        days,
        from: values.from,
        until: values.until,
        measuresWhenContactNecessary: values.measures,
        withoutWarningReason: values['without-warning-reason'],
        seniorApprover: values['senior-approver'],
        acknowledgeConflicts: values['acknowledge-conflicts'] ? true : undefined,
      };
      const target = { method: 'POST', path: '/admin/restrictions' } as const;
      return bodyRequest('restrict', target, { customerId: positionals[0], ...extra }, fields, {
        type: '--type',
        reason: '--reason',
        decidedBy: '--decided-by',
        startsAt: '--starts',
        endsAt: '--ends',
      });
    },
  },
  {
    name: 'restriction show',
    group: 'Restrictions',
    summary: 'One restriction and its status',
    args: ['restrictionId'],
    options: {},
    examples: ['restriction show res_01J…'],
    build: ({ positionals }) => getRequest(`/admin/restrictions/${id(positionals[0])}`),
  },
  {
    name: 'lift',
    group: 'Restrictions',
    summary: "Lift a restriction early (a manager's decision)",
    args: ['restrictionId'],
    options: { reason: required(str('why it is lifted')), 'decided-by': required(str('who decided')) },
    sendsBody: true,
    examples: ['lift res_01J… --reason "Behaviour has improved" --decided-by "Jo Manager"'],
    build: ({ positionals, values, extra }) =>
      bodyRequest(
        'lift',
        onRestriction(positionals, 'lift'),
        extra,
        { reason: values.reason, decidedBy: values['decided-by'] },
        { reason: '--reason', decidedBy: '--decided-by' },
      ),
  },
  {
    name: 'extend',
    group: 'Restrictions',
    summary: 'Extend a restriction to a later end',
    args: ['restrictionId'],
    options: {
      ends: required(date('the new last day')),
      review: date('the new review date'),
      reason: required(str('why it is extended')),
      'decided-by': required(str('who decided')),
    },
    sendsBody: true,
    examples: [
      'extend res_01J… --ends 2028-05-31 --reason "Calls continued (10.1)" --decided-by "Jo Manager"',
    ],
    build: ({ positionals, values, extra }) =>
      bodyRequest(
        'extend',
        onRestriction(positionals, 'extend'),
        extra,
        {
          endsAt: values.ends,
          reviewAt: values.review,
          reason: values.reason,
          decidedBy: values['decided-by'],
        },
        { endsAt: '--ends', reason: '--reason', decidedBy: '--decided-by' },
      ),
  },
  {
    name: 'advised',
    group: 'Restrictions',
    summary: 'Record when the customer and the services were told (12.1.4)',
    args: ['restrictionId'],
    options: {
      customer: date('when the customer was told'),
      services: date('when the services were told'),
      how: str('how they were told (letter, email, …)', '<how>'),
    },
    sendsBody: true,
    examples: ['advised res_01J… --customer 2026-12-02 --services 2026-12-02 --how letter'],
    build: ({ positionals, values, extra }) => {
      const request = bodyRequest('advised', onRestriction(positionals, 'advised'), extra, {
        customerAdvisedAt: values.customer,
        servicesAdvisedAt: values.services,
        how: values.how,
      });
      if (request.body.customerAdvisedAt === undefined && request.body.servicesAdvisedAt === undefined) {
        throw new UsageError('give --customer <date>, --services <date> or both', 'advised');
      }
      return request;
    },
  },
  {
    name: 'reviewed',
    group: 'Restrictions',
    summary: 'Record a review of a restriction and when the next falls due (10.1)',
    args: ['restrictionId'],
    options: {
      by: required(str('who reviewed')),
      notes: required(str('what the review found')),
      next: required(date('the next review date')),
    },
    sendsBody: true,
    examples: ['reviewed res_01J… --by "Jo Manager" --notes "Still needed" --next 2027-06-01'],
    build: ({ positionals, values, extra }) =>
      bodyRequest(
        'reviewed',
        onRestriction(positionals, 'review'),
        extra,
        { reviewedBy: values.by, notes: values.notes, nextReviewAt: values.next },
        { reviewedBy: '--by', notes: '--notes', nextReviewAt: '--next' },
      ),
  },
  {
    name: 'acknowledge',
    group: 'Restrictions',
    summary: "Acknowledge a restriction's conflicts with the customer's adjustments",
    args: ['restrictionId'],
    options: {
      by: required(str('who acknowledges')),
      reason: required(str('why the restriction stands all the same')),
    },
    sendsBody: true,
    examples: ['acknowledge res_01J… --by "Jo Manager" --reason "Letters still reach them in large print"'],
    build: ({ positionals, values, extra }) =>
      bodyRequest(
        'acknowledge',
        onRestriction(positionals, 'acknowledge-conflicts'),
        extra,
        { by: values.by, reason: values.reason },
        { by: '--by', reason: '--reason' },
      ),
  },
];
