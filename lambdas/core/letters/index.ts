/**
 * Informing letters (8.1, 10.1): what a letter says (compose.ts, and restriction-wording.ts for what each
 * restriction means), how it says dates (dates-in-words.ts) and how it is printed (render-html.ts,
 * render-text.ts; PDF in lambdas/adapters/pdf/letter-pdf.ts).
 */
export { dateInWords } from '../london-day';
export { composeLetter } from './compose';
export { clockInWords, endInWords, periodInWords, startInWords } from './dates-in-words';
export {
  type Letter,
  type LetterInput,
  type LetterKind,
  type LetterSection,
  letterInputSchema,
  letterKinds,
  ombudsman,
} from './letter';
export { renderLetterHtml } from './render-html';
export { letterText } from './render-text';
export { postcodeForPrint } from './wording';
