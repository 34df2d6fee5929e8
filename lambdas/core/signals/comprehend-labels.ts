import type { SignalCategory } from './types';

/**
 * How Amazon Comprehend DetectToxicContent's labels map to these categories, for an adapter
 * behind the ContentScorer port (off by default; the in-process detector is the default). It has
 * no self-harm label: the in-process detector keeps scoring self-harm (3.2.5) beside it.
 */
export const comprehendToxicLabelCategories: Readonly<Record<string, SignalCategory | undefined>> = {
  PROFANITY: 'offensive',
  HATE_SPEECH: 'offensive',
  INSULT: 'offensive',
  SEXUAL: 'offensive',
  GRAPHIC: undefined,
  HARASSMENT_OR_ABUSE: 'intimidation',
  VIOLENCE_OR_THREAT: 'threat',
};
