import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { tableDesign } from '../lambdas/adapters/dynamodb/table-design';
import { type EventRule, eventBusName, eventRules } from '../lambdas/adapters/eventbridge/rules';
import { noticeKeyPrefix } from '../lambdas/notify/notice-keys';
import { ScreeningFunction } from './screening-function';

/** Who is told about frequency alerts and other events, and as whom (the notify function). */
export interface ManagerAlertSettings {
  /** `MANAGERS`: each address gets its own copy of every alert. */
  readonly managers: readonly string[];
  /** `SCREENING_FROM`: the sender of the alerts. */
  readonly from: string;
  /** The verified SES identity `from` sends through. @default the domain of `from` */
  readonly sesIdentity?: string;
  /** `NOTIFY_RESTRICTED_ROUTED`: also mail managers about each restricted contact routed. @default false */
  readonly notifyRestrictedRouted?: boolean;
}

/** The defaults of lambdas/adapters/config.ts, for a synth that sets nothing (tests, a first look). */
export const defaultAlertSettings: ManagerAlertSettings = {
  managers: ['managers@council.example'],
  from: 'screening@council.example',
};

export interface ContactScreeningStackProps extends StackProps {
  /** How long function logs are kept (P7). @default three months */
  readonly logRetention?: logs.RetentionDays;
  /** @default defaultAlertSettings */
  readonly alerts?: ManagerAlertSettings;
}

/**
 * EventBridge retries delivering to the notify function (throttling, service errors) for this long;
 * Lambda then retries a failing function twice. Alerts matter for days, not seconds.
 */
const eventDelivery = { retryAttempts: 8, maxEventAge: Duration.hours(6) };
const lambdaAsyncRetries = { retryAttempts: 2, maxEventAge: Duration.hours(6) };

/**
 * The contact screening pipeline on AWS: the restriction register (one DynamoDB table) and the functions
 * that screen contacts against it. The same handlers run locally behind `npm start`.
 */
export class ContactScreeningStack extends Stack {
  readonly registerKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly adminApi: ScreeningFunction;
  readonly notify: ScreeningFunction;
  readonly eventBus: events.EventBus;
  /** One rule per entry of lambdas/adapters/eventbridge/rules.ts, by its id. */
  readonly rules: Readonly<Record<string, events.Rule>>;
  /** Events the notify function could not take or handle, after every retry (P1). */
  readonly notifyFailureQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ContactScreeningStackProps = {}) {
    super(scope, id, props);

    const register = this.createRegister();
    this.registerKey = register.key;
    this.table = register.table;

    // --- Functions (one per entry in lambdas/) ---------------------------------------------------------
    this.adminApi = new ScreeningFunction(this, 'AdminApi', {
      entry: 'admin-api',
      description: 'Contact screening: admin API (customers, restrictions, register)',
      logRetention: props.logRetention,
    }).bindTable(this.table, 'readWrite');

    // --- Events: the custom bus, and its rules from the one rules module -----------------------------------
    const alerts = props.alerts ?? defaultAlertSettings;
    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName,
      description: 'Contact screening: frequency alerts and other events (ids and counts, never bodies)',
    });
    this.notifyFailureQueue = this.createFailureQueue('NotifyFailureQueue', 'notify');
    this.notify = new ScreeningFunction(this, 'Notify', {
      entry: 'notify',
      description: 'Contact screening: emails the managers about frequency alerts and other events',
      logRetention: props.logRetention,
      environment: {
        MANAGERS: alerts.managers.join(','),
        NOTIFY_RESTRICTED_ROUTED: String(alerts.notifyRestrictedRouted ?? false),
      },
      // A malformed event fails every attempt and lands here, not retried forever.
      asyncInvocation: { ...lambdaAsyncRetries, deadLetterQueue: this.notifyFailureQueue },
    })
      // Reads the register and the senders' counts; writes only its own once-per-manager markers (P6).
      .bindTable(this.table, 'read', { writableKeyPrefixes: [noticeKeyPrefix] })
      .bindMailer({ from: alerts.from, identity: alerts.sesIdentity ?? domainOf(alerts.from) });

    if (alerts.managers.length === 0) {
      Annotations.of(this.notify).addWarningV2(
        'contact-screening:no-managers',
        'MANAGERS is empty: frequency alerts are still recorded, but no manager is emailed about them.',
      );
    }

    const targetsByEntry: Record<EventRule['target'], { fn: ScreeningFunction; failures: sqs.IQueue }> = {
      notify: { fn: this.notify, failures: this.notifyFailureQueue },
    };
    const rules: Record<string, events.Rule> = {};
    for (const rule of eventRules) {
      const target = targetsByEntry[rule.target];
      rules[rule.id] = new events.Rule(this, rule.id, {
        eventBus: this.eventBus,
        description: rule.description,
        eventPattern: { source: [...rule.pattern.source], detailType: [...rule.pattern['detail-type']] },
        targets: [
          new targets.LambdaFunction(target.fn.function, {
            ...eventDelivery,
            deadLetterQueue: target.failures,
          }),
        ],
      });
    }
    this.rules = rules;

    // --- Entry points ------------------------------------------------------------------------------------
    // The HTTP API goes here (its own issue): an API Gateway HTTP API routing `/admin/*` (IAM or Cognito
    // auth) to `this.adminApi.function` and `POST /contact` to the contact-form function. The SES receipt
    // rule and the daily review schedule follow: each a ScreeningFunction bound to what it needs (the
    // functions that publish events with `.bindEventBus(this.eventBus)`).

    new CfnOutput(this, 'TableName', {
      description:
        'The restriction register table (single-table design: lambdas/adapters/dynamodb/table-design.ts)',
      value: this.table.tableName,
    });
    new CfnOutput(this, 'EventBusName', {
      description: 'The custom event bus (source contact-screening)',
      value: this.eventBus.eventBusName,
    });
    new CfnOutput(this, 'NotifyFailureQueueUrl', {
      description: 'Events the notify function could not handle after every retry; its alarm fires on any',
      value: this.notifyFailureQueue.queueUrl,
    });
  }

  /**
   * Where events go that a target never handled: EventBridge's dead-letter queue for the rule target and
   * Lambda's for the function, one queue. Events carry ids and counts only (P7); SQS-managed encryption
   * (EventBridge can write to it without a key policy), TLS only, kept 14 days (SQS's longest), and an
   * alarm as soon as anything is in it, so that a failed alert is noticed (P1).
   */
  private createFailureQueue(id: string, entry: EventRule['target']): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmDescription: `Contact screening: an event for the ${entry} function failed every attempt; see the queue`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return queue;
  }

  /**
   * The restriction register holds personal data (12.1): encrypted with our own key, recoverable to any
   * point in the last 35 days, and never deleted with the stack.
   */
  private createRegister(): { key: kms.Key; table: dynamodb.Table } {
    const key = new kms.Key(this, 'RegisterKey', {
      description: 'Contact screening: encrypts the restriction register (personal data, policy 12.1)',
      enableKeyRotation: true,
      // Deleting the key would make the retained table and its backups unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Table rather than TableV2: TableV2 cannot render a customer-managed key in an environment-agnostic
    // stack (its replica SSE settings need a concrete region), and this stack must synth without one.
    const table = new dynamodb.Table(this, 'Register', {
      partitionKey: { name: tableDesign.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // P5: TTL only cleans up expired items; restrictions are evaluated against the clock on every read.
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    table.addGlobalSecondaryIndex({
      indexName: tableDesign.gsi1.indexName,
      partitionKey: { name: tableDesign.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDesign.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    return { key, table };
  }
}

/** The domain of an address: the SES identity a council usually verifies. */
function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1)
    throw new Error(`alerts.from: ${address} is not an email address`);
  return address.slice(at + 1).toLowerCase();
}
