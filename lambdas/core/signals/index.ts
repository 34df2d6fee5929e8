export { lexicon, lexiconVersion } from './lexicon';
export { detectorVersion, inProcessContentScorer, scoreContent } from './score';
export {
  type StrippedContent,
  type StrippedKind,
  sourceOffsetOf,
  stripQuotedAndSignature,
} from './strip-quoted';
export * from './types';
