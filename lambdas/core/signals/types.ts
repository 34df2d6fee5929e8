/**
 * Content signals: what a contact's own words suggest a person should look at. A signal never
 * changes the route and never restricts anyone (P2); people judge it (5.8, 5.9, 6.1).
 */

/** The four signals, and the clauses each one puts into practice. */
export const signalCategories = ['offensive', 'threat', 'self-harm', 'intimidation'] as const;
export type SignalCategory = (typeof signalCategories)[number];

export const categoryClauses: Record<SignalCategory, readonly string[]> = {
  // 3.1: foul, offensive and hateful language; 3.2.1–3.2.4 by any channel; 5.8 a manager reviews.
  offensive: ['3.1', '3.2.1', '3.2.2', '3.2.3', '3.2.4', '5.8'],
  // 3.2.3 threatening correspondence; 3.3 any actual or perceived threat is for the police; 6.1.
  threat: ['3.2.3', '3.3', '6.1'],
  // 3.2.5 threatening to harm yourself: a safeguarding matter.
  'self-harm': ['3.2.5'],
  // 3.2.8 intimidating communication; 3.1 intimidating officers is abusive.
  intimidation: ['3.2.8', '3.1'],
};

/** Where a flag was found: the phrase and its place in the scored text and in the original. */
export interface SignalEvidence {
  /** The rule or lexicon entry that matched (stable across versions where the meaning is). */
  ruleId: string;
  /** The matched words as they stand in the scored text (`scored.slice(start, end)`). */
  phrase: string;
  /** Offsets in the scored text (the customer's own words after quotes and signatures are stripped). */
  start: number;
  end: number;
  /** Offsets of the same words in the text as received. */
  sourceStart: number;
  sourceEnd: number;
  confidence: number;
}

export interface ContentFlag {
  category: SignalCategory;
  /** 0–1: how sure the detector is that a person should look (not how serious the matter is). */
  confidence: number;
  clauses: readonly string[];
  /** The strongest evidence first; at most `maxEvidence` entries. */
  evidence: SignalEvidence[];
  detectorVersion: string;
}

export interface ContentSignals {
  detectorVersion: string;
  /** One flag per category found, in the order of `signalCategories`. */
  flags: ContentFlag[];
  /** Characters scored, and characters removed as quoted history, forwarded mail or signature. */
  scoredChars: number;
  strippedChars: number;
}

export interface ScoreOptions {
  /** Flags below this confidence are left out (default 0.5). Evidence below it is dropped too. */
  minimumConfidence?: number;
  /** Strip quoted replies, forwarded mail and signatures before scoring (default true). */
  stripQuoted?: boolean;
  /** The most evidence kept per flag (default 5). */
  maxEvidence?: number;
}

/**
 * The port a use case scores through: the in-process detector by default; a managed model
 * (e.g. Amazon Comprehend DetectToxicContent) may sit behind it in AWS, mapped to these categories.
 */
export interface ContentScorer {
  score(text: string): Promise<ContentSignals>;
}
