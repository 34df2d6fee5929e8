import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../../lambdas/adapters/dynamodb/batch';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { reportChannels, reportRoutes, totalNames } from '../../lambdas/core/reports';

/**
 * A council's year at scale for the report's bench (13.1): the day totals of `contacts` contacts
 * spread over the 365 London days from `from`, and `restrictions` restrictions held by customers
 * (one or two each), written with batch writes. Items are shaped as DynamoRegisterStore and
 * DynamoReportTotals write them; nothing personal is made up beyond a placeholder name.
 */
export async function seedReportScale(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { contacts?: number; restrictions?: number; from?: string } = {},
): Promise<{ contacts: number; restrictions: number; customers: number }> {
  const contacts = options.contacts ?? 100_000;
  const restrictions = options.restrictions ?? 500;
  const start = Date.parse(`${options.from ?? '2026-01-01'}T12:00:00Z`);
  const days = 365;
  const requests: Array<{ PutRequest: { Item: Record<string, unknown> } }> = [];

  let left = contacts;
  for (let d = 0; d < days; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    const count = d === days - 1 ? left : Math.floor(contacts / days);
    left -= count;
    const item: Record<string, unknown> = {
      PK: keys.reportTotals(day),
      SK: keys.reportTotalsSk(day),
      entity: 'report-totals',
      [totalNames.contacts]: count,
    };
    // Spread over the channels and routes; one in twenty from a restricted customer.
    reportChannels.forEach((channel, i) => {
      item[totalNames.channel(channel)] =
        Math.floor(count / reportChannels.length) + (i === 0 ? count % reportChannels.length : 0);
    });
    const restricted = Math.floor(count / 20);
    item[totalNames.route(reportRoutes[0])] = count - restricted;
    item[totalNames.route('named-officer')] = restricted;
    item[totalNames.restricted('all')] = restricted;
    item[totalNames.restricted('named-officer')] = restricted;
    requests.push({ PutRequest: { Item: item } });
  }

  const customers = Math.ceil(restrictions / 1.25);
  for (let c = 0; c < customers; c++) {
    const id = `cus_bench_${String(c).padStart(5, '0')}`;
    const createdAt = new Date(start + (c % days) * 86_400_000).toISOString();
    requests.push({
      PutRequest: {
        Item: {
          PK: keys.customer(id),
          SK: keys.profileSk,
          GSI1PK: keys.customersIndexPk,
          GSI1SK: `${createdAt}#${id}`,
          entity: 'customer',
          id,
          name: `Bench customer ${c}`,
          emails: [],
          phones: [],
          createdAt,
          createdBy: 'bench',
          version: 1,
        },
      },
    });
  }
  for (let r = 0; r < restrictions; r++) {
    const customerId = `cus_bench_${String(r % customers).padStart(5, '0')}`;
    const id = `res_bench_${String(r).padStart(5, '0')}`;
    const createdAt = new Date(start + ((r * 7) % days) * 86_400_000).toISOString();
    const endsAt = new Date(Date.parse(createdAt) + 180 * 86_400_000).toISOString();
    const reviewAt = new Date(Date.parse(createdAt) + 150 * 86_400_000).toISOString();
    requests.push({
      PutRequest: {
        Item: {
          PK: keys.customer(customerId),
          SK: keys.restrictionSk(id),
          GSI1PK: keys.registerIndexPk,
          GSI1SK: `${reviewAt}#${id}`,
          entity: 'restriction',
          id,
          customerId,
          type: 'single-named-officer',
          namedOfficer: 'officer@council.example',
          reason: 'Bench',
          decidedBy: 'Bench',
          startsAt: createdAt,
          endsAt,
          reviewAt,
          createdAt,
          createdBy: 'bench',
          ...(r % 3 === 0
            ? { customerAdvisedAt: new Date(Date.parse(createdAt) + 2 * 86_400_000).toISOString() }
            : {}),
          ...(r % 10 === 0
            ? { liftedAt: new Date(Date.parse(createdAt) + 60 * 86_400_000).toISOString() }
            : {}),
        },
      },
    });
  }
  await batchWriteAll(client, tableName, requests);
  return { contacts, restrictions, customers };
}
