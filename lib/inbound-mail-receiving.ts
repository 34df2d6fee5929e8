import { Annotations, CfnOutput } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import type { Construct } from 'constructs';
import type { ScreeningFunction } from './screening-function';

export interface InboundMailReceivingProps {
  /** The council's mail domains: SES receives for these only. */
  readonly domains: readonly string[];
  /** Where SES stores each raw message (the stateful stack's bucket), under `mailPrefix`. */
  readonly mailBucket: s3.IBucket;
  readonly mailPrefix: string;
  /** The function that screens each stored message. */
  readonly screen: ScreeningFunction;
}

/**
 * SES receiving: a receipt rule set whose one rule stores the raw message, THEN invokes the screening
 * function with it (P1: the message is safe in S3 before anything can fail). The rule set must be activated
 * once by hand; its name is an output. Created in `scope` itself (see `ScreeningFunctions`).
 */
export class InboundMailReceiving {
  readonly receiptRuleSet: ses.ReceiptRuleSet;
  readonly receiptRule: ses.ReceiptRule;

  constructor(scope: Construct, props: InboundMailReceivingProps) {
    this.receiptRuleSet = new ses.ReceiptRuleSet(scope, 'ReceiptRuleSet', {});
    this.receiptRule = this.receiptRuleSet.addRule('ScreenInboundMail', {
      recipients: [...props.domains],
      scanEnabled: true,
      // Mail that arrives in the clear is refused: residents' complaints are personal data (P7).
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      enabled: true,
      actions: [
        // Server-side SSE-KMS by the bucket's default key: the S3 action's own `kmsKey` would make SES
        // encrypt client-side, which a plain GetObject in the handler could not read.
        // The bucket policy letting SES put (aws:SourceAccount) is the stateful stack's: it owns the bucket.
        new sesActions.S3({ bucket: props.mailBucket, objectKeyPrefix: props.mailPrefix }),
        new sesActions.Lambda({
          function: props.screen.function,
          invocationType: sesActions.LambdaInvocationType.EVENT,
        }),
      ],
    });
    Annotations.of(this.receiptRule).acknowledgeWarning(
      '@aws-cdk/s3:AddBucketPermissions',
      'The stateful stack grants SES s3:PutObject on the bucket (ContactScreeningStatefulStack, SesPutsInboundMail).',
    );
    new CfnOutput(scope, 'ReceiptRuleSetName', {
      description: 'Activate it once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
      value: this.receiptRuleSet.receiptRuleSetName,
    });
  }
}
