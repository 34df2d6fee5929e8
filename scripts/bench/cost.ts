import type { ContactKind, ScreeningLatencyResult } from './screening-latency';
import { round } from './stats';

/**
 * (6): what 10,000 contacts cost in requests, at list prices in eu-west-2 (London), from the
 * request counts the bench measured. Prices as published on the AWS pricing pages (on-demand,
 * before free tiers), as known on the date below: check them before relying on the figures.
 */
export const prices = {
  region: 'eu-west-2',
  asOf: 'list prices as of 2025 (DynamoDB on-demand after its 2024-11-01 reduction by half)',
  dynamodbWritePerMillion: 0.7423,
  dynamodbReadPerMillion: 0.1485,
  s3GetPerThousand: 0.00042,
  s3PutPerThousand: 0.0053,
  sesSendPerThousand: 0.1,
  sesReceivePerThousand: 0.1,
  sesReceiveChunkPerThousand: 0.09,
  eventBridgePerMillion: 1.0,
  sqsPerMillion: 0.4,
  lambdaRequestPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  httpApiPerMillion: 1.11,
} as const;

/** DynamoDB units per request: items here are small (≤ 1 KB written, ≤ 4 KB read) except where noted. */
const writeOps = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const readOps = new Set(['GetItem', 'Query', 'BatchGetItem']);

export interface CostLine {
  what: string;
  arithmetic: string;
  dollars: number;
}

export interface KindCost {
  lines: CostLine[];
  per10k: number;
}

export function costPer10k(result: ScreeningLatencyResult): Record<ContactKind, KindCost> {
  const out = {} as Record<ContactKind, KindCost>;
  for (const [kind, measured] of Object.entries(result.kinds) as [
    ContactKind,
    ScreeningLatencyResult['kinds'][ContactKind],
  ][]) {
    const ops = measured.requests.byOperation;
    let writes = 0;
    let reads = 0;
    let s3Get = 0;
    let sesSend = 0;
    let events = 0;
    let sqs = 0;
    for (const [name, count] of Object.entries(ops)) {
      const [service, operation = ''] = name.split(' ');
      if (service === 'DynamoDB' && writeOps.has(operation)) writes += count;
      if (service === 'DynamoDB' && readOps.has(operation)) reads += count;
      if (service === 'S3' && operation === 'GetObject') s3Get += count;
      if (service === 'SES') sesSend += count;
      if (service === 'EventBridge') events += count;
      if (service === 'SQS') sqs += count;
    }
    // The contact record is ~2 KB (its reasons and counts): one more write unit than a request.
    const writeUnits = writes + 1;
    const n = 10_000;
    const memoryGb = kind.startsWith('email') ? 1 : 0.5;
    const seconds = measured.screening.p50 / 1000 + (measured.answer ? measured.answer.p50 / 1000 : 0);
    const lines: CostLine[] = [
      {
        what: 'DynamoDB writes',
        arithmetic: `${writeUnits} WRU × ${n} × $${prices.dynamodbWritePerMillion}/M`,
        dollars: (writeUnits * n * prices.dynamodbWritePerMillion) / 1e6,
      },
      {
        what: 'DynamoDB reads (consistent)',
        arithmetic: `${reads} RRU × ${n} × $${prices.dynamodbReadPerMillion}/M`,
        dollars: (reads * n * prices.dynamodbReadPerMillion) / 1e6,
      },
      {
        what: 'SES sending (forward, reply)',
        arithmetic: `${sesSend} × ${n} × $${prices.sesSendPerThousand}/1k`,
        dollars: (sesSend * n * prices.sesSendPerThousand) / 1e3,
      },
      {
        what: 'EventBridge',
        arithmetic: `${events} × ${n} × $${prices.eventBridgePerMillion}/M`,
        dollars: (events * n * prices.eventBridgePerMillion) / 1e6,
      },
      {
        what: 'Lambda (arm64)',
        arithmetic: `${kind.startsWith('form') ? 2 : 1} invocations × ${n} × $${prices.lambdaRequestPerMillion}/M + ${round(seconds, 3)} s × ${memoryGb} GB × ${n} × $${prices.lambdaArmGbSecond}/GB-s`,
        dollars:
          ((kind.startsWith('form') ? 2 : 1) * n * prices.lambdaRequestPerMillion) / 1e6 +
          seconds * memoryGb * n * prices.lambdaArmGbSecond,
      },
    ];
    if (kind.startsWith('email'))
      lines.push(
        {
          what: 'SES receiving (1 mail, 1 chunk)',
          arithmetic: `${n} × ($${prices.sesReceivePerThousand} + $${prices.sesReceiveChunkPerThousand})/1k`,
          dollars: (n * (prices.sesReceivePerThousand + prices.sesReceiveChunkPerThousand)) / 1e3,
        },
        {
          what: 'S3 (SES stores it; we read it)',
          arithmetic: `${n} × $${prices.s3PutPerThousand}/1k + ${s3Get} × ${n} × $${prices.s3GetPerThousand}/1k`,
          dollars: (n * prices.s3PutPerThousand + s3Get * n * prices.s3GetPerThousand) / 1e3,
        },
      );
    else
      lines.push(
        {
          what: 'API Gateway (HTTP API)',
          arithmetic: `${n} × $${prices.httpApiPerMillion}/M`,
          dollars: (n * prices.httpApiPerMillion) / 1e6,
        },
        {
          what: 'SQS (send, receive, delete)',
          arithmetic: `${sqs * 3} × ${n} × $${prices.sqsPerMillion}/M`,
          dollars: (sqs * 3 * n * prices.sqsPerMillion) / 1e6,
        },
      );
    out[kind] = {
      lines: lines.map((line) => ({ ...line, dollars: round(line.dollars, 4) })),
      per10k: round(
        lines.reduce((sum, line) => sum + line.dollars, 0),
        3,
      ),
    };
  }
  return out;
}
