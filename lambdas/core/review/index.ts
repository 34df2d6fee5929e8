/**
 * The daily review (10.1, 10.2): which restrictions in the register are due for review soon, overdue,
 * or have ended (stages.ts); one event per restriction and stage, and one digest a day for the managers
 * (digest.ts), sent by the daily job (run-review.ts). It only reports: restrictions end by themselves at
 * `endsAt` (P5), and reviewing, extending or lifting one is a person's decision (P2).
 */
export { londonDaysBetween } from '../london-day';
export { composeReviewDigest, type DigestEntry, type ReviewDigest } from './digest';
export {
  type DigestOutcome,
  type ReviewDeps,
  ReviewIncompleteError,
  type ReviewLedger,
  type ReviewLog,
  type ReviewRegister,
  type ReviewSummary,
  runReview,
} from './run-review';
export {
  classifyForReview,
  dueSoonFrom,
  endedReportDays,
  type ReviewItem,
  type ReviewRestriction,
  type ReviewStage,
  reviewDueEvent,
  reviewNoticeDays,
  reviewStageOf,
} from './stages';
