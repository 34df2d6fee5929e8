export { comprehendToxicLabelCategories } from './comprehend-labels';
export {
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
