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
 * | audit entry       | CUSTOMER#<customerId>            | AUDIT#<at>#<auditId>       |             |                            |
 * | identity index    | IDENTITY#<kind>#<normalised>     | IDENTITY                   |             |                            |
 * | contact record    | CONTACT#<reference>              | CONTACT                    |             |                            |
 * | auto-reply marker | AUTOREPLY#<address>#<day>        | AUTOREPLY                  |             |                            |
 * | frequency counts  | FREQ#<customerId or senderId>    | FREQ                       |             |                            |
 * | alert cooldown    | ALERT#<subjectId>#<window>#<topic>| ALERT                     |             |                            |
 * | event record      | EVENT#<at>#<id>                  | EVENT                      | EVENTS      | <at>#<id>                  |
 * | notice marker     | NOTICE#<noticeKey>#<recipient hash>| NOTICE                   |             |                            |
 * | rate-limit window | RATE#<scope>:<hash>#<windowStart>| RATE                       |             |                            |
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
  auditSk: (at: string, auditId: string) => `AUDIT#${at}#${auditId}`,
  auditPrefix: 'AUDIT#',
  identity: (kind: string, value: string) => `IDENTITY#${kind}#${value}`,
  identitySk: 'IDENTITY',
  contact: (reference: string) => `CONTACT#${reference}`,
  contactSk: 'CONTACT',
  autoReply: (address: string, day: string) => `AUTOREPLY#${address}#${day}`,
  autoReplySk: 'AUTOREPLY',
  frequency: (subjectId: string) => `FREQ#${subjectId}`,
  frequencySk: 'FREQ',
  alert: (key: string) => `ALERT#${key}`,
  alertSk: 'ALERT',
  event: (at: string, id: string) => `EVENT#${at}#${id}`,
  eventSk: 'EVENT',
  eventsIndexPk: 'EVENTS',
  /** The notify function writes these only (its IAM grant is limited to this prefix). */
  noticePrefix: 'NOTICE#',
  noticeSk: 'NOTICE',
  rateLimit: (key: string, windowStart: string) => `RATE#${key}#${windowStart}`,
  rateLimitSk: 'RATE',
  customersIndexPk: 'CUSTOMERS',
  registerIndexPk: 'REGISTER',
} as const;
