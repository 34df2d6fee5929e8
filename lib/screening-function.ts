import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { keys } from '../lambdas/adapters/dynamodb/table-design';

const auditKeyPrefix = keys.auditPrefix;

/** The Lambda entry points: each is `lambdas/<entry>/handler.ts` (DESIGN, "Layout"). */
export type ScreeningEntry =
  | 'admin-api'
  | 'contact-form'
  | 'form-screening'
  | 'inbound-email'
  | 'notify'
  | 'review'
  | 'staff-console';

/** Shell commands of a bundling hook, given the input (repository) and output (bundle) folders. */
export type BundlingCommands = (inputDir: string, outputDir: string) => string[];

/** A DynamoDB table created here (Table or TableV2): both carry their grants. */
export type BindableTable = dynamodb.ITable & { readonly grants: dynamodb.TableGrants };

/** How much of the restriction register a function may touch. */
export type TableAccess = 'read' | 'readWrite';

/** How Lambda treats the function's asynchronous invocations (EventBridge, SES): retries, then a queue. */
export interface AsyncInvocationProps {
  /** Lambda's retries after a function error (0–2). */
  readonly retryAttempts: number;
  /** How long Lambda keeps trying an event (1 minute – 6 hours). */
  readonly maxEventAge: Duration;
  /**
   * The on-failure destination: where an event goes, with the error, once every attempt failed: never
   * silently away (P1).
   */
  readonly onFailure: sqs.IQueue;
}

/** The sender of the function's mail, and the SES identity that may send as it. */
export interface MailerBinding {
  /** `SCREENING_FROM`: the address every message is sent from. */
  readonly from: string;
  /** The verified SES identity (a domain or an address) that `from` sends through. */
  readonly identity: string;
}

export interface ScreeningFunctionProps {
  /** Which handler to bundle: `lambdas/<entry>/handler.ts`. */
  readonly entry: ScreeningEntry;
  /** Shown in the Lambda console. @default - names the entry */
  readonly description?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** How long the function's logs are kept (P7: retention is set in config). @default three months */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the function is removed. Logs carry ids and decisions only (P7),
   * and are the trail for explaining a past routing decision (P3), so by default they outlive the function
   * and expire by their retention.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Extra settings; prefer a `bind*` helper where one exists, so that the grant comes with it. */
  readonly environment?: Readonly<Record<string, string>>;
  /** For functions invoked asynchronously. @default Lambda's defaults (2 retries, 6 hours, no queue) */
  readonly asyncInvocation?: AsyncInvocationProps;
  /**
   * Ships pdfkit's standard-font metrics next to the bundle (see `pdfFontsAfterBundling`), for functions that
   * render informing letters as PDF (lambdas/adapters/pdf/letter-pdf.ts). @default false
   */
  readonly bundlePdfFonts?: boolean;
  /** Run before esbuild, e.g. to build files the bundle ships (see lib/bundle-files.ts). */
  readonly beforeBundling?: BundlingCommands;
  /** Run after esbuild (and after the PDF fonts), e.g. to copy files the handler reads beside the bundle. */
  readonly afterBundling?: BundlingCommands;
}

/** The repository root: `lib/` sits directly below it. */
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** Handlers are ESM; some bundled dependencies are CommonJS and still call `require`. */
export const esmRequireBanner =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * pdfkit's Node build loads the metrics of its standard fonts (Helvetica…) at run time, with
 * `require('#standard-fonts/<Name>')` resolved through the "imports" map of the package.json nearest the
 * calling file. Bundled, that file is our index.mjs: so this copies the metric modules next to it and writes
 * a package.json that maps them (merged into one that `nodeModules` wrote, if any). It runs with Node, in
 * local and in Docker bundling alike. test/integration/letter-pdf.test.ts bundles and runs a letter with it.
 */
export function pdfFontsAfterBundling(inputDir: string, outputDir: string): string[] {
  const script = [
    'const fs = require("node:fs"), path = require("node:path");',
    'const [input, output] = process.argv.slice(1);',
    'fs.cpSync(path.join(input, "node_modules/pdfkit/js/standard-fonts"), path.join(output, "pdfkit-standard-fonts"),',
    '{ recursive: true, filter: (file) => !file.endsWith(".mjs") && !file.endsWith(".map") });',
    'const manifest = path.join(output, "package.json");',
    'const pkg = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")) : {};',
    'pkg.imports = { ...pkg.imports, "#standard-fonts/*": "./pdfkit-standard-fonts/*.cjs" };',
    'fs.writeFileSync(manifest, JSON.stringify(pkg, null, 2));',
  ].join(' ');
  return [['node', '-e', script, inputDir, outputDir].map(shellQuote).join(' ')];
}

/** One word for a POSIX shell, whatever it holds. */
export const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** The settings lambdas/wiring/config.ts reads. */
const tableNameVariable = 'TABLE_NAME';
const eventBusVariable = 'EVENT_BUS_NAME';
const mailFromVariable = 'SCREENING_FROM';
const mailBucketVariable = 'MAIL_BUCKET';
const mailPrefixVariable = 'MAIL_PREFIX';
const formQueueVariable = 'FORM_QUEUE_URL';

/**
 * One Lambda function of the contact screening pipeline, with our defaults (STYLE 6): Node.js 22 on arm64,
 * X-Ray tracing, source maps, a dedicated log group with retention, and an ESM bundle built by the local
 * esbuild (no Docker). Its role starts with nothing but its own log group; each `bind*` helper sets the
 * setting a handler reads and grants the least IAM for it, in one call.
 */
export class ScreeningFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  private readonly boundVariables = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ScreeningFunctionProps) {
    super(scope, id);
    const { entry } = props;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Our own role rather than the AWS-managed AWSLambdaBasicExecutionRole, which may write to any log
    // group in the account: this one may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the contact screening ${entry} function`,
    });
    this.logGroup.grants.write(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(repositoryRoot, 'lambdas', entry, 'handler.ts'),
      handler: 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
      description: props.description ?? `Contact screening: ${entry}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      ...(props.asyncInvocation
        ? {
            retryAttempts: props.asyncInvocation.retryAttempts,
            maxEventAge: props.asyncInvocation.maxEventAge,
            onFailure: new destinations.SqsDestination(props.asyncInvocation.onFailure),
          }
        : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'contact-screening',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        // Prefer packages' ESM builds, which esbuild can tree-shake.
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings only; the sources stay out of the deployed asset.
        sourcesContent: false,
        // The Node.js 22 runtime provides AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
        ...(props.bundlePdfFonts || props.beforeBundling || props.afterBundling
          ? {
              commandHooks: {
                beforeBundling: (inputDir: string, outputDir: string) =>
                  props.beforeBundling?.(inputDir, outputDir) ?? [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  ...(props.bundlePdfFonts ? pdfFontsAfterBundling(inputDir, outputDir) : []),
                  ...(props.afterBundling?.(inputDir, outputDir) ?? []),
                ],
              },
            }
          : {}),
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x (supported until April 2027) to match the esbuild target and the Node version the ' +
        'handlers are tested on; moving to the next runtime is a reviewed change, not a silent one.',
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason:
        'Pinned to nodejs22.x (supported until April 2027) to match the esbuild target and the Node version the ' +
        'handlers are tested on; moving to the next runtime is a reviewed change, not a silent one.',
    });
    if (props.asyncInvocation) {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Has an on-failure destination (an encrypted, TLS-only SQS queue, alarmed on) instead: it supersedes a ' +
          'dead-letter queue and also records the error and the attempts.',
      });
    }
    // X-Ray accepts trace segments only on Resource "*"; tracing is on for every function.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray (xray:PutTraceSegments, xray:PutTelemetryRecords) does not support resource-level permissions.',
    });
  }

  /**
   * Sets `TABLE_NAME` and grants the data-plane access asked for (never table management), including the
   * use of the table's customer-managed KMS key. `writableKeyPrefixes` adds, to read access, UpdateItem on
   * the items whose partition key starts with one of the prefixes, and on no other (dynamodb:LeadingKeys).
   */
  bindTable(
    table: BindableTable,
    access: TableAccess,
    options: { writableKeyPrefixes?: readonly string[]; appendsAudit?: boolean } = {},
  ): this {
    this.bindVariable(tableNameVariable, table.tableName);
    const prefixes = options.writableKeyPrefixes ?? [];
    if (access === 'readWrite') {
      table.grants.readWriteData(this.role);
      // 12.1: the audit trail is append-only. No function may change or remove an entry, and only the
      // one that records changes (the admin API, with conditional puts) may add them.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: [
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
            ...(options.appendsAudit ? [] : ['dynamodb:PutItem']),
          ],
          resources: [table.tableArn],
          conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${auditKeyPrefix}*`] } },
        }),
      );
    } else {
      table.grants.readData(this.role);
    }
    if (access === 'read' && prefixes.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:UpdateItem'],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
          },
        }),
      );
      table.encryptionKey?.grantEncrypt(this.role);
    }
    const writes = access === 'readWrite' || prefixes.length > 0;

    const tableArn = describeArnForNag(this, table.tableArn);
    if (tableArn !== undefined) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
        reason:
          "Queries the table's secondary indexes (GSI1: register and customer lists); scoped to this table.",
      });
    }
    if (writes && table.encryptionKey) {
      for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
        Validations.of(this.role).acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason:
            "DynamoDB's standard grant for writing through a customer-managed key; scoped to the table's key.",
        });
      }
    }
    return this;
  }

  /**
   * Sets `SCREENING_FROM` and grants `ses:SendRawEmail` on that one SES identity, for that sender address
   * only (ses:FromAddress). While the account is in the SES sandbox, SES also checks the recipients'
   * identities; a council in production has left the sandbox.
   */
  bindMailer(mail: MailerBinding): this {
    this.bindVariable(mailFromVariable, mail.from);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [
          Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: mail.identity }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': mail.from } },
      }),
    );
    return this;
  }

  /**
   * Sets `CONTENT_SCORER` (and `COMPREHEND_REGION`); with `comprehend`, grants
   * `comprehend:DetectToxicContent` and nothing else. The in-process scorer needs no permission.
   */
  bindContentScorer(scorer: 'in-process' | 'comprehend', comprehendRegion?: string): this {
    this.bindVariable('CONTENT_SCORER', scorer);
    if (scorer !== 'comprehend') return this;
    if (comprehendRegion) this.bindVariable('COMPREHEND_REGION', comprehendRegion);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['comprehend:DetectToxicContent'], resources: ['*'] }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray (xray:PutTraceSegments, xray:PutTelemetryRecords) and Comprehend DetectToxicContent (a stateless ' +
        'analysis call with no resource to name) do not support resource-level permissions.',
    });
    return this;
  }

  /** Sets `EVENT_BUS_NAME` and grants `events:PutEvents` on that bus only (the publishers' side). */
  bindEventBus(bus: events.IEventBus): this {
    this.bindVariable(eventBusVariable, bus.eventBusName);
    // Written out: the generated `grants.allPutEvents` grants PutEvents on every bus ("*").
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
    );
    return this;
  }

  /**
   * Sets `MAIL_BUCKET` and `MAIL_PREFIX` and grants `s3:GetObject` on the objects under that prefix only (the
   * raw mail SES stored), with `kms:Decrypt` on the bucket's key: no listing, no writing, no deleting.
   */
  bindMailBucket(bucket: s3.IBucket, prefix: string, key: kms.IKey): this {
    this.bindVariable(mailBucketVariable, bucket.bucketName);
    this.bindVariable(mailPrefixVariable, prefix);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }),
    );
    key.grantDecrypt(this.role);
    const bucketArn = describeArnForNag(this, bucket.bucketArn);
    if (bucketArn !== undefined) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}*]`,
        reason:
          'Reads the raw message SES stored under <MAIL_PREFIX><messageId>; the id is known only at run time, so ' +
          'the grant is every object under the prefix of this one bucket, read only.',
      });
    }
    return this;
  }

  /**
   * Sets `FORM_QUEUE_URL` and grants `sqs:SendMessage` on that queue only (the contact form accepting a
   * submission): no receiving, no deleting. The queue is SQS-encrypted, so no key grant is needed.
   */
  bindSubmissionQueue(queue: sqs.IQueue): this {
    this.bindVariable(formQueueVariable, queue.queueUrl);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
    return this;
  }

  /** Sets a variable once: binding a second, different resource to the same name is a mistake. */
  private bindVariable(name: string, value: string): void {
    const bound = this.boundVariables.get(name);
    if (bound !== undefined && bound !== value) {
      throw new Error(`${this.node.path}: ${name} is already bound to another resource`);
    }
    this.boundVariables.set(name, value);
    this.function.addEnvironment(name, value);
  }
}

/**
 * How cdk-nag prints an ARN in its findings: `<LogicalId.Arn>` for an attribute of a resource in the
 * same stack, the literal otherwise.
 */
function describeArnForNag(scope: Construct, arn: string): string | undefined {
  const resolved: unknown = Stack.of(scope).resolve(arn);
  if (typeof resolved === 'string') {
    return resolved;
  }
  const getAtt = (resolved as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  if (getAtt) return `<${getAtt[0]}.${getAtt[1]}>`;
  // An export of the stateful stack, imported by name: cdk-nag prints the export's name.
  const imported = (resolved as { 'Fn::ImportValue'?: unknown } | undefined)?.['Fn::ImportValue'];
  if (typeof imported === 'string') return imported;
  // Anything else (a weak cross-stack reference, a parameter) gets no acknowledgement: cdk-nag fails the synth, loudly.
  return undefined;
}
