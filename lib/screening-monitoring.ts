import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ScreeningFunction } from './screening-function';

export interface ScreeningMonitoringProps {
  /** Subscribed to the alarm topic when set. */
  readonly alarmEmail?: string;
  /** Every function, by entry: errors and throttles alarm. */
  readonly functions: Readonly<Record<string, ScreeningFunction>>;
  /** Every failure queue, by name: any message waiting alarms. */
  readonly failureQueues: Readonly<Record<string, sqs.IQueue>>;
  /** The HTTP API's stage: server errors alarm. */
  readonly apiStage: apigw.HttpStage;
}

/**
 * Monitoring: an encrypted alarm topic (and its subscription), an alarm on anything that failed (a function's
 * errors or throttles, a message in a failure queue, a 5xx of the HTTP API), and a dashboard of the same.
 * Created in `scope` itself (see `ScreeningFunctions`).
 */
export class ScreeningMonitoring {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, props: ScreeningMonitoringProps) {
    const alarmKey = new kms.Key(scope, 'AlarmKey', {
      description: 'Contact screening: encrypts the alarm topic (CloudWatch and EventBridge publish to it)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      alarmKey.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    this.alarmTopic = new sns.Topic(scope, 'AlarmTopic', {
      displayName: 'Contact screening alarms',
      masterKey: alarmKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    new CfnOutput(scope, 'AlarmTopicArn', {
      description: 'Subscribe to get the alarms',
      value: this.alarmTopic.topicArn,
    });

    const alarmAction = new cwActions.SnsAction(this.alarmTopic);
    // Each alarm fires on the first occurrence in five minutes: any of these means someone should look.
    const alarmOnAny = (id: string, alarmDescription: string, metric: cloudwatch.IMetric) => {
      const alarm = new cloudwatch.Alarm(scope, id, {
        alarmDescription,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(alarmAction);
      this.alarms.push(alarm);
    };
    const fiveMinutes = Duration.minutes(5);
    const queues = Object.entries(props.failureQueues);
    for (const [name, queue] of queues) {
      alarmOnAny(
        `${queue.node.id}Alarm`,
        `Contact screening: something for ${name} failed every attempt; see the queue`,
        queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes }),
      );
    }
    const fns = Object.entries(props.functions);
    for (const [entry, fn] of fns) {
      const sum = { period: fiveMinutes, statistic: cloudwatch.Stats.SUM };
      alarmOnAny(
        `${fn.node.id}ErrorsAlarm`,
        `Contact screening: the ${entry} function has errors`,
        fn.function.metricErrors().with(sum),
      );
      alarmOnAny(
        `${fn.node.id}ThrottlesAlarm`,
        `Contact screening: the ${entry} function has throttles`,
        fn.function.metricThrottles().with(sum),
      );
    }
    const stage = props.apiStage;
    alarmOnAny(
      'Api5xxAlarm',
      'Contact screening: the HTTP API answered with server errors',
      stage.metricServerError({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
    );

    this.dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.days(7) });
    const graph = (title: string, metrics: Pick<cloudwatch.GraphWidgetProps, 'left' | 'right'>) =>
      new cloudwatch.GraphWidget({ title, width: 12, ...metrics });
    this.dashboard.addWidgets(
      graph('Invocations', {
        left: fns.map(([entry, fn]) => fn.function.metricInvocations({ label: entry })),
      }),
      graph('Errors and throttles', {
        left: fns.map(([entry, fn]) => fn.function.metricErrors({ label: `${entry} errors` })),
        right: fns.map(([entry, fn]) => fn.function.metricThrottles({ label: `${entry} throttles` })),
      }),
      graph('Duration (p95)', {
        left: fns.map(([entry, fn]) => fn.function.metricDuration({ label: entry, statistic: 'p95' })),
      }),
      graph('Failure queues (messages waiting)', {
        left: queues.map(([name, queue]) => queue.metricApproximateNumberOfMessagesVisible({ label: name })),
      }),
      graph('HTTP API', {
        left: [stage.metricCount({ label: 'requests' })],
        right: [stage.metricClientError({ label: '4xx' }), stage.metricServerError({ label: '5xx' })],
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 12, alarms: this.alarms }),
    );
  }
}
