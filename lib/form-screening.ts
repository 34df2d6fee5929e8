import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { createFailureQueue } from './failure-queue';

/** The form-screening function's timeout: a few dependency deadlines, with room (BRIEF numbers: 20 s, lease 30 s). */
export const formScreeningTimeout = Duration.seconds(20);

/** SQS delivers a message five times; then it moves to the failure queue, which is alarmed on (P1). */
export const formMaxReceiveCount = 5;

/**
 * The form's queue: the contact form's endpoint writes each accepted submission here once and answers
 * 202 at once; the form-screening function screens, counts and forwards from it. It holds what the
 * person typed (P7): SQS-managed encryption, TLS only, kept 14 days (SQS's longest) so that nothing
 * expires before it is screened. Its visibility timeout, 120 s, is six times the function's timeout, as
 * AWS advises for an event source, and outlasts the contact lease (30 s), so that a redelivery after a
 * failure or a ContactBusyError meets a lapsed lease. Created in `scope` (see `ScreeningFunctions`).
 */
export function createFormQueue(scope: Construct): { queue: sqs.Queue; failureQueue: sqs.Queue } {
  const failureQueue = createFailureQueue(scope, 'FormScreeningFailureQueue', 'form-screening');
  const queue = new sqs.Queue(scope, 'FormQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    visibilityTimeout: Duration.seconds(formScreeningTimeout.toSeconds() * 6),
    deadLetterQueue: { queue: failureQueue, maxReceiveCount: formMaxReceiveCount },
  });
  return { queue, failureQueue };
}
