import type { AuditEntry } from '../ports';
import type { StepLetter, StepLetterSummary } from './step-letter';

/**
 * Where the letters before a restriction are kept (adapters/dynamodb/step-letter-store.ts). A draft is
 * saved only over the revision it was read at and only while it is a draft; a sent letter is never
 * written again (12.1).
 */
export interface StepLetterStore {
  /** Stores a new draft with its audit entry. */
  create(letter: StepLetter, audit: AuditEntry): Promise<void>;
  load(letterId: string, options?: { content?: boolean }): Promise<StepLetter | undefined>;
  /**
   * Saves a changed draft (or the letter as sent): only if it is still a draft at `expectedRevision`.
   * ConflictError otherwise: sent already, or changed by someone else meanwhile.
   */
  save(letter: StepLetter, expectedRevision: number, audit: AuditEntry): Promise<void>;
  /** A customer's letters before a restriction, oldest first; with their HTML, text and PDF when asked. */
  listOfCustomer(
    customerId: string,
    options?: { content?: boolean },
  ): Promise<StepLetter[] | StepLetterSummary[]>;
}
