import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { keys } from '../lambdas/adapters/dynamodb/table-design';
import { createFailureQueue, lambdaAsyncRetries } from './failure-queue';
import { ScreeningFunction } from './screening-function';
import type { FunctionContext } from './screening-functions';

/**
 * The daily review of the register (10.1) and the retention of contact records (P7): the review function,
 * the table access only it has, its failure queue, and the EventBridge Scheduler schedule that invokes it.
 * Created in `scope` itself, under the ids the services stack always used (see `ScreeningFunctions`).
 */
export class DailyReview {
  readonly review: ScreeningFunction;
  readonly failureQueue: sqs.Queue;
  /** The role EventBridge Scheduler invokes the function with (and sends undeliverable runs to the queue). */
  readonly scheduleRole: iam.Role;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, props: FunctionContext) {
    const { settings, table } = props;
    this.failureQueue = createFailureQueue(scope, 'ReviewFailureQueue', 'review');
    this.review = new ScreeningFunction(scope, 'Review', {
      entry: 'review',
      description: 'Contact screening: daily review of the register (10.1) and retention of contact records',
      logRetention: props.logRetention,
      // Hundreds of restrictions and a month or two of expired contacts: seconds; the first run looks back further.
      timeout: Duration.minutes(5),
      environment: { MANAGERS: settings.MANAGERS.join(',') },
      // A failed run (an event, the digest or retention) is retried; what was done is not done again.
      asyncInvocation: { ...lambdaAsyncRetries, onFailure: this.failureQueue },
    })
      // Reads the register index and the customers' names; its own digest markers are leased (UpdateItem).
      .bindTable(table, 'read', { writableKeyPrefixes: [keys.reviewDigestPrefix] })
      .bindMailer(props.mailer)
      .bindEventBus(props.eventBus);

    const onKeys = (action: string, prefixes: string[]) =>
      new iam.PolicyStatement({
        actions: [action],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } },
      });
    const role = this.review.role;
    // Its stage and digest markers, the records of the events it publishes (GET /admin/events), and the
    // retention mark of contact records.
    role.addToPrincipalPolicy(
      onKeys('dynamodb:PutItem', [
        `${keys.event('', '').slice(0, -1)}*`,
        keys.retentionMark,
        `${keys.reviewDigestPrefix}*`,
        `${keys.reviewDuePrefix}*`,
      ]),
    );
    // Contact records whose retention ended (P7), and a stage marker whose event could not be published.
    role.addToPrincipalPolicy(
      onKeys('dynamodb:DeleteItem', [`${keys.contact('')}*`, `${keys.reviewDuePrefix}*`]),
    );
    // The contact log entries of expired contacts are deleted in batches (DynamoContactLog.removeExpired).
    // They have their own partitions, so this reaches no restriction, profile or audit entry.
    role.addToPrincipalPolicy(onKeys('dynamodb:BatchWriteItem', [`${keys.contactLog('')}*`]));

    const stack = Stack.of(scope);
    this.scheduleRole = new iam.Role(scope, 'DailyReviewRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler invokes the contact screening review function daily',
    });
    const functionId = stack.getLogicalId(this.review.function.node.defaultChild as lambda.CfnFunction);
    Validations.of(this.scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction as the function's standard grantInvoke writes it: the function and its versions " +
        '(<arn>:*), of this one function only.',
    });
    // Daily at 07:00 London time, BST or GMT: the digest is in the managers' mail when they start.
    this.schedule = new scheduler.Schedule(scope, 'DailyReview', {
      description: 'Contact screening: the daily review of the register (10.1) and retention (P7)',
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: '7',
        timeZone: TimeZone.EUROPE_LONDON,
      }),
      target: new schedulerTargets.LambdaInvoke(this.review.function, {
        role: this.scheduleRole,
        // Delivery retries (throttling, service errors), then the review's failure queue, alarmed on.
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.failureQueue,
      }),
    });
  }
}
