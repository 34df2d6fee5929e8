import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { countByOperation, RequestRecorder, sequentialStages } from '../../scripts/bench/request-counter';

const at = (startMs: number, endMs: number) => ({ startMs, endMs });

describe('sequential stages of AWS requests (the bench)', () => {
  it('counts nothing as no stage, and one request as one', () => {
    expect(sequentialStages([])).toBe(0);
    expect(sequentialStages([at(0, 5)])).toBe(1);
  });

  it('counts requests one after another as one stage each', () => {
    expect(sequentialStages([at(0, 5), at(5, 9), at(10, 20)])).toBe(3);
  });

  it('counts requests that overlap in time as one stage', () => {
    // Promise.all of three: they start together and end in any order.
    expect(sequentialStages([at(0, 7), at(0.1, 3), at(0.2, 9)])).toBe(1);
    // Two rounds of two in parallel.
    expect(sequentialStages([at(0, 4), at(0, 5), at(6, 9), at(6.5, 8)])).toBe(2);
  });

  it('finds the longest chain when a long request overlaps two short sequential ones', () => {
    // A runs throughout; B then C run one after the other beside it: B → C is a chain of two.
    expect(sequentialStages([at(0, 20), at(1, 5), at(6, 10)])).toBe(2);
  });

  it('does not depend on the order the requests are listed in', () => {
    const requests = [at(10, 20), at(0, 4), at(5, 9), at(0, 9)];
    expect(sequentialStages(requests)).toBe(3);
    expect(sequentialStages([...requests].reverse())).toBe(3);
  });

  it('counts by service and operation', () => {
    expect(
      countByOperation([
        { service: 'SES', operation: 'SendRawEmail', ...at(0, 1) },
        { service: 'DynamoDB', operation: 'UpdateItem', ...at(0, 1) },
        { service: 'DynamoDB', operation: 'UpdateItem', ...at(1, 2) },
      ]),
    ).toEqual({ 'DynamoDB UpdateItem': 2, 'SES SendRawEmail': 1 });
  });
});

describe('the request-counting middleware', () => {
  it('records each request a client sends while recording, failed ones too, and nothing outside', async () => {
    const recorder = new RequestRecorder();
    // Nothing listens on port 9: every attempt fails fast, after the middleware saw the request.
    const client = recorder.watch(
      new DynamoDBClient({
        region: 'eu-west-2',
        endpoint: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
      'DynamoDB',
    );
    const get = () =>
      client.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'a' } } })).catch(() => undefined);
    await get();
    const { requests } = await recorder.record(async () => {
      await Promise.all([get(), get()]);
      await get();
    });
    client.destroy();
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.service === 'DynamoDB' && r.operation === 'GetItem' && r.failed)).toBe(
      true,
    );
    expect(requests.every((r) => r.endMs >= r.startMs)).toBe(true);
    expect(sequentialStages(requests)).toBe(2);
  });
});
