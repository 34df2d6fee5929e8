/**
 * The letters before a restriction (7.2.1, 7.2.2, 5.9): what they are (step-letter.ts), what they
 * say (compose-step-letter.ts), and drafting, editing and sending them (use-cases.ts).
 */
export { defaultDraft, kindFor, type LetterSource, stepLetterOf } from './compose-step-letter';
export type { StepLetterStore } from './ports';
export {
  draftStepLetterSchema,
  editStepLetterSchema,
  type StepLetter,
  type StepLetterKind,
  type StepLetterStatus,
  type StepLetterSummary,
  sendStepLetterSchema,
  stepLetterKinds,
  stepLetterRules,
} from './step-letter';
export {
  draftStepLetter,
  editStepLetter,
  listStepLetters,
  readStepLetter,
  type StepLetterDeps,
  sendStepLetter,
  stepLetterDocument,
  stepLetterLinks,
  summaryOfStepLetter,
} from './use-cases';
