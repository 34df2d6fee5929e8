import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Lambda's retries of a failing asynchronous invocation (EventBridge, SES, the scheduler) before the event
 * goes to the function's failure queue. Alerts matter for days, not seconds.
 */
export const lambdaAsyncRetries = { retryAttempts: 2, maxEventAge: Duration.hours(6) };

/**
 * Where events go that a target never handled (P1: never silently away): EventBridge's dead-letter queue for
 * the rule target and Lambda's for the function. Events carry ids and counts only (P7); SQS-managed encryption
 * (EventBridge and Lambda can write to it without a key policy), TLS only, kept 14 days (SQS's longest).
 * Created in `scope` under `id`; monitoring alarms on every one.
 */
export function createFailureQueue(scope: Construct, id: string, entry: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const reason = `This queue is itself the dead-letter queue of the ${entry} function (its rule target or its queue); it is alarmed on.`;
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  return queue;
}
