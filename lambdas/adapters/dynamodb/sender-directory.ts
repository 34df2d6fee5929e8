import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SenderDirectory } from '../../core/notify/notify-managers';
import { keys } from './table-design';

/**
 * The address of a sender who is not in the register, from their frequency counts
 * (`FREQ#<senderId>` / `FREQ`, attribute `senderAddress`). Events never carry it (P7).
 */
export class DynamoSenderDirectory implements SenderDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async senderAddress(senderId: string): Promise<string | undefined> {
    const output = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.frequency(senderId), SK: keys.frequencySk },
        ProjectionExpression: 'senderAddress',
      }),
    );
    const address = output.Item?.senderAddress;
    return typeof address === 'string' && address !== '' ? address : undefined;
  }
}
