import type { ReviewSummary } from '../lambdas/core/review';
import { LocalStackError } from './settings';

/** The daily review runs this long after the start, then every REVIEW_INTERVAL_MINUTES (default a day). */
const REVIEW_FIRST_RUN_MS = 5_000;
const REVIEW_DEFAULT_INTERVAL_MINUTES = 24 * 60;

/** REVIEW_INTERVAL_MINUTES: how often the local stack runs the daily review; 0 turns the timer off. */
export function readReviewInterval(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return REVIEW_DEFAULT_INTERVAL_MINUTES;
  if (!/^\d+$/.test(value.trim())) {
    throw new LocalStackError(
      `REVIEW_INTERVAL_MINUTES must be a whole number of minutes (0 turns it off), not "${value}".`,
    );
  }
  return Number(value.trim());
}

/** One line per run: counts only, never names (P7). */
export function describeReview(summary: ReviewSummary): string {
  const { stages } = summary;
  return [
    `${stages.overdue} overdue, ${stages['due-soon']} due soon, ${stages.ended} ended`,
    `${summary.eventsPublished} event(s) published`,
    `digest ${summary.digest}`,
    `${summary.contactsRemoved ?? 'no'} contact record(s) removed`,
  ].join('; ');
}

/**
 * The daily review (10.1) and retention (P7): EventBridge Scheduler runs it at 07:00 in AWS; here
 * shortly after the start and then every `intervalMinutes` (0: never by itself). A run never overlaps
 * the previous one; `close()` stops the timer and waits for the run under way, so that it finishes
 * with the emulators still up.
 */
export function startReviewTimer(options: {
  intervalMinutes: number;
  run: () => Promise<ReviewSummary>;
  log: (line: string) => void;
}): { close(): Promise<void> } {
  const { intervalMinutes, run, log } = options;
  let running: Promise<unknown> | undefined;
  const scheduled = () => {
    if (running) return; // the previous run is still going
    running = run()
      .then((summary) => log(`Review: ${describeReview(summary)}.`))
      .catch((error: unknown) => {
        const summary = (error as { summary?: ReviewSummary } | undefined)?.summary;
        const why = error instanceof Error ? error.name : 'error';
        log(
          `Review did not finish (${why})${summary ? `: ${describeReview(summary)}` : ''}; it runs again next time.`,
        );
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timers: NodeJS.Timeout[] = [];
  if (intervalMinutes > 0) {
    timers.push(setTimeout(scheduled, REVIEW_FIRST_RUN_MS).unref());
    timers.push(setInterval(scheduled, intervalMinutes * 60_000).unref());
  }
  return {
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await running;
    },
  };
}
