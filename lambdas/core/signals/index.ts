export { comprehendToxicLabelCategories } from './comprehend-labels';
export {
  contentSignalsOf,
  lineAndColumnOf,
  notScoredProblem,
  renderSignalLines,
  type ScoredContent,
  ScoringTimeoutError,
  scoredTextOf,
} from './contact-signals';
export {
  abusiveCategories,
  needsSafeguarding,
  type RecordableSignals,
  recordableSignals,
  type SignalEventDetail,
  safeguardingCategories,
  signalEventDetailOf,
  signalEventDetailSchema,
} from './event-detail';
export { lexicon, lexiconVersion } from './lexicon';
export { detectorVersion, inProcessContentScorer, scoreContent, warmUpDetector } from './score';
export {
  type StrippedContent,
  type StrippedKind,
  sourceOffsetOf,
  stripQuotedAndSignature,
} from './strip-quoted';
export * from './types';
