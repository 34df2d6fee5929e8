import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { noticeKeyPrefix } from '../lambdas/adapters/dynamodb/notice-keys';
import { keys } from '../lambdas/adapters/dynamodb/table-design';
import { createFailureQueue, lambdaAsyncRetries } from './failure-queue';
import { createFormQueue, formScreeningTimeout } from './form-screening';
import { type BindableTable, type MailerBinding, ScreeningFunction } from './screening-function';
import type { DeploymentSettings } from './settings';

/** What every function of the stack is built with: the settings and the stateful stack's shared resources. */
export interface FunctionContext {
  readonly settings: DeploymentSettings;
  /** The restriction register (imported from the stateful stack). */
  readonly table: BindableTable;
  readonly eventBus: events.IEventBus;
  /** Who the functions' mail is from, and the SES identity it goes through. */
  readonly mailer: MailerBinding;
  readonly logRetention: logs.RetentionDays;
}

export interface ScreeningFunctionsProps extends FunctionContext {
  /** Where SES stores raw inbound mail, and the key it is encrypted with. */
  readonly mailBucket: s3.IBucket;
  readonly mailKey: kms.IKey;
}

/**
 * The functions that answer requests and events: the admin API, the contact form and the form's queue with
 * the function that screens from it, inbound email and notify (the daily review is `DailyReview`'s). Each is bound to exactly what its handler uses (STYLE 6). Like every
 * part of the services stack, its resources are created in `scope` itself, under the ids they always had, so
 * construct paths and logical ids stay as they are.
 */
export class ScreeningFunctions {
  readonly adminApi: ScreeningFunction;
  readonly contactForm: ScreeningFunction;
  /** Screens, counts and forwards what the contact form accepted, from `formQueue`. */
  readonly formScreening: ScreeningFunction;
  /** The contact form's accepted submissions, waiting to be screened (SQS). */
  readonly formQueue: sqs.Queue;
  readonly inboundEmail: ScreeningFunction;
  readonly notify: ScreeningFunction;
  readonly failureQueues: Readonly<Record<'inboundEmail' | 'notify' | 'formScreening', sqs.Queue>>;

  constructor(scope: Construct, props: ScreeningFunctionsProps) {
    const { settings, table, eventBus, mailer, logRetention } = props;
    const inboundFailures = createFailureQueue(scope, 'InboundEmailFailureQueue', 'inbound-email');
    const notifyFailures = createFailureQueue(scope, 'NotifyFailureQueue', 'notify');
    const form = createFormQueue(scope);
    this.formQueue = form.queue;
    this.failureQueues = {
      inboundEmail: inboundFailures,
      notify: notifyFailures,
      formScreening: form.failureQueue,
    };
    const delivery = deliverySettings(settings);

    this.adminApi = new ScreeningFunction(scope, 'AdminApi', {
      entry: 'admin-api',
      description: 'Contact screening: admin API (customers, restrictions, register, letters)',
      logRetention,
      // Contacts staff record (POST /admin/contacts) are counted and kept as the delivering functions do.
      environment: {
        ...registerChangeSettings(settings),
        ...delivery,
        ...whenSet({ CASE_REFERENCE_PATTERN: settings.CASE_REFERENCE_PATTERN }),
      },
      // Informing letters (8.1) are rendered as PDF here: pdfkit's font metrics travel with the bundle.
      bundlePdfFonts: true,
      // A subject-access export reads a customer's whole history; API Gateway waits at most 30 s.
      timeout: Duration.seconds(29),
    })
      .bindTable(table, 'readWrite', { appendsAudit: true })
      // A recorded contact that crosses a frequency threshold raises its alert (4.2.7).
      // Incidents (5.4.2, 5.7, 3.3) publish IncidentRecorded and, for threats, SafeguardingConcernRaised.
      .bindEventBus(eventBus);

    this.contactForm = new ScreeningFunction(scope, 'ContactForm', {
      entry: 'contact-form',
      description: 'Contact screening: the web contact form endpoint (POST /contact)',
      logRetention,
      timeout: Duration.seconds(15),
      environment: {
        COUNCIL_NAME: settings.COUNCIL_NAME,
        FORM_ALLOWED_ORIGINS: settings.FORM_ALLOWED_ORIGINS.join(','),
        FORM_RATE_LIMIT_PER_IP: String(settings.FORM_RATE_LIMIT_PER_IP),
        FORM_RATE_LIMIT_PER_IDENTITY: String(settings.FORM_RATE_LIMIT_PER_IDENTITY),
        FORM_RATE_LIMIT_WINDOW_SECONDS: String(settings.FORM_RATE_LIMIT_WINDOW_SECONDS),
        ...whenSet({
          CONTACT_TOPICS: settings.CONTACT_TOPICS,
          PRIVACY_NOTICE_URL: settings.PRIVACY_NOTICE_URL,
          FORM_PAGE_URL: settings.FORM_PAGE_URL,
        }),
      },
    })
      // Validates, limits and queues: it writes its rate-limit counters only, and sends to the queue.
      .bindTable(table, 'read', { writableKeyPrefixes: [keys.rateLimitPrefix] })
      .bindSubmissionQueue(this.formQueue);

    this.formScreening = new ScreeningFunction(scope, 'FormScreening', {
      entry: 'form-screening',
      description: 'Contact screening: screens and forwards what the web contact form accepted (its queue)',
      logRetention,
      timeout: formScreeningTimeout,
      environment: {
        ...delivery,
        ...whenSet({ CASE_REFERENCE_PATTERN: settings.CASE_REFERENCE_PATTERN }),
      },
    })
      .bindTable(table, 'readWrite')
      .bindMailer(mailer)
      .bindEventBus(eventBus)
      .bindContentScorer(settings.CONTENT_SCORER, settings.COMPREHEND_REGION);
    // Up to ten submissions an invocation; those that failed are named, so only they come back (P1, P6).
    this.formScreening.function.addEventSource(
      new SqsEventSource(this.formQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    acknowledgeQueueSource(this.formScreening);

    this.inboundEmail = new ScreeningFunction(scope, 'InboundEmail', {
      entry: 'inbound-email',
      description: 'Contact screening: screens inbound email stored by the SES receipt rule',
      logRetention,
      memorySize: 1024,
      timeout: Duration.seconds(30),
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
      .bindContentScorer(settings.CONTENT_SCORER, settings.COMPREHEND_REGION)
      .bindMailBucket(props.mailBucket, settings.MAIL_PREFIX, props.mailKey);

    this.notify = new ScreeningFunction(scope, 'Notify', {
      entry: 'notify',
      description: 'Contact screening: emails the managers about frequency alerts and other events',
      logRetention,
      environment: {
        MANAGERS: settings.MANAGERS.join(','),
        NOTIFY_RESTRICTED_ROUTED: String(settings.NOTIFY_RESTRICTED_ROUTED),
        // The steps shown in an urgent safeguarding email whose event carries none (3.2.5, 3.3).
        SAFEGUARDING_GUIDANCE: settings.SAFEGUARDING_GUIDANCE,
      },
      // A malformed event fails every attempt and lands here, not retried forever.
      asyncInvocation: { ...lambdaAsyncRetries, onFailure: notifyFailures },
    })
      // Reads the register and the senders' counts; writes only its own once-per-manager markers (P6).
      .bindTable(table, 'read', { writableKeyPrefixes: [noticeKeyPrefix] })
      .bindMailer(mailer);
    if (settings.MANAGERS.length === 0) {
      Annotations.of(this.notify).addWarningV2(
        'contact-screening:no-managers',
        'MANAGERS is empty: frequency alerts are still recorded, but no manager is emailed about them.',
      );
    }

    for (const fn of [this.adminApi, this.contactForm]) acknowledgeSynchronous(fn);
  }
}

/** A function invoked synchronously (HTTP): the caller sees the failure; a dead-letter queue would never receive. */
export function acknowledgeSynchronous(fn: ScreeningFunction): void {
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

/** A function invoked by an SQS event source mapping: the queue's own redrive policy is where failures go. */
function acknowledgeQueueSource(fn: ScreeningFunction): void {
  const reason =
    "Invoked by an SQS event source mapping only: a message that failed five receives moves to the queue's " +
    'dead-letter queue (its redrive policy), which is alarmed on; Lambda-side destinations do not apply to SQS.';
  Validations.of(fn.function).acknowledge({ id: 'Serverless-LambdaDLQ', reason });
  for (const mapping of fn.function.node.children.filter((c) => c instanceof lambda.EventSourceMapping)) {
    Validations.of(mapping).acknowledge({ id: 'Serverless-LambdaEventSourceMappingDestination', reason });
  }
}

/** What changing the register needs (lambdas/wiring/register.ts): the letters' sender and the service inbox. */
export function registerChangeSettings(settings: DeploymentSettings): Record<string, string> {
  return {
    SERVICE_INBOX: settings.SERVICE_INBOX,
    COUNCIL_NAME: settings.COUNCIL_NAME,
    COUNCIL_POSTAL_ADDRESS: settings.COUNCIL_POSTAL_ADDRESS,
    ...(settings.COUNCIL_PHONE ? { COUNCIL_PHONE: settings.COUNCIL_PHONE } : {}),
  };
}

/** The settings the delivering functions share (lambdas/wiring/delivery.ts), and those that record contacts. */
export function deliverySettings(settings: DeploymentSettings): Record<string, string> {
  return {
    SERVICE_INBOX: settings.SERVICE_INBOX,
    MAILBOXES: settings.MAILBOXES,
    CONTACT_RETENTION_DAYS: String(settings.CONTACT_RETENTION_DAYS),
    COUNCIL_NAME: settings.COUNCIL_NAME,
    COUNCIL_POSTAL_ADDRESS: settings.COUNCIL_POSTAL_ADDRESS,
    // Carried by every SafeguardingConcernRaised (3.2.5, 3.3, 6.1).
    SAFEGUARDING_GUIDANCE: settings.SAFEGUARDING_GUIDANCE,
    FREQUENCY_TOPIC_COUNT: String(settings.FREQUENCY_TOPIC_COUNT),
    FREQUENCY_TOPIC_DAYS: String(settings.FREQUENCY_TOPIC_DAYS),
    FREQUENCY_ALL_TOPICS_COUNT: String(settings.FREQUENCY_ALL_TOPICS_COUNT),
    FREQUENCY_ALL_TOPICS_DAYS: String(settings.FREQUENCY_ALL_TOPICS_DAYS),
    FREQUENCY_CHANNELS_COUNT: String(settings.FREQUENCY_CHANNELS_COUNT),
    FREQUENCY_CHANNELS_DAYS: String(settings.FREQUENCY_CHANNELS_DAYS),
  };
}

/** Handler settings passed on only when the deployment sets them: unset, the handler's default applies. */
export function whenSet(
  values: Record<string, string | number | readonly string[] | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [string, string | number | readonly string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}
