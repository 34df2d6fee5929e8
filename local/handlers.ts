import { adminApiDeps } from '../lambdas/admin-api/deps';
import { createAdminApiHandler } from '../lambdas/admin-api/handler';
import { contactFormDeps } from '../lambdas/contact-form/deps';
import { createContactFormHandler } from '../lambdas/contact-form/handler';
import type { SubmissionQueue } from '../lambdas/core/ports';
import type { ReviewSummary } from '../lambdas/core/review';
import { formScreeningDeps } from '../lambdas/form-screening/deps';
import { createFormScreeningHandler } from '../lambdas/form-screening/handler';
import { inboundEmailDeps } from '../lambdas/inbound-email/deps';
import { createInboundEmailHandler } from '../lambdas/inbound-email/handler';
import { notifyDeps } from '../lambdas/notify/deps';
import { createNotifyHandler } from '../lambdas/notify/handler';
import { reviewDeps } from '../lambdas/review/deps';
import { createReviewHandler } from '../lambdas/review/handler';
import type { AwsClients } from '../lambdas/wiring/clients';
import type { Config } from '../lambdas/wiring/config';
import { type LambdaHandler, lambdaContext } from './api-gateway-v2';
import type { AsyncLambdaHandler } from './async-invoke';
import type { FormScreeningLambda } from './form-queue';
import { functionNames, LocalStackError } from './settings';

/** The functions the CDK stack deploys, as one local stack runs them. */
export interface LocalHandlers {
  adminApi: LambdaHandler;
  contactForm: LambdaHandler;
  /** Screens what the form accepted, from its queue (SQS-shaped events). */
  formScreening: FormScreeningLambda;
  inboundEmail: AsyncLambdaHandler;
  notify: AsyncLambdaHandler;
  /**
   * The daily review, as its schedule invokes it. `now` (an ISO 8601 instant) runs it as if it were
   * then, with the same adapters and another clock: tests use it as a fake clock.
   */
  review(now?: string): Promise<ReviewSummary>;
}

const REVIEW_TIMEOUT_MS = 15 * 60_000;

/**
 * Every handler built the way its default wiring builds it, from this stack's configuration and
 * clients: `create<Entry>Handler(<entry>Deps(config, clients))`; the contact form accepts into
 * `submissions` (the local form queue) where AWS has SQS. Two stacks in one process build their
 * own, with their own settings.
 */
export function createLocalHandlers(
  config: Config,
  clients: AwsClients,
  submissions: SubmissionQueue,
): LocalHandlers {
  const review = reviewDeps(config, clients);
  const scheduledReview = createReviewHandler(review);
  const scheduledEvent = { source: 'local.timer', 'detail-type': 'Scheduled Event' };
  return {
    adminApi: createAdminApiHandler(adminApiDeps(config, clients)),
    contactForm: createContactFormHandler(contactFormDeps(config, clients, submissions)),
    formScreening: createFormScreeningHandler(formScreeningDeps(config, clients)),
    inboundEmail: createInboundEmailHandler(inboundEmailDeps(config, clients)),
    notify: createNotifyHandler(notifyDeps(config, clients)),
    review: async (now) => {
      const context = lambdaContext(functionNames.review, REVIEW_TIMEOUT_MS);
      if (now === undefined) return scheduledReview(scheduledEvent, context);
      const instant = new Date(now);
      if (Number.isNaN(instant.getTime())) throw new LocalStackError(`runReview: "${now}" is not an instant`);
      const atThen = createReviewHandler({ ...review, now: () => instant.toISOString() });
      return atThen(scheduledEvent, context);
    },
  };
}
