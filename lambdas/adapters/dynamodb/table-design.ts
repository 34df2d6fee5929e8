/**
 * The single table's key design, shared by the CDK stack, the local runtime and the adapters so
 * that the table deployed to AWS and the one created in dynalite are the same.
 *
 * Items and their keys (access patterns are listed in README.md, "Data model"):
 *
 * | item              | PK                               | SK                         | GSI1PK      | GSI1SK                     |
 * |-------------------|----------------------------------|----------------------------|-------------|----------------------------|
 * | customer profile  | CUSTOMER#<customerId>            | PROFILE                    | CUSTOMERS   | <createdAt>#<customerId>   |
 * | restriction       | CUSTOMER#<customerId>            | RESTRICTION#<restrictionId>| REGISTER    | <reviewAt>#<restrictionId> |
 * | escalation step   | CUSTOMER#<customerId>            | STEP#<at>#<stepId>         |             |                            |
 * | informing letter  | CUSTOMER#<customerId>            | LETTER#<letterId>          |             |                            |
 * | id pointer        | ID#<restrictionId, letterId or letter reference>| ID          |             |                            |
 * | audit entry       | AUDIT#<customerId>               | <at>#<auditId>             |             |                            |
 * | identity index    | IDENTITY#<kind>#<normalised>     | IDENTITY                   |             |                            |
 * | contact record    | CONTACT#<reference>              | CONTACT                    | CONTACTS#<yyyy-mm>¹| <retainUntil>#<reference>¹ |
 * | contact log entry | CONTACTLOG#<customerId>          | <receivedAt>#<reference>   |             |                            |
 * | retention mark    | RETENTION#contacts               | RETENTION                  |             |                            |
 * | auto-reply marker | AUTOREPLY#<address>#<day>        | AUTOREPLY                  |             |                            |
 * | frequency counts  | FREQ#<customerId or senderId>    | FREQ                       |             |                            |
 * | alert cooldown    | ALERT#<subjectId>#<window>#<topic>| ALERT                     |             |                            |
 * | event record      | EVENT#<at>#<id>                  | EVENT                      | EVENTS      | <at>#<id>                  |
 * | alert outcome     | ALERTOUTCOME#<alertId>           | ALERTOUTCOME               |             |                            |
 * | notice marker     | NOTICE#<noticeKey>#<recipient hash>| NOTICE                   |             |                            |
 * | rate-limit window | RATE#<scope>:<hash>#<windowStart>| RATE                       |             |                            |
 * | review stage mark | REVIEWDUE#<restrictionId>#<stage>#<basis>| REVIEWDUE         |             |                            |
 * | review digest mark| REVIEWDIGEST#<day>#<recipient hash>| REVIEWDIGEST         |             |                            |
 * | incident          | INCIDENT#<incidentId>            | INCIDENT                   |             |                            |
 * | incident filed    | INCIDENTS#<customerId or idn_…>² | <at>#<incidentId>          |             |                            |
 * | step letter       | STEPLETTERS#<customerId>         | <letterId>                 |             |                            |
 * | step letter id    | ID#<letterId>                    | ID                         |             |                            |
 * | last review digest| REVIEWDIGEST#last                | REVIEWDIGEST               |             |                            |
 * | report day totals | TOTALS#<yyyy-mm>                 | DAY#<yyyy-mm-dd>           |             |                            |
 *
 * ¹ Set when the contact is completed; yyyy-mm is the month of its retainUntil (UTC). The retention
 *   job (DynamoContactLog.removeExpired) finds expired records there without a scan; the retention
 *   mark remembers up to which month they were all removed. A contact log entry (the decision only,
 *   P7) is written per customer of the contact; CONTACT# sorts before PROFILE, so the customer
 *   read (`SK >= PROFILE`) never reads them.
 * ² An incident is filed under its customer, or under a hash of each identity an unknown person gave
 *   (incidentSubjectOf); registering the person copies those under the customer (history.ts). The
 *   letters before a restriction (7.2.1, 7.2.2, 5.9) have their own partition per customer, so that the
 *   customer read never reads their PDFs.
 */
export const tableDesign = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  /** DynamoDB TTL only cleans up expired items; it never decides anything (P5). */
  timeToLiveAttribute: 'expiresAt',
} as const;

export const keys = {
  customer: (customerId: string) => `CUSTOMER#${customerId}`,
  profileSk: 'PROFILE',
  restrictionSk: (restrictionId: string) => `RESTRICTION#${restrictionId}`,
  restrictionPrefix: 'RESTRICTION#',
  /** The audit trail has its own partition per customer, so IAM can deny updates and deletes to it. */
  audit: (customerId: string) => `AUDIT#${customerId}`,
  auditSk: (at: string, auditId: string) => `${at}#${auditId}`,
  auditPrefix: 'AUDIT#',
  escalationSk: (at: string, stepId: string) => `STEP#${at}#${stepId}`,
  escalationPrefix: 'STEP#',
  letterSk: (letterId: string) => `LETTER#${letterId}`,
  letterPrefix: 'LETTER#',
  /** Finds a restriction or letter by its id alone (a letter by its reference too): points at the customer who holds it and the item's SK. */
  idPointer: (id: string) => `ID#${id}`,
  idPointerSk: 'ID',
  identity: (kind: string, value: string) => `IDENTITY#${kind}#${value}`,
  identitySk: 'IDENTITY',
  contact: (reference: string) => `CONTACT#${reference}`,
  contactSk: 'CONTACT',
  /**
   * A customer's contact log has its own partition, apart from the register's items, so that the
   * retention job may delete log entries without any right to the customer's restrictions.
   */
  contactLog: (customerId: string) => `CONTACTLOG#${customerId}`,
  /** Newest last (receivedAt is UTC ISO 8601). */
  contactLogSk: (receivedAt: string, reference: string) => `${receivedAt}#${reference}`,
  /** GSI1 partition of completed contact records, by the month (UTC) their retention ends. */
  contactsIndexPk: (retainUntil: string) => `CONTACTS#${retainUntil.slice(0, 7)}`,
  contactsIndexSk: (retainUntil: string, reference: string) => `${retainUntil}#${reference}`,
  retentionMark: 'RETENTION#contacts',
  retentionMarkSk: 'RETENTION',
  autoReply: (address: string, day: string) => `AUTOREPLY#${address}#${day}`,
  autoReplySk: 'AUTOREPLY',
  frequency: (subjectId: string) => `FREQ#${subjectId}`,
  frequencySk: 'FREQ',
  alert: (key: string) => `ALERT#${key}`,
  alertSk: 'ALERT',
  /** A manager's outcome for a frequency alert: written once (a conditional put), which closes the alert. */
  alertOutcome: (alertId: string) => `ALERTOUTCOME#${alertId}`,
  alertOutcomeSk: 'ALERTOUTCOME',
  event: (at: string, id: string) => `EVENT#${at}#${id}`,
  eventSk: 'EVENT',
  eventsIndexPk: 'EVENTS',
  /** The notify function writes these only (its IAM grant is limited to this prefix). */
  noticePrefix: 'NOTICE#',
  noticeSk: 'NOTICE',
  /** The contact form's endpoint writes these only (its IAM grant is limited to this prefix). */
  rateLimitPrefix: 'RATE#',
  rateLimit: (key: string, windowStart: string) => `RATE#${key}#${windowStart}`,
  rateLimitSk: 'RATE',
  /** The daily review (lambdas/core/review/): once per restriction, stage and the date it was computed from. */
  reviewDue: (restrictionId: string, stage: string, basis: string) =>
    `REVIEWDUE#${restrictionId}#${stage}#${basis}`,
  reviewDuePrefix: 'REVIEWDUE#',
  reviewDueSk: 'REVIEWDUE',
  /** One review digest per London day and manager; `last` holds when the last complete digest went. */
  reviewDigest: (day: string, recipientHash: string) => `REVIEWDIGEST#${day}#${recipientHash}`,
  reviewDigestLast: 'REVIEWDIGEST#last',
  reviewDigestPrefix: 'REVIEWDIGEST#',
  reviewDigestSk: 'REVIEWDIGEST',
  incident: (incidentId: string) => `INCIDENT#${incidentId}`,
  incidentSk: 'INCIDENT',
  incidentsFiled: (subjectId: string) => `INCIDENTS#${subjectId}`,
  incidentsFiledSk: (at: string, incidentId: string) => `${at}#${incidentId}`,
  stepLetters: (customerId: string) => `STEPLETTERS#${customerId}`,
  /** Monitoring totals (13.1): a London day's counts, under its month, so a year is twelve queries. */
  reportTotals: (day: string) => `TOTALS#${day.slice(0, 7)}`,
  reportTotalsSk: (day: string) => `DAY#${day}`,
  customersIndexPk: 'CUSTOMERS',
  registerIndexPk: 'REGISTER',
} as const;
