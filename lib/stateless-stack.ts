import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { noticeKeyPrefix } from '../lambdas/adapters/dynamodb/notice-keys';
import { keys, tableDesign } from '../lambdas/adapters/dynamodb/table-design';
import { type EventRule, eventRules } from '../lambdas/adapters/eventbridge/rules';
import { detailTypes, eventSource } from '../lambdas/core/events';
import { type BindableTable, type ScreeningEntry, ScreeningFunction } from './screening-function';
import { type DeploymentSettings, domainOf } from './settings';

/**
 * The stateful stack's resources, as ARNs and names exported by name (`Fn::ImportValue`): the policies
 * then name them literally, and cdk-nag's findings can be acknowledged by exactly what they name.
 */
export interface StatefulImports {
  readonly tableArn: string;
  readonly tableName: string;
  readonly registerKeyArn: string;
  readonly mailBucketArn: string;
  readonly mailBucketName: string;
  readonly mailKeyArn: string;
}

export interface StatelessStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  readonly stateful: StatefulImports;
  readonly eventBus: events.IEventBus;
}

/**
 * EventBridge retries delivering to a target (throttling, service errors) for this long; Lambda then
 * retries a failing function twice. Alerts matter for days, not seconds.
 */
const eventDelivery = { retryAttempts: 8, maxEventAge: Duration.hours(6) };
const lambdaAsyncRetries = { retryAttempts: 2, maxEventAge: Duration.hours(6) };

/**
 * Everything that can be replaced without losing data: the four functions, the HTTP API, the SES receipt
 * rules, the event rules, the failure queues, alarms and dashboard. Wired to the stateful stack by props.
 */
export class ContactScreeningStatelessStack extends Stack {
  readonly functions: Readonly<Record<ScreeningEntry, ScreeningFunction>>;
  readonly failureQueues: Readonly<Record<'inboundEmail' | 'notify' | 'review', sqs.Queue>>;
  /** The daily review (10.1): EventBridge Scheduler invokes the review function. */
  readonly reviewSchedule: scheduler.Schedule;
  readonly rules: Readonly<Record<string, events.Rule>>;
  readonly receiptRuleSet: ses.ReceiptRuleSet;
  readonly receiptRule: ses.ReceiptRule;
  readonly api: apigw.HttpApi;
  readonly apiStage: apigw.HttpStage;
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, eventBus } = props;
    const table: BindableTable = dynamodb.Table.fromTableAttributes(this, 'Register', {
      tableArn: props.stateful.tableArn,
      globalIndexes: [tableDesign.gsi1.indexName],
      encryptionKey: kms.Key.fromKeyArn(this, 'RegisterKey', props.stateful.registerKeyArn),
    }) as BindableTable;
    const mailBucket = s3.Bucket.fromBucketAttributes(this, 'RawMail', {
      bucketArn: props.stateful.mailBucketArn,
      bucketName: props.stateful.mailBucketName,
    });
    const mailKey = kms.Key.fromKeyArn(this, 'MailKey', props.stateful.mailKeyArn);
    const logRetention = settings.LOG_RETENTION_DAYS as logs.RetentionDays;
    const mailer = {
      from: settings.SCREENING_FROM,
      identity: settings.SES_IDENTITY ?? domainOf(settings.SCREENING_FROM),
    };

    // --- Where alarms go --------------------------------------------------------------------------------
    const alarmKey = new kms.Key(this, 'AlarmKey', {
      description: 'Contact screening: encrypts the alarm topic (CloudWatch and EventBridge publish to it)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      alarmKey.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Contact screening alarms',
      masterKey: alarmKey,
      enforceSSL: true,
    });
    if (settings.ALARM_EMAIL) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(settings.ALARM_EMAIL));
    }
    const alarmAction = new cwActions.SnsAction(this.alarmTopic);

    // --- Settings the delivering functions share (lambdas/adapters/delivery-deps.ts) -----------------------
    const delivery: Record<string, string> = {
      SERVICE_INBOX: settings.SERVICE_INBOX,
      CONTACT_RETENTION_DAYS: String(settings.CONTACT_RETENTION_DAYS),
      COUNCIL_NAME: settings.COUNCIL_NAME,
      COUNCIL_POSTAL_ADDRESS: settings.COUNCIL_POSTAL_ADDRESS,
      FREQUENCY_TOPIC_COUNT: String(settings.FREQUENCY_TOPIC_COUNT),
      FREQUENCY_TOPIC_DAYS: String(settings.FREQUENCY_TOPIC_DAYS),
      FREQUENCY_ALL_TOPICS_COUNT: String(settings.FREQUENCY_ALL_TOPICS_COUNT),
      FREQUENCY_ALL_TOPICS_DAYS: String(settings.FREQUENCY_ALL_TOPICS_DAYS),
      FREQUENCY_CHANNELS_COUNT: String(settings.FREQUENCY_CHANNELS_COUNT),
      FREQUENCY_CHANNELS_DAYS: String(settings.FREQUENCY_CHANNELS_DAYS),
    };

    // Handler settings passed on only when the deployment sets them: unset, the handler's default applies.
    const whenSet = (values: Record<string, string | number | readonly string[] | undefined>) =>
      Object.fromEntries(
        Object.entries(values)
          .filter((entry): entry is [string, string | number | readonly string[]] => entry[1] !== undefined)
          .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]),
      );

    // --- Functions (one per entry in lambdas/) -----------------------------------------------------------
    const inboundFailures = this.createFailureQueue('InboundEmailFailureQueue', 'inbound-email');
    const notifyFailures = this.createFailureQueue('NotifyFailureQueue', 'notify');
    const reviewFailures = this.createFailureQueue('ReviewFailureQueue', 'review');
    this.failureQueues = { inboundEmail: inboundFailures, notify: notifyFailures, review: reviewFailures };

    const adminApi = new ScreeningFunction(this, 'AdminApi', {
      entry: 'admin-api',
      description: 'Contact screening: admin API (customers, restrictions, register, letters)',
      logRetention,
      environment: {
        SERVICE_INBOX: settings.SERVICE_INBOX,
        COUNCIL_NAME: settings.COUNCIL_NAME,
        COUNCIL_POSTAL_ADDRESS: settings.COUNCIL_POSTAL_ADDRESS,
        ...(settings.COUNCIL_PHONE ? { COUNCIL_PHONE: settings.COUNCIL_PHONE } : {}),
      },
      // Informing letters (8.1) are rendered as PDF here: pdfkit's font metrics travel with the bundle.
      bundlePdfFonts: true,
      // A subject-access export reads a customer's whole history; API Gateway waits at most 30 s.
      timeout: Duration.seconds(29),
    }).bindTable(table, 'readWrite', { appendsAudit: true });

    const contactForm = new ScreeningFunction(this, 'ContactForm', {
      entry: 'contact-form',
      description: 'Contact screening: the web contact form endpoint (POST /contact)',
      logRetention,
      timeout: Duration.seconds(15),
      environment: {
        ...delivery,
        FORM_ALLOWED_ORIGINS: settings.FORM_ALLOWED_ORIGINS.join(','),
        FORM_RATE_LIMIT_PER_IP: String(settings.FORM_RATE_LIMIT_PER_IP),
        FORM_RATE_LIMIT_PER_IDENTITY: String(settings.FORM_RATE_LIMIT_PER_IDENTITY),
        FORM_RATE_LIMIT_WINDOW_SECONDS: String(settings.FORM_RATE_LIMIT_WINDOW_SECONDS),
        ...whenSet({
          CONTACT_TOPICS: settings.CONTACT_TOPICS,
          CASE_REFERENCE_PATTERN: settings.CASE_REFERENCE_PATTERN,
          PRIVACY_NOTICE_URL: settings.PRIVACY_NOTICE_URL,
          FORM_PAGE_URL: settings.FORM_PAGE_URL,
        }),
      },
    })
      .bindTable(table, 'readWrite')
      .bindMailer(mailer)
      .bindEventBus(eventBus);

    const inboundEmail = new ScreeningFunction(this, 'InboundEmail', {
      entry: 'inbound-email',
      description: 'Contact screening: screens inbound email stored by the SES receipt rule',
      logRetention,
      memorySize: 1024,
      timeout: Duration.seconds(60),
      environment: {
        ...delivery,
        COUNCIL_DOMAINS: settings.COUNCIL_DOMAINS.join(','),
        SEND_ACKNOWLEDGEMENTS: String(settings.SEND_ACKNOWLEDGEMENTS),
        ...whenSet({
          CASE_REFERENCE_PATTERN: settings.CASE_REFERENCE_PATTERN,
          MAX_ATTACHED_ORIGINAL_BYTES: settings.MAX_ATTACHED_ORIGINAL_BYTES,
        }),
      },
      asyncInvocation: { ...lambdaAsyncRetries, onFailure: inboundFailures },
    })
      .bindTable(table, 'readWrite')
      .bindMailer(mailer)
      .bindEventBus(eventBus)
      .bindMailBucket(mailBucket, settings.MAIL_PREFIX, mailKey);

    const notify = new ScreeningFunction(this, 'Notify', {
      entry: 'notify',
      description: 'Contact screening: emails the managers about frequency alerts and other events',
      logRetention,
      environment: {
        MANAGERS: settings.MANAGERS.join(','),
        NOTIFY_RESTRICTED_ROUTED: String(settings.NOTIFY_RESTRICTED_ROUTED),
      },
      // A malformed event fails every attempt and lands here, not retried forever.
      asyncInvocation: { ...lambdaAsyncRetries, onFailure: notifyFailures },
    })
      // Reads the register and the senders' counts; writes only its own once-per-manager markers (P6).
      .bindTable(table, 'read', { writableKeyPrefixes: [noticeKeyPrefix] })
      .bindMailer(mailer);
    if (settings.MANAGERS.length === 0) {
      Annotations.of(notify).addWarningV2(
        'contact-screening:no-managers',
        'MANAGERS is empty: frequency alerts are still recorded, but no manager is emailed about them.',
      );
    }
    // --- The daily review (10.1) and retention of contact records (P7) ---------------------------------
    // Review block: everything about the review function and its schedule is here.
    const review = new ScreeningFunction(this, 'Review', {
      entry: 'review',
      description: 'Contact screening: daily review of the register (10.1) and retention of contact records',
      logRetention,
      // Hundreds of restrictions and a month or two of expired contacts: seconds; the first run looks back further.
      timeout: Duration.minutes(5),
      environment: { MANAGERS: settings.MANAGERS.join(',') },
      // A failed run (an event, the digest or retention) is retried; what was done is not done again.
      asyncInvocation: { ...lambdaAsyncRetries, onFailure: reviewFailures },
    })
      // Reads the register index and the customers' names; its own digest markers are leased (UpdateItem).
      .bindTable(table, 'read', { writableKeyPrefixes: [keys.reviewDigestPrefix] })
      .bindMailer(mailer)
      .bindEventBus(eventBus);
    review.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Its stage and digest markers, the records of the events it publishes (GET /admin/events), and the
        // retention mark of contact records.
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              `${keys.event('', '').slice(0, -1)}*`,
              keys.retentionMark,
              `${keys.reviewDigestPrefix}*`,
              `${keys.reviewDuePrefix}*`,
            ],
          },
        },
      }),
    );
    review.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Contact records whose retention ended (P7), and a stage marker whose event could not be published.
        actions: ['dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`${keys.contact('')}*`, `${keys.reviewDuePrefix}*`],
          },
        },
      }),
    );
    review.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // The contact log entries of expired contacts are deleted in batches (DynamoContactLog.removeExpired).
        // They have their own partitions, so this reaches no restriction, profile or audit entry.
        actions: ['dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.contactLog('')}*`] } },
      }),
    );
    // The role EventBridge Scheduler invokes the function with (and sends undeliverable runs to the queue).
    const reviewScheduleRole = new iam.Role(this, 'DailyReviewRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'EventBridge Scheduler invokes the contact screening review function daily',
    });
    Validations.of(reviewScheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(review.function.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction as the function's standard grantInvoke writes it: the function and its versions " +
        '(<arn>:*), of this one function only.',
    });
    // Daily at 07:00 London time, BST or GMT: the digest is in the managers' mail when they start.
    this.reviewSchedule = new scheduler.Schedule(this, 'DailyReview', {
      description: 'Contact screening: the daily review of the register (10.1) and retention (P7)',
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: '7',
        timeZone: TimeZone.EUROPE_LONDON,
      }),
      target: new schedulerTargets.LambdaInvoke(review.function, {
        role: reviewScheduleRole,
        // Delivery retries (throttling, service errors), then the review's failure queue, alarmed on.
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: reviewFailures,
      }),
    });
    // End of the review block.

    this.functions = {
      'admin-api': adminApi,
      'contact-form': contactForm,
      'inbound-email': inboundEmail,
      notify,
      review,
    };

    // Synchronous functions (HTTP): the caller sees the failure; a dead-letter queue would never receive.
    for (const fn of [adminApi, contactForm]) {
      Validations.of(fn.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by the HTTP API only: the caller gets the error response, and Lambda never sends a ' +
          'synchronous invocation to a dead-letter queue. Errors alarm instead.',
      });
      Validations.of(fn.function).acknowledge({
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          'Invoked synchronously by the HTTP API only; an on-failure destination applies to async invocations.',
      });
    }

    // --- Event rules (lambdas/adapters/eventbridge/rules.ts) ---------------------------------------------
    const targetsByEntry: Record<EventRule['target'], { fn: ScreeningFunction; failures: sqs.IQueue }> = {
      notify: { fn: notify, failures: notifyFailures },
    };
    const rules: Record<string, events.Rule> = {};
    for (const rule of eventRules) {
      const target = targetsByEntry[rule.target];
      rules[rule.id] = new events.Rule(this, rule.id, {
        eventBus,
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
    // A contact the pipeline failed to screen is an alarm, not an alert: straight to the alarm topic.
    rules.ScreeningFailed = new events.Rule(this, 'ScreeningFailed', {
      eventBus,
      description: 'A contact could not be screened: tell whoever watches the alarms',
      eventPattern: { source: [eventSource], detailType: [detailTypes.failed] },
      targets: [new targets.SnsTopic(this.alarmTopic, { ...eventDelivery, deadLetterQueue: notifyFailures })],
    });
    this.rules = rules;

    // --- SES receiving: store the raw message, THEN screen it ---------------------------------------------
    this.receiptRuleSet = new ses.ReceiptRuleSet(this, 'ReceiptRuleSet', {});
    this.receiptRule = this.receiptRuleSet.addRule('ScreenInboundMail', {
      recipients: settings.COUNCIL_DOMAINS,
      scanEnabled: true,
      enabled: true,
      actions: [
        // Server-side SSE-KMS by the bucket's default key: the S3 action's own `kmsKey` would make SES
        // encrypt client-side, which a plain GetObject in the handler could not read.
        // The bucket policy letting SES put (aws:SourceAccount) is the stateful stack's: it owns the bucket.
        new sesActions.S3({ bucket: mailBucket, objectKeyPrefix: settings.MAIL_PREFIX }),
        new sesActions.Lambda({
          function: inboundEmail.function,
          invocationType: sesActions.LambdaInvocationType.EVENT,
        }),
      ],
    });

    Annotations.of(this.receiptRule).acknowledgeWarning(
      '@aws-cdk/s3:AddBucketPermissions',
      'The stateful stack grants SES s3:PutObject on the bucket (ContactScreeningStatefulStack, SesPutsInboundMail).',
    );

    // --- The HTTP API: the public form, and the admin API behind IAM ----------------------------------------
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const origins = settings.FORM_ALLOWED_ORIGINS;
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Contact screening: POST /contact (public) and /admin/* (IAM)',
      createDefaultStage: false,
      ...(origins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: origins,
              allowMethods: [apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.OPTIONS],
              allowHeaders: ['content-type'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.apiStage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.API_RATE_LIMIT, burstLimit: settings.API_BURST_LIMIT },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            caller: '$context.identity.userArn',
          }),
        ),
      },
    });
    const formIntegration = new HttpLambdaIntegration('ContactFormIntegration', contactForm.function);
    const publicRoutes = [
      ...this.api.addRoutes({
        path: '/contact',
        methods: [apigw.HttpMethod.POST],
        integration: formIntegration,
      }),
      ...this.api.addRoutes({
        path: '/openapi.json',
        methods: [apigw.HttpMethod.GET],
        integration: formIntegration,
      }),
      ...(origins.length > 0
        ? []
        : this.api.addRoutes({
            path: '/contact',
            methods: [apigw.HttpMethod.OPTIONS],
            integration: formIntegration,
          })),
    ];
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The public contact form: anyone may write to the council, by design. Protected by stage throttling and ' +
          "the handler's per-IP and per-identity rate limits (FORM_RATE_LIMIT_*), not by an authoriser.",
      });
    }
    this.api.addRoutes({
      path: '/admin/{proxy+}',
      methods: [apigw.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('AdminApiIntegration', adminApi.function),
      authorizer: new HttpIamAuthorizer(),
    });

    // --- Alarms and the dashboard ----------------------------------------------------------------------
    const alarmOn = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, alarmProps);
      alarm.addAlarmAction(alarmAction);
      this.alarms.push(alarm);
      return alarm;
    };
    for (const [name, queue] of Object.entries(this.failureQueues)) {
      alarmOn(`${queue.node.id}Alarm`, {
        alarmDescription: `Contact screening: something for ${name} failed every attempt; see the queue`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    for (const [entry, fn] of Object.entries(this.functions)) {
      const metrics = { errors: fn.function.metricErrors(), throttles: fn.function.metricThrottles() };
      for (const [kind, metric] of Object.entries(metrics)) {
        alarmOn(`${fn.node.id}${kind === 'errors' ? 'Errors' : 'Throttles'}Alarm`, {
          alarmDescription: `Contact screening: the ${entry} function has ${kind}`,
          metric: metric.with({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      }
    }
    alarmOn('Api5xxAlarm', {
      alarmDescription: 'Contact screening: the HTTP API answered with server errors',
      metric: this.apiStage.metricServerError({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    const fns = Object.entries(this.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Invocations',
        width: 12,
        left: fns.map(([entry, fn]) => fn.function.metricInvocations({ label: entry })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Errors and throttles',
        width: 12,
        left: fns.map(([entry, fn]) => fn.function.metricErrors({ label: `${entry} errors` })),
        right: fns.map(([entry, fn]) => fn.function.metricThrottles({ label: `${entry} throttles` })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Duration (p95)',
        width: 12,
        left: fns.map(([entry, fn]) => fn.function.metricDuration({ label: entry, statistic: 'p95' })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Failure queues (messages waiting)',
        width: 12,
        left: Object.entries(this.failureQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ label: name }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'HTTP API',
        width: 12,
        left: [this.apiStage.metricCount({ label: 'requests' })],
        right: [
          this.apiStage.metricClientError({ label: '4xx' }),
          this.apiStage.metricServerError({ label: '5xx' }),
        ],
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 12, alarms: this.alarms }),
    );

    new CfnOutput(this, 'ApiUrl', {
      description: 'The HTTP API (POST /contact, /admin/*)',
      value: this.api.apiEndpoint,
    });
    new CfnOutput(this, 'ReceiptRuleSetName', {
      description: 'Activate it once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
      value: this.receiptRuleSet.receiptRuleSetName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe to get the alarms',
      value: this.alarmTopic.topicArn,
    });
    for (const [name, queue] of Object.entries(this.failureQueues)) {
      new CfnOutput(this, `${queue.node.id}Url`, {
        description: `What ${name} could not handle after every retry; its alarm fires on any`,
        value: queue.queueUrl,
      });
    }
  }

  /**
   * Where events go that a target never handled: EventBridge's dead-letter queue for the rule target and
   * Lambda's for the function. Events carry ids and counts only (P7); SQS-managed encryption (EventBridge
   * and Lambda can write to it without a key policy), TLS only, kept 14 days (SQS's longest).
   */
  private createFailureQueue(id: string, entry: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of the ${entry} function (and its rule target); it is alarmed on.`,
    });
    Validations.of(queue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: `This queue is itself the dead-letter queue of the ${entry} function (and its rule target); it is alarmed on.`,
    });
    return queue;
  }
}
