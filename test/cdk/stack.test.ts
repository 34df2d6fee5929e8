import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type App, Names, type Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lambdas/wiring/config';
import {
  createContactScreeningApp,
  environmentFrom,
  projectTags,
  statefulStackName,
  statelessStackName,
} from '../../lib/contact-screening-app';
import { defaultSettings, deploymentSettingsFrom } from '../../lib/settings';
import type { ContactScreeningStatefulStack } from '../../lib/stateful-stack';
import type { ContactScreeningStatelessStack } from '../../lib/stateless-stack';

const cdkContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;
const settings = {
  ...defaultSettings,
  MANAGERS: ['alerts.one@council.example'],
  SCREENING_FROM: 'screening@mail.council.example',
  SES_IDENTITY: 'mail.council.example',
  COUNCIL_DOMAINS: ['council.example', 'mail.council.example'],
  FORM_ALLOWED_ORIGINS: ['https://www.council.example'],
};
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

let outdir: string;
let app: App;
let stateful: ContactScreeningStatefulStack;
let stateless: ContactScreeningStatelessStack;
let data: Template;
let services: Template;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'contact-screening-cdk-'));
  const context = { ...cdkContext, [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true };
  ({ app, stateful, stateless } = createContactScreeningApp({ appProps: { context, outdir }, settings }));
  app.synth();
  data = Template.fromStack(stateful);
  services = Template.fromStack(stateless);
  // Eight functions bundled by esbuild on a shared machine: more than the default hook timeout.
}, 180_000);
afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const logicalId = (construct: { node: { defaultChild?: unknown } }, stack: Stack = stateless) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<Stack['getLogicalId']>[0]);
const statementsOf = (entry: keyof ContactScreeningStatelessStack['functions']): Statement[] => {
  const roleId = logicalId(stateless.functions[entry].role);
  return Object.values(
    services.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
};

describe('the stateful stack', () => {
  it('keeps the table and its key under their original construct ids (nothing replaced)', () => {
    expect(stateful.stackName).toBe('ContactScreeningStack');
    expect(logicalId(stateful.table, stateful)).toMatch(/^Register[0-9A-F]{8}$/);
    expect(logicalId(stateful.registerKey, stateful)).toMatch(/^RegisterKey[0-9A-F]{8}$/);
    data.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('keeps raw mail KMS-encrypted, private, TLS-only, expiring after the configured days', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })]),
      },
    });
    const [policy] = Object.values(data.findResources('AWS::S3::BucketPolicy'));
    const statements = policy?.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 's3:PutObject',
        Principal: { Service: 'ses.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });

  it('has the custom bus with an archive', () => {
    data.hasResourceProperties('AWS::Events::EventBus', { Name: 'contact-screening' });
    data.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
  });
});

describe('the functions', () => {
  const handlerEntries = readdirSync(new URL('../../lambdas', import.meta.url), { withFileTypes: true })
    .filter((dir) => dir.isDirectory() && existsSync(path.join(dir.parentPath, dir.name, 'handler.ts')))
    .map((dir) => dir.name)
    .sort();

  it('deploys and bundles every lambdas/*/handler.ts', () => {
    expect(handlerEntries).toEqual([
      'admin-api',
      'contact-form',
      'form-screening',
      'inbound-email',
      'notify',
      'review',
      'staff-console',
    ]);
    expect(Object.keys(stateless.functions).sort()).toEqual(handlerEntries);
    const functions = services.findResources('AWS::Lambda::Function');
    for (const fn of Object.values(stateless.functions)) {
      const resource = functions[logicalId(fn.function)];
      expect(resource?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      expect(existsSync(path.join(outdir, resource?.Metadata['aws:asset:path'], 'index.mjs'))).toBe(true);
    }
  });

  it('gives inbound-email its bucket, domains and bus, and read-only access to the raw mail', () => {
    const fn =
      services.findResources('AWS::Lambda::Function')[
        logicalId(stateless.functions['inbound-email'].function)
      ];
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      MAIL_BUCKET: { 'Fn::ImportValue': 'ContactScreening-RawMailName' },
      MAIL_PREFIX: '',
      COUNCIL_DOMAINS: 'council.example,mail.council.example',
      TABLE_NAME: expect.anything(),
      EVENT_BUS_NAME: expect.anything(),
      SCREENING_FROM: 'screening@mail.council.example',
    });
    const s3 = statementsOf('inbound-email').filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('s3:')),
    );
    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'ContactScreening-RawMailArn' }, '/*']] },
      }),
    ]);
  });

  it('grants PutEvents on the bus only, to the publishers only, and Resource "*" to X-Ray only', () => {
    // admin-api and staff-console: a contact staff record that crosses a frequency threshold raises its alert (4.2.7).
    // The admin API and the staff console publish IncidentRecorded (5.4.2, 5.7) and safeguarding concerns.
    for (const entry of [
      'form-screening',
      'inbound-email',
      'review',
      'admin-api',
      'staff-console',
    ] as const) {
      const put = statementsOf(entry).filter((s) => asArray(s.Action).includes('events:PutEvents'));
      expect(put).toHaveLength(1);
      expect(put[0]?.Resource).not.toBe('*');
    }
    for (const entry of ['contact-form', 'notify'] as const) {
      expect(statementsOf(entry).flatMap((s) => asArray(s.Action))).not.toContain('events:PutEvents');
    }
    const all = Object.keys(stateless.functions).flatMap((e) => statementsOf(e as 'notify'));
    const onAnything = all.filter((s) => asArray(s.Resource).includes('*'));
    expect(new Set(onAnything.flatMap((s) => asArray(s.Action)))).toEqual(
      new Set(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']),
    );
  });

  it('sends failed async invocations to encrypted TLS-only queues (on-failure destinations)', () => {
    for (const [entry, queue] of [
      ['inbound-email', stateless.failureQueues.inboundEmail],
      ['notify', stateless.failureQueues.notify],
      ['review', stateless.failureQueues.review],
    ] as const) {
      services.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(stateless.functions[entry].function) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] } } },
      });
    }
    // The three failure queues above, the form's queue and its failure queue.
    services.resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true }, 5);
  });
});

describe('the form queue', () => {
  const queueId = () => logicalId(stateless.formQueue);
  const failuresId = () => logicalId(stateless.failureQueues.formScreening);

  it('keeps accepted submissions encrypted and TLS-only, redelivered after 120 s, five times, then on its failure queue', () => {
    const queue = services.findResources('AWS::SQS::Queue')[queueId()];
    expect(queue?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      VisibilityTimeout: 120,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [failuresId(), 'Arn'] }, maxReceiveCount: 5 },
    });
    const policies = Object.values(services.findResources('AWS::SQS::QueuePolicy')).filter((policy) =>
      JSON.stringify(policy.Properties.Queues).includes(queueId()),
    );
    expect(policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // The visibility timeout outlasts six attempts of the function, as AWS advises for an event source.
    const worker =
      services.findResources('AWS::Lambda::Function')[
        logicalId(stateless.functions['form-screening'].function)
      ];
    expect(worker?.Properties.Timeout).toBe(20);
    expect(120).toBeGreaterThanOrEqual(6 * worker?.Properties.Timeout);
  });

  it('feeds the form-screening function ten at a time, reporting failed records one by one', () => {
    services.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stateless.functions['form-screening'].function) },
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    services.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('tells the contact form where the queue is; the contact form answers within its 15 s', () => {
    const form =
      services.findResources('AWS::Lambda::Function')[
        logicalId(stateless.functions['contact-form'].function)
      ];
    expect(form?.Properties.Environment.Variables).toMatchObject({ FORM_QUEUE_URL: { Ref: queueId() } });
    expect(form?.Properties.Timeout).toBe(15);
  });
});

describe('SES receiving', () => {
  it('stores the raw message in S3 BEFORE invoking the function (Event), with scanning, for the domains', () => {
    services.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: {
        Recipients: ['council.example', 'mail.council.example'],
        ScanEnabled: true,
        Enabled: true,
        // Residents' mail only over TLS (P7).
        TlsPolicy: 'Require',
        Actions: [
          {
            S3Action: Match.objectLike({ BucketName: { 'Fn::ImportValue': 'ContactScreening-RawMailName' } }),
          },
          {
            LambdaAction: {
              FunctionArn: {
                'Fn::GetAtt': [logicalId(stateless.functions['inbound-email'].function), 'Arn'],
              },
              InvocationType: 'Event',
            },
          },
        ],
      },
    });
    services.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });
});

describe('the HTTP API', () => {
  it('routes the public form and the admin API behind IAM, throttled, with access logs', () => {
    const routes = Object.values(services.findResources('AWS::ApiGatewayV2::Route')).map((r) => [
      r.Properties.RouteKey,
      r.Properties.AuthorizationType ?? 'NONE',
    ]);
    expect(routes).toEqual(
      expect.arrayContaining([
        ['POST /contact', 'NONE'],
        ['GET /openapi.json', 'NONE'],
        ['ANY /admin/{proxy+}', 'AWS_IAM'],
      ]),
    );
    services.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    services.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://www.council.example'] }),
    });
  });
});

describe('the daily review schedule', () => {
  it('invokes the review function at 07:00 Europe/London every day, with retries and a dead-letter queue', () => {
    const fn = logicalId(stateless.functions.review.function);
    const queue = logicalId(stateless.failureQueues.review);
    const schedules = Object.values(services.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
        RoleArn: {
          'Fn::GetAtt': [
            Object.keys(
              services.findResources('AWS::IAM::Role', {
                Properties: {
                  AssumeRolePolicyDocument: {
                    Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
                  },
                },
              }),
            )[0],
            'Arn',
          ],
        },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
      },
    });
    expect(schedules[0]?.Properties.Target.Input).toBeUndefined();
  });

  it('lets the scheduler invoke that function and write to that queue only, for this account', () => {
    const roles = services.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ],
        },
      },
    });
    const [roleId] = Object.keys(roles);
    expect(Object.keys(roles)).toHaveLength(1);
    const statements = Object.values(
      services.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
    const fnArn = { 'Fn::GetAtt': [logicalId(stateless.functions.review.function), 'Arn'] };
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }],
        },
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [logicalId(stateless.failureQueues.review), 'Arn'] },
        },
      ]),
    );
  });

  it('tells the review function who the managers are', () => {
    const fn =
      services.findResources('AWS::Lambda::Function')[logicalId(stateless.functions.review.function)];
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      MANAGERS: 'alerts.one@council.example',
      SCREENING_FROM: 'screening@mail.council.example',
      TABLE_NAME: expect.anything(),
      EVENT_BUS_NAME: expect.anything(),
    });
  });
});

describe('alarms', () => {
  it('alarms on errors and throttles of every function and on each failure queue, to the encrypted topic', () => {
    const alarms = Object.values(services.findResources('AWS::CloudWatch::Alarm'));
    const byMetric = (namespace: string, metric: string) =>
      alarms.filter((a) => a.Properties.Namespace === namespace && a.Properties.MetricName === metric);
    expect(byMetric('AWS/Lambda', 'Errors')).toHaveLength(7);
    expect(byMetric('AWS/Lambda', 'Throttles')).toHaveLength(7);
    expect(byMetric('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    const formFailures = alarms.filter(
      (a) =>
        a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(a.Properties.Dimensions).includes(logicalId(stateless.failureQueues.formScreening)),
    );
    expect(formFailures).toHaveLength(1);
    const topic = { Ref: logicalId(stateless.alarmTopic) };
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    services.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    services.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('configuration at synth', () => {
  it('reads context, lets the environment win, and names a bad setting', () => {
    expect(deploymentSettingsFrom({}, { RAW_MAIL_RETENTION_DAYS: 30 }).RAW_MAIL_RETENTION_DAYS).toBe(30);
    expect(
      deploymentSettingsFrom({ RAW_MAIL_RETENTION_DAYS: '60' }, { RAW_MAIL_RETENTION_DAYS: 30 })
        .RAW_MAIL_RETENTION_DAYS,
    ).toBe(60);
    expect(
      deploymentSettingsFrom({}, { COUNCIL_DOMAINS: ['a.example', 'b.example'] }).COUNCIL_DOMAINS,
    ).toEqual(['a.example', 'b.example']);
    expect(() => deploymentSettingsFrom({ MANAGERS: 'nope' })).toThrow(ConfigError);
    expect(() => deploymentSettingsFrom({ MANAGERS: 'nope' })).toThrow(/MANAGERS/);
    expect(() => deploymentSettingsFrom({ FORM_ALLOWED_ORIGINS: 'nope' })).toThrow(/FORM_ALLOWED_ORIGINS/);
    expect(() => deploymentSettingsFrom({ LOG_RETENTION_DAYS: '8' })).toThrow(/LOG_RETENTION_DAYS/);
  });

  it('takes the mailbox map from cdk.json as an object or as text, and names a bad entry', () => {
    const fromObject = deploymentSettingsFrom(
      {},
      { MAILBOXES: { 'planning@council.example': 'planning.team@council.example' } },
    );
    expect(fromObject.MAILBOXES).toBe('planning@council.example=planning.team@council.example');
    expect(() => deploymentSettingsFrom({ MAILBOXES: 'planning@council.example' })).toThrow(
      /MAILBOXES.*planning@council\.example/s,
    );
  });
});

describe('cdk-nag', () => {
  it('leaves no AwsSolutions or Serverless finding unacknowledged', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const findings = pack
        .validateScope(app)
        .violations.map(
          (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        );
      expect(findings).toEqual([]);
    }
  });

  it('has no construct errors or warnings', () => {
    for (const stack of [stateful, stateless]) {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
  });
});

describe('least privilege, function by function', () => {
  const tableArn = { 'Fn::ImportValue': 'ContactScreening-RegisterArn' };
  const table = [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }];
  const registerKey = { 'Fn::ImportValue': 'ContactScreening-RegisterKeyArn' };
  const readActions = [
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:Query',
    'dynamodb:Scan',
  ];
  const readWriteActions = [
    ...readActions,
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
  ].sort();
  const registerKeyUse = {
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    Resource: registerKey,
  };
  const xray = {
    Effect: 'Allow',
    Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
    Resource: '*',
  };
  const sendMail = {
    Effect: 'Allow',
    Action: 'ses:SendRawEmail',
    Resource: {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':identity/mail.council.example',
        ],
      ],
    },
    Condition: { StringEquals: { 'ses:FromAddress': 'screening@mail.council.example' } },
  };
  // The bus is the stateful stack's: its ARN reaches this stack as that stack's output.
  const putEvents = {
    Effect: 'Allow',
    Action: 'events:PutEvents',
    Resource: {
      'Fn::GetStackOutput': expect.objectContaining({
        StackName: statefulStackName,
        OutputName: expect.stringMatching(/EventBus.*Arn/),
      }),
    },
  };
  const ownLogs = (entry: keyof ContactScreeningStatelessStack['functions']) => ({
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: { 'Fn::GetAtt': [logicalId(stateless.functions[entry].logGroup), 'Arn'] },
  });
  const failureQueue = (queue: keyof ContactScreeningStatelessStack['failureQueues']) => ({
    Effect: 'Allow',
    Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    Resource: { 'Fn::GetAtt': [logicalId(stateless.failureQueues[queue]), 'Arn'] },
  });
  // 12.1: the audit trail is append-only, whatever else a function may write.
  const auditAppendOnly = (mayAppend: boolean) => ({
    Effect: 'Deny',
    Action: [
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      ...(mayAppend ? [] : ['dynamodb:PutItem']),
      'dynamodb:UpdateItem',
    ],
    Resource: tableArn,
    Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
  });
  const expectExactly = (entry: keyof ContactScreeningStatelessStack['functions'], expected: unknown[]) => {
    const actual = statementsOf(entry);
    expect(actual).toHaveLength(expected.length);
    expect(actual).toEqual(expect.arrayContaining(expected));
  };

  it('admin-api: its logs, X-Ray, the register table (items only) with its key, audit entries only added, and PutEvents on the bus', () => {
    expectExactly('admin-api', [
      ownLogs('admin-api'),
      xray,
      { Effect: 'Allow', Action: readWriteActions, Resource: table },
      auditAppendOnly(true),
      registerKeyUse,
      putEvents,
    ]);
  });

  it('staff-console: as admin-api (the bus too), plus reading its session key secret (encrypted with the register key it already uses)', () => {
    const secret = { Ref: logicalId(stateless.staffConsole.sessionKey) };
    expectExactly('staff-console', [
      ownLogs('staff-console'),
      xray,
      { Effect: 'Allow', Action: readWriteActions, Resource: table },
      auditAppendOnly(true),
      registerKeyUse,
      putEvents,
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: secret,
      },
    ]);
  });

  it('contact-form: reads the register, updates only its RATE# counters, and sends to the form queue only; no mail, no bus', () => {
    expectExactly('contact-form', [
      ownLogs('contact-form'),
      xray,
      registerKeyUse,
      { Effect: 'Allow', Action: readActions, Resource: table },
      {
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATE#*'] } },
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [logicalId(stateless.formQueue), 'Arn'] },
      },
    ]);
  });

  it('form-screening: as admin-api, plus mail as SCREENING_FROM through the one identity, PutEvents on the bus, and consuming the form queue', () => {
    expectExactly('form-screening', [
      ownLogs('form-screening'),
      xray,
      { Effect: 'Allow', Action: readWriteActions, Resource: table },
      auditAppendOnly(false),
      registerKeyUse,
      sendMail,
      putEvents,
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        Resource: { 'Fn::GetAtt': [logicalId(stateless.formQueue), 'Arn'] },
      },
    ]);
  });

  it('inbound-email: as form-screening (but its queue), plus GetObject under the mail prefix, its key, and its failure queue', () => {
    expectExactly('inbound-email', [
      ownLogs('inbound-email'),
      xray,
      failureQueue('inboundEmail'),
      { Effect: 'Allow', Action: readWriteActions, Resource: table },
      auditAppendOnly(false),
      registerKeyUse,
      sendMail,
      putEvents,
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'ContactScreening-RawMailArn' }, '/*']] },
      },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::ImportValue': 'ContactScreening-MailKeyArn' },
      },
    ]);
  });

  it('notify: reads the register, updates only NOTICE# items, sends mail; no bus, no bucket', () => {
    expectExactly('notify', [
      ownLogs('notify'),
      xray,
      failureQueue('notify'),
      registerKeyUse,
      { Effect: 'Allow', Action: readActions, Resource: table },
      {
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['NOTICE#*'] } },
      },
      sendMail,
    ]);
  });

  it('review: reads the register, writes only its markers, event records and retention deletes; mail, bus, its queue', () => {
    const onKeys = (action: string, prefixes: string[]) => ({
      Effect: 'Allow',
      Action: action,
      Resource: tableArn,
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } },
    });
    expectExactly('review', [
      ownLogs('review'),
      xray,
      failureQueue('review'),
      registerKeyUse,
      { Effect: 'Allow', Action: readActions, Resource: table },
      onKeys('dynamodb:UpdateItem', ['REVIEWDIGEST#*']),
      onKeys('dynamodb:PutItem', ['EVENT#*', 'RETENTION#contacts', 'REVIEWDIGEST#*', 'REVIEWDUE#*']),
      onKeys('dynamodb:DeleteItem', ['CONTACT#*', 'REVIEWDUE#*']),
      onKeys('dynamodb:BatchWriteItem', ['CONTACTLOG#*']),
      sendMail,
      putEvents,
    ]);
  });

  it('uses no AWS-managed policy on any function role', () => {
    for (const fn of Object.values(stateless.functions)) {
      expect(
        services.findResources('AWS::IAM::Role')[logicalId(fn.role)]?.Properties.ManagedPolicyArns,
      ).toBeUndefined();
    }
  });
});

describe('the bundles', () => {
  it('are minified ESM with the require banner and a linked source map without the sources, the AWS SDK left to the runtime', () => {
    const functions = services.findResources('AWS::Lambda::Function');
    for (const [entry, fn] of Object.entries(stateless.functions)) {
      const resource = functions[logicalId(fn.function)];
      expect(resource?.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      const assetDir = path.join(outdir, resource?.Metadata['aws:asset:path'] as string);
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(
        bundle.startsWith(
          "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        ),
        entry,
      ).toBe(true);
      expect(bundle.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map'), entry).toBe(true);
      const map = JSON.parse(readFileSync(path.join(assetDir, 'index.mjs.map'), 'utf8'));
      expect(map.mappings.length, entry).toBeGreaterThan(0);
      expect(
        (map.sourcesContent ?? []).filter((source: unknown) => source != null),
        entry,
      ).toEqual([]);
      expect(bundle, entry).not.toMatch(/node_modules\/@aws-sdk\//);
    }
    const adminApi = functions[logicalId(stateless.functions['admin-api'].function)];
    const adminBundle = readFileSync(
      path.join(outdir, adminApi?.Metadata['aws:asset:path'] as string, 'index.mjs'),
      'utf8',
    );
    expect(adminBundle).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
  });
});

describe('the staff console bundle', () => {
  const bundleDir = () =>
    path.join(
      outdir,
      services.findResources('AWS::Lambda::Function')[logicalId(stateless.staffConsole.function.function)]
        ?.Metadata['aws:asset:path'] as string,
    );
  const filesUnder = (dir: string) =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)),
    );

  it('carries the templates, GOV.UK Frontend’s Nunjucks templates and the built assets where the handler reads them', () => {
    const dir = bundleDir();
    for (const file of [
      'index.mjs',
      'templates/layout.njk',
      'govuk-frontend/govuk/template.njk',
      'govuk-frontend/govuk/components/button/macro.njk',
      'assets/console.css',
      'assets/console.js',
      // Letters are downloaded as PDF from the console too.
      'pdfkit-standard-fonts/Helvetica.cjs',
    ]) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    }
    expect(readFileSync(path.join(dir, 'assets/console.css'), 'utf8').length).toBeGreaterThan(1000);
  });

  it('leaves out GOV.UK’s typeface and crown, and anything of GOV.UK Frontend but its templates', () => {
    const files = filesUnder(bundleDir());
    expect(files.filter((file) => /(^|\/)(fonts|images)(\/|$)/.test(file))).toEqual([]);
    expect(
      files.filter(
        (file) => file.startsWith('govuk-frontend/') && /\.[a-z]+$/.test(file) && !file.endsWith('.njk'),
      ),
    ).toEqual([]);
  });
});

describe('the app', () => {
  it('tags both stacks, and every resource that takes tags, with the project', () => {
    for (const [template, types] of [
      [data, ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Events::EventBus']],
      [
        services,
        [
          'AWS::Lambda::Function',
          'AWS::IAM::Role',
          'AWS::Logs::LogGroup',
          'AWS::SQS::Queue',
          'AWS::SNS::Topic',
          'AWS::KMS::Key',
          'AWS::CloudWatch::Alarm',
        ],
      ],
    ] as const) {
      for (const type of types) {
        const resources = Object.entries(template.findResources(type));
        expect(resources.length, type).toBeGreaterThan(0);
        for (const [id, resource] of resources) {
          expect(resource.Properties.Tags, `${type} ${id}`).toEqual(
            expect.arrayContaining([{ Key: 'project', Value: 'contact-screening' }]),
          );
        }
      }
    }
    expect(projectTags).toEqual({ project: 'contact-screening' });
    for (const stack of [stateful, stateless]) expect(stack.tags.tagValues()).toMatchObject(projectTags);
  });

  it('is environment-agnostic unless the CLI found both an account and a region', () => {
    expect(environmentFrom({ CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'eu-west-2' })).toEqual(
      {
        account: '111111111111',
        region: 'eu-west-2',
      },
    );
    // Without credentials the CLI still sets a default region (us-east-1): not a reason to pin the stacks.
    expect(environmentFrom({ CDK_DEFAULT_REGION: 'us-east-1' })).toBeUndefined();
    expect(environmentFrom({ CDK_DEFAULT_ACCOUNT: '111111111111' })).toBeUndefined();
    expect(environmentFrom({})).toBeUndefined();
    for (const stack of [stateful, stateless]) {
      expect(stack.resolve(stack.region)).toEqual({ Ref: 'AWS::Region' });
      expect(stack.resolve(stack.account)).toEqual({ Ref: 'AWS::AccountId' });
    }
    expect(stateless.stackName).toBe(statelessStackName);
  });

  it('runs the cdk-nag AWS Solutions and Serverless checks on every synth', () => {
    // `Stage.policyValidationBeta1` (deprecated, and it says so on stderr; the `Validations.of(stage).plugins`
    // it suggests is not in this aws-cdk-lib) is the only read access to the plugins a stage runs at synth.
    expect(app.policyValidationBeta1.map((plugin) => plugin.name)).toEqual(
      expect.arrayContaining([new AwsSolutionsChecks().name, new ServerlessChecks().name]),
    );
  });

  it('acknowledges exactly the expected cdk-nag findings, each where expected and with a reason', () => {
    const acknowledged = acknowledgementsIn(app);
    const byRule = new Map<string, string[]>();
    for (const { rule, path: at } of acknowledged) byRule.set(rule, [...(byRule.get(rule) ?? []), at]);
    const ids = [
      'AdminApi',
      'ContactForm',
      'FormScreening',
      'InboundEmail',
      'Notify',
      'Review',
      'StaffConsole',
    ];
    const roles = ids.map((id) => `${statelessStackName}/${id}/Role`);
    const functions = ids.map((id) => `${statelessStackName}/${id}/Function`);
    const synchronous = ['AdminApi', 'ContactForm', 'StaffConsole'].map(
      (id) => `${statelessStackName}/${id}/Function`,
    );
    const queues = [
      'FormScreeningFailureQueue',
      'InboundEmailFailureQueue',
      'NotifyFailureQueue',
      'ReviewFailureQueue',
    ].map((id) => `${statelessStackName}/${id}`);
    const reviewFunctionArn = `<${logicalId(stateless.functions.review.function)}.Arn>`;
    expect(Object.fromEntries([...byRule].map(([rule, at]) => [rule, at.sort()]))).toEqual({
      'AwsSolutions-S1': [`${statefulStackName}/RawMail`],
      'AwsSolutions-SQS3': queues,
      'Serverless-SQSRedrivePolicy': queues,
      'AwsSolutions-IAM5[Resource::*]': roles,
      'AwsSolutions-IAM5[Resource::ContactScreening-RegisterArn/index/*]': roles,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': roles,
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': roles,
      'AwsSolutions-IAM5[Resource::ContactScreening-RawMailArn/*]': [
        `${statelessStackName}/InboundEmail/Role`,
      ],
      // The scheduler's role may invoke the review function and its versions (grantInvoke).
      [`AwsSolutions-IAM5[Resource::${reviewFunctionArn}:*]`]: [`${statelessStackName}/DailyReviewRole`],
      'AwsSolutions-L1': functions,
      'Serverless-LambdaLatestVersion': functions,
      'Serverless-LambdaDLQ': functions,
      'Serverless-LambdaAsyncFailureDestination': synchronous,
      // The form-screening function's SQS source: failures go to the queue's dead-letter queue.
      'Serverless-LambdaEventSourceMappingDestination': [
        `${statelessStackName}/FormScreening/Function/SqsEventSource:${Names.nodeUniqueId(stateless.formQueue.node)}`,
      ],
      'AwsSolutions-APIG4': [
        `${statelessStackName}/HttpApi/ANY--staff`,
        `${statelessStackName}/HttpApi/ANY--staff--{proxy+}`,
        `${statelessStackName}/HttpApi/GET--openapi.json`,
        `${statelessStackName}/HttpApi/POST--contact`,
      ],
      // The console's session key: rotating it would sign everyone out.
      'AwsSolutions-SMG4': [`${statelessStackName}/StaffSessionKey`],
    });
    for (const { rule, path: at, reason } of acknowledged) {
      expect(reason.trim().length, `${rule} at ${at}`).toBeGreaterThan(30);
    }
  });
});

describe('other settings (constructs only, no bundling)', () => {
  const other = {
    ...settings,
    MANAGERS: [],
    CONTACT_TOPICS: ['Bins', 'Council tax'],
    CASE_REFERENCE_PATTERN: '\\bCASE-\\d+\\b',
    PRIVACY_NOTICE_URL: 'https://www.council.example/privacy',
    FORM_PAGE_URL: 'https://www.council.example/contact',
    MAX_ATTACHED_ORIGINAL_BYTES: 1_000_000,
  };
  let quiet: ContactScreeningStatelessStack;
  let quietServices: Template;
  beforeAll(() => {
    ({ stateless: quiet } = createContactScreeningApp({
      appProps: {
        context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
        outdir: path.join(outdir, 'other-settings'),
      },
      settings: other,
    }));
    quietServices = Template.fromStack(quiet);
  });
  const variablesIn = (
    template: Template,
    stack: ContactScreeningStatelessStack,
    entry: 'contact-form' | 'form-screening' | 'inbound-email' | 'notify' | 'admin-api' | 'review',
  ) =>
    template.findResources('AWS::Lambda::Function')[logicalId(stack.functions[entry].function, stack)]
      ?.Properties.Environment.Variables as Record<string, unknown>;

  it('warns at synth when MANAGERS is empty, and still deploys the notify function', () => {
    const warnings = Annotations.fromStack(quiet).findWarning(
      '*',
      Match.stringLikeRegexp('MANAGERS is empty'),
    );
    expect(warnings.map((warning) => warning.id)).toEqual([`/${statelessStackName}/Notify`]);
    expect(variablesIn(quietServices, quiet, 'notify')).toMatchObject({ MANAGERS: '' });
  });

  it('passes the form and mail settings, when set, to the functions that read them', () => {
    expect(variablesIn(quietServices, quiet, 'contact-form')).toMatchObject({
      CONTACT_TOPICS: 'Bins,Council tax',
      PRIVACY_NOTICE_URL: 'https://www.council.example/privacy',
      FORM_PAGE_URL: 'https://www.council.example/contact',
    });
    // Case references are found where the form is screened: the form-screening function.
    expect(variablesIn(quietServices, quiet, 'form-screening')).toMatchObject({
      CASE_REFERENCE_PATTERN: '\\bCASE-\\d+\\b',
    });
    const inbound = variablesIn(quietServices, quiet, 'inbound-email');
    expect(inbound).toMatchObject({
      CASE_REFERENCE_PATTERN: '\\bCASE-\\d+\\b',
      MAX_ATTACHED_ORIGINAL_BYTES: '1000000',
    });
    expect(Object.keys(inbound)).not.toContain('CONTACT_TOPICS');
    // Contacts staff record are screened in the admin API: a case reference in their summary counts.
    expect(variablesIn(quietServices, quiet, 'admin-api')).toMatchObject({
      CASE_REFERENCE_PATTERN: '\\bCASE-\\d+\\b',
    });
    for (const entry of ['contact-form', 'notify'] as const) {
      expect(Object.keys(variablesIn(quietServices, quiet, entry))).not.toEqual(
        expect.arrayContaining(['CASE_REFERENCE_PATTERN']),
      );
    }
  });

  it('leaves them unset, to the handlers’ defaults, when the deployment does not set them', () => {
    const passedOn = [
      'CONTACT_TOPICS',
      'CASE_REFERENCE_PATTERN',
      'PRIVACY_NOTICE_URL',
      'FORM_PAGE_URL',
      'MAX_ATTACHED_ORIGINAL_BYTES',
    ];
    for (const entry of [
      'admin-api',
      'contact-form',
      'form-screening',
      'inbound-email',
      'notify',
      'review',
    ] as const) {
      const names = Object.keys(variablesIn(services, stateless, entry));
      expect(
        names.filter((name) => passedOn.includes(name)),
        entry,
      ).toEqual([]);
    }
    expect(
      deploymentSettingsFrom({ MAX_ATTACHED_ORIGINAL_BYTES: '2048' }, { CONTACT_TOPICS: ['A', 'B'] }),
    ).toMatchObject({
      MAX_ATTACHED_ORIGINAL_BYTES: 2048,
      CONTACT_TOPICS: ['A', 'B'],
      CASE_REFERENCE_PATTERN: undefined,
    });
    expect(() => deploymentSettingsFrom({ CASE_REFERENCE_PATTERN: '(' })).toThrow(/CASE_REFERENCE_PATTERN/);
    expect(() => deploymentSettingsFrom({ FORM_PAGE_URL: 'not a url' })).toThrow(/FORM_PAGE_URL/);
  });
});

/** Every acknowledgement recorded with `Validations.of(construct).acknowledge`: rule id, construct path, reason. */
function acknowledgementsIn(root: IConstruct): Array<{ rule: string; path: string; reason: string }> {
  const found: Array<{ rule: string; path: string; reason: string }> = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          found.push({ rule: id.replace(/^annotation::/i, ''), path: construct.node.path, reason });
        }
      }
    }
  }
  return found;
}
