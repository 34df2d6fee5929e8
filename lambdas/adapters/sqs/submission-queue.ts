import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueuedSubmission, SubmissionQueue } from '../../core/ports';

/**
 * The form's queue in SQS: one SendMessage per accepted submission, its body the submission as JSON
 * (the queue is encrypted and TLS-only: it holds what the person typed, P7). SQS acknowledges only
 * once the message is stored redundantly, so a resolved enqueue is a kept contact (P1). The message
 * attribute names the reference, so that an operator can find a message on the failure queue
 * without reading its body.
 */
export class SqsSubmissionQueue implements SubmissionQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(submission: QueuedSubmission): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(submission),
        MessageAttributes: { reference: { DataType: 'String', StringValue: submission.reference } },
      }),
    );
  }
}
