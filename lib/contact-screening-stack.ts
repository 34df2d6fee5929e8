import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { tableDesign } from '../lambdas/adapters/dynamodb/table-design';
import { ScreeningFunction } from './screening-function';

export interface ContactScreeningStackProps extends StackProps {
  /** How long function logs are kept (P7). @default three months */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The contact screening pipeline on AWS: the restriction register (one DynamoDB table) and the functions
 * that screen contacts against it. The same handlers run locally behind `npm start`.
 */
export class ContactScreeningStack extends Stack {
  readonly registerKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly adminApi: ScreeningFunction;

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

    // --- Entry points ------------------------------------------------------------------------------------
    // The HTTP API goes here (its own issue): an API Gateway HTTP API routing `/admin/*` (IAM or Cognito
    // auth) to `this.adminApi.function` and `POST /contact` to the contact-form function. The SES receipt
    // rule, the EventBridge bus and the daily review schedule follow: each a ScreeningFunction bound to
    // what it needs.

    new CfnOutput(this, 'TableName', {
      description:
        'The restriction register table (single-table design: lambdas/adapters/dynamodb/table-design.ts)',
      value: this.table.tableName,
    });
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
