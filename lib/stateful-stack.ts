import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { tableDesign } from '../lambdas/adapters/dynamodb/table-design';
import { eventBusName } from '../lambdas/adapters/eventbridge/rules';
import { eventSource } from '../lambdas/core/events';
import type { StatefulImports } from './stateless-stack';

export interface StatefulStackProps extends StackProps {
  /** Days raw inbound mail is kept before the lifecycle rule deletes it (P7). */
  readonly rawMailRetentionDays: number;
  /** Where SES stores raw mail (MAIL_PREFIX): the only keys SES may put. */
  readonly mailPrefix: string;
  /** Days the bus archive keeps events. */
  readonly eventArchiveDays: number;
}

/**
 * What holds data and outlives deployments: the restriction register (DynamoDB), the raw inbound mail
 * (S3) and the event bus with its archive. Its construct ids are those of the original single stack, so
 * that splitting the stacks replaced nothing. The stateless stack gets these through props.
 */
export class ContactScreeningStatefulStack extends Stack {
  readonly registerKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly mailKey: kms.Key;
  readonly mailBucket: s3.Bucket;
  readonly eventBus: events.EventBus;
  readonly archive: events.Archive;

  /** The names and ARNs the stateless stack imports (exported by name, `Fn::ImportValue`). */
  exports(): StatefulImports {
    const exported = (value: string, name: string) =>
      this.exportValue(value, { name: `ContactScreening-${name}` });
    return {
      tableArn: exported(this.table.tableArn, 'RegisterArn'),
      tableName: exported(this.table.tableName, 'RegisterName'),
      registerKeyArn: exported(this.registerKey.keyArn, 'RegisterKeyArn'),
      mailBucketArn: exported(this.mailBucket.bucketArn, 'RawMailArn'),
      mailBucketName: exported(this.mailBucket.bucketName, 'RawMailName'),
      mailKeyArn: exported(this.mailKey.keyArn, 'MailKeyArn'),
    };
  }

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    // --- The restriction register (personal data, policy 12.1) ------------------------------------------
    this.registerKey = new kms.Key(this, 'RegisterKey', {
      description: 'Contact screening: encrypts the restriction register (personal data, policy 12.1)',
      enableKeyRotation: true,
      // Deleting the key would make the retained table and its backups unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Table rather than TableV2: TableV2 cannot render a customer-managed key in an environment-agnostic
    // stack (its replica SSE settings need a concrete region), and this stack must synth without one.
    this.table = new dynamodb.Table(this, 'Register', {
      partitionKey: { name: tableDesign.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.registerKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // P5: TTL only cleans up expired items; restrictions are evaluated against the clock on every read.
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: tableDesign.gsi1.indexName,
      partitionKey: { name: tableDesign.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDesign.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    // --- Raw inbound mail, as SES stored it -----------------------------------------------------------
    this.mailKey = new kms.Key(this, 'MailKey', {
      description: 'Contact screening: encrypts raw inbound mail in S3 (personal data)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SES's S3 action writes with s3:PutObject; the bucket's default SSE-KMS then needs SES to use the key.
    this.mailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesStoresInboundMail',
        actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.mailBucket = new s3.Bucket(this, 'RawMail', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.mailKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [
        {
          id: 'ExpireRawMail',
          expiration: Duration.days(props.rawMailRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // What the SES S3 action would add itself, were the bucket in the same stack as the receipt rule.
    this.mailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesPutsInboundMail',
        actions: ['s3:PutObject'],
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        resources: [this.mailBucket.arnForObjects(`${props.mailPrefix}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    Validations.of(this.mailBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logs would copy object keys of personal mail into a second bucket; the only writer is SES ' +
        '(aws:SourceAccount-scoped policy) and the only reader the inbound-email role. Object-level audit is by ' +
        'CloudTrail S3 data events on the account trail (README, Deploying).',
    });

    // --- Events -----------------------------------------------------------------------------------------
    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName,
      description: 'Contact screening: frequency alerts and other events (ids and counts, never bodies)',
    });
    this.archive = this.eventBus.archive('Archive', {
      description: 'Contact screening events, for replay after a failed delivery (ids and counts only)',
      eventPattern: { source: [eventSource] },
      retention: Duration.days(props.eventArchiveDays),
    });

    new CfnOutput(this, 'TableName', {
      description:
        'The restriction register table (single-table design: lambdas/adapters/dynamodb/table-design.ts)',
      value: this.table.tableName,
    });
    new CfnOutput(this, 'EventBusName', {
      description: 'The custom event bus (source contact-screening)',
      value: this.eventBus.eventBusName,
    });
    new CfnOutput(this, 'MailBucketName', {
      description: 'Raw inbound mail, stored by the SES receipt rule and expired by lifecycle',
      value: this.mailBucket.bucketName,
    });
  }
}
