import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type EventRule, eventRules } from '../lambdas/adapters/eventbridge/rules';
import { detailTypes, eventSource } from '../lambdas/core/events';
import type { ScreeningFunction } from './screening-function';

/**
 * EventBridge retries delivering to a target (throttling, service errors) for this long; Lambda then
 * retries a failing function twice. Alerts matter for days, not seconds.
 */
const eventDelivery = { retryAttempts: 8, maxEventAge: Duration.hours(6) };

/** A rule target: the function, and where what it never received goes. */
export interface EventTarget {
  readonly fn: ScreeningFunction;
  readonly failures: sqs.IQueue;
}

export interface ScreeningEventRulesProps {
  readonly eventBus: events.IEventBus;
  /** The function behind each target named in lambdas/adapters/eventbridge/rules.ts. */
  readonly targets: Readonly<Record<EventRule['target'], EventTarget>>;
  /** Where a contact that could not be screened is announced. */
  readonly alarmTopic: sns.ITopic;
  /** What the alarm topic never received. */
  readonly alarmFailures: sqs.IQueue;
}

/**
 * The rules on the bus: the same definitions the local bus delivers with (lambdas/adapters/eventbridge/rules.ts),
 * and a failed screening straight to the alarm topic. Created in `scope` itself (see `ScreeningFunctions`).
 */
export class ScreeningEventRules {
  readonly rules: Readonly<Record<string, events.Rule>>;

  constructor(scope: Construct, props: ScreeningEventRulesProps) {
    const { eventBus } = props;
    const rules: Record<string, events.Rule> = {};
    for (const rule of eventRules) {
      const target = props.targets[rule.target];
      rules[rule.id] = new events.Rule(scope, rule.id, {
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
    rules.ScreeningFailed = new events.Rule(scope, 'ScreeningFailed', {
      eventBus,
      description: 'A contact could not be screened: tell whoever watches the alarms',
      eventPattern: { source: [eventSource], detailType: [detailTypes.failed] },
      targets: [
        new targets.SnsTopic(props.alarmTopic, { ...eventDelivery, deadLetterQueue: props.alarmFailures }),
      ],
    });
    this.rules = rules;
  }
}
