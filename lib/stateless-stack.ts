import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { tableDesign } from '../lambdas/adapters/dynamodb/table-design';
import { DailyReview } from './daily-review';
import { InboundMailReceiving } from './inbound-mail-receiving';
import { ScreeningEventRules } from './screening-event-rules';
import type { BindableTable, ScreeningEntry, ScreeningFunction } from './screening-function';
import { type FunctionContext, ScreeningFunctions } from './screening-functions';
import { ScreeningHttpApi } from './screening-http-api';
import { ScreeningMonitoring } from './screening-monitoring';
import { type DeploymentSettings, domainOf } from './settings';
import { StaffConsole } from './staff-console';

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
 * Everything that can be replaced without losing data: the functions, the daily review schedule, the event
 * rules, SES receiving, the HTTP API, the staff console and its sign-in, the failure queues, alarms and dashboard. Wired to the stateful stack by
 * props. Each part is a class of its own (lib/screening-functions.ts, daily-review.ts, screening-event-rules.ts,
 * inbound-mail-receiving.ts, screening-http-api.ts, staff-console.ts, screening-monitoring.ts) that adds its resources to this
 * stack directly: their construct paths and logical ids are those of the single constructor they came from, so
 * nothing deployed is replaced (a replaced receipt rule set, for one, would be inactive and stop the mail).
 */
export class ContactScreeningStatelessStack extends Stack {
  readonly functions: Readonly<Record<ScreeningEntry, ScreeningFunction>>;
  readonly failureQueues: Readonly<Record<'inboundEmail' | 'notify' | 'formScreening' | 'review', sqs.Queue>>;
  /** The contact form's accepted submissions, waiting to be screened. */
  readonly formQueue: sqs.Queue;
  /** The daily review (10.1): EventBridge Scheduler invokes the review function. */
  readonly reviewSchedule: scheduler.Schedule;
  readonly rules: Readonly<Record<string, events.Rule>>;
  readonly receiptRuleSet: ses.ReceiptRuleSet;
  readonly receiptRule: ses.ReceiptRule;
  /** The HTTP API; a later function adds its routes with `httpApi.addFunctionRoutes`. */
  readonly httpApi: ScreeningHttpApi;
  readonly api: apigw.HttpApi;
  readonly apiStage: apigw.HttpStage;
  /** The staff console: its function and routes, staff sign-in, the session key. */
  readonly staffConsole: StaffConsole;
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[];
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
    const context: FunctionContext = {
      settings,
      table,
      eventBus,
      mailer: {
        from: settings.SCREENING_FROM,
        identity: settings.SES_IDENTITY ?? domainOf(settings.SCREENING_FROM),
      },
      logRetention: settings.LOG_RETENTION_DAYS as logs.RetentionDays,
    };

    const fns = new ScreeningFunctions(this, {
      ...context,
      mailBucket,
      mailKey: kms.Key.fromKeyArn(this, 'MailKey', props.stateful.mailKeyArn),
    });
    const dailyReview = new DailyReview(this, context);
    this.reviewSchedule = dailyReview.schedule;
    this.failureQueues = { ...fns.failureQueues, review: dailyReview.failureQueue };
    this.formQueue = fns.formQueue;

    const receiving = new InboundMailReceiving(this, {
      domains: settings.COUNCIL_DOMAINS,
      mailBucket,
      mailPrefix: settings.MAIL_PREFIX,
      screen: fns.inboundEmail,
    });
    this.receiptRuleSet = receiving.receiptRuleSet;
    this.receiptRule = receiving.receiptRule;

    this.httpApi = new ScreeningHttpApi(this, {
      allowedOrigins: settings.FORM_ALLOWED_ORIGINS,
      rateLimit: settings.API_RATE_LIMIT,
      burstLimit: settings.API_BURST_LIMIT,
      logRetention: context.logRetention,
    });
    this.api = this.httpApi.api;
    this.apiStage = this.httpApi.stage;
    this.httpApi.addFunctionRoutes(
      'ContactFormIntegration',
      fns.contactForm,
      [
        { path: '/contact', methods: [apigw.HttpMethod.POST] },
        { path: '/openapi.json', methods: [apigw.HttpMethod.GET] },
        // Without allowed origins the handler answers preflight itself (and refuses it).
        ...(this.httpApi.answersPreflight ? [] : [{ path: '/contact', methods: [apigw.HttpMethod.OPTIONS] }]),
      ],
      {
        publicBecause:
          'The public contact form: anyone may write to the council, by design. Protected by stage throttling and ' +
          "the handler's per-IP and per-identity rate limits (FORM_RATE_LIMIT_*), not by an authoriser.",
      },
    );
    this.httpApi.addFunctionRoutes(
      'AdminApiIntegration',
      fns.adminApi,
      [{ path: '/admin/{proxy+}', methods: [apigw.HttpMethod.ANY] }],
      { authorizer: new HttpIamAuthorizer() },
    );
    this.staffConsole = new StaffConsole(this, { ...context, httpApi: this.httpApi });
    // Forwards link to the contact and the customer in the console.
    for (const delivering of [fns.inboundEmail, fns.formScreening])
      delivering.function.addEnvironment('STAFF_CONSOLE_URL', this.staffConsole.signIn.consoleUrl);
    this.functions = {
      'admin-api': fns.adminApi,
      'contact-form': fns.contactForm,
      'form-screening': fns.formScreening,
      'inbound-email': fns.inboundEmail,
      notify: fns.notify,
      review: dailyReview.review,
      'staff-console': this.staffConsole.function,
    };

    const monitoring = new ScreeningMonitoring(this, {
      ...(settings.ALARM_EMAIL ? { alarmEmail: settings.ALARM_EMAIL } : {}),
      functions: this.functions,
      failureQueues: this.failureQueues,
      apiStage: this.apiStage,
    });
    this.alarmTopic = monitoring.alarmTopic;
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;

    this.rules = new ScreeningEventRules(this, {
      eventBus,
      targets: { notify: { fn: fns.notify, failures: fns.failureQueues.notify } },
      alarmTopic: this.alarmTopic,
      alarmFailures: fns.failureQueues.notify,
    }).rules;

    for (const [name, queue] of Object.entries(this.failureQueues)) {
      new CfnOutput(this, `${queue.node.id}Url`, {
        description: `What ${name} could not handle after every retry; its alarm fires on any`,
        value: queue.queueUrl,
      });
    }
  }
}
