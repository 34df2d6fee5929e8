import type { ComprehendClient } from '@aws-sdk/client-comprehend';
import {
  type ContentFlag,
  type ContentScorer,
  type ContentSignals,
  categoryClauses,
  comprehendToxicLabelCategories,
  type SignalCategory,
  type SignalEvidence,
  scoreContent,
  signalCategories,
  sourceOffsetOf,
  stripQuotedAndSignature,
} from '../../core/signals';
import { awsClientOptions, guardClient, standardDeadlines } from '../aws-client-options';
import { tracer } from '../observability';

/**
 * Amazon Comprehend DetectToxicContent behind the ContentScorer port (CONTENT_SCORER=comprehend;
 * off by default). The in-process detector always runs too: Comprehend has no self-harm label
 * (3.2.5), and its labels (comprehendToxicLabelCategories) add to ours, never replace them. The
 * SDK client is imported on first use, so a function that never scores this way never loads it.
 */

/** DetectToxicContent takes at most 10 segments of at most 1 KB (UTF-8) each. */
const maxSegments = 10;
const maxSegmentBytes = 1_000;
/** A label at or above this score is a flag (Comprehend's scores are 0–1). */
const defaultMinimumScore = 0.7;

export interface ComprehendScorerSettings {
  region: string;
  minimumScore?: number;
}

/** The one client per process, made on first use (lazily, so other bundles and cold starts stay small). */
let client:
  | Promise<{ client: ComprehendClient; command: typeof import('@aws-sdk/client-comprehend') }>
  | undefined;

function comprehendOnce(region: string) {
  client ??= import('@aws-sdk/client-comprehend').then((sdk) => ({
    client: tracer.captureAWSv3Client(
      guardClient(
        new sdk.ComprehendClient(awsClientOptions(region, undefined)),
        'comprehend',
        standardDeadlines,
      ),
    ),
    command: sdk,
  }));
  return client;
}

/** Splits `text` at whitespace into pieces of at most `maxBytes` UTF-8 bytes, with their offsets. */
export function segmentsOf(text: string, maxBytes = maxSegmentBytes, limit = maxSegments) {
  const segments: { text: string; start: number }[] = [];
  let start = 0;
  while (start < text.length && segments.length < limit) {
    let end = Math.min(text.length, start + maxBytes);
    while (Buffer.byteLength(text.slice(start, end)) > maxBytes) end--;
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start + maxBytes / 2) end = space;
    }
    const piece = text.slice(start, end);
    if (piece.trim()) segments.push({ text: piece, start });
    start = end;
  }
  return segments;
}

/** What DetectToxicContent answers, per segment (the SDK's shape, narrowed to what is read). */
export interface ToxicSegmentResult {
  Labels?: { Name?: string; Score?: number }[];
}

/** Adds Comprehend's labels, per segment, to the in-process signals (one flag per category). */
export function mergeComprehendLabels(
  signals: ContentSignals,
  results: readonly ToxicSegmentResult[],
  segments: readonly { text: string; start: number }[],
  stripped: ReturnType<typeof stripQuotedAndSignature>,
  minimumScore = defaultMinimumScore,
): ContentSignals {
  const version = `${signals.detectorVersion}+comprehend/detect-toxic-content`;
  const found = new Map<SignalCategory, SignalEvidence[]>();
  results.forEach((result, i) => {
    const segment = segments[i];
    if (!segment) return;
    for (const label of result.Labels ?? []) {
      const category = label.Name ? comprehendToxicLabelCategories[label.Name] : undefined;
      const score = label.Score ?? 0;
      if (!category || score < minimumScore) continue;
      const end = segment.start + segment.text.length;
      const evidence: SignalEvidence = {
        ruleId: `comprehend:${label.Name}`,
        phrase: segment.text,
        start: segment.start,
        end,
        sourceStart: sourceOffsetOf(stripped, segment.start),
        sourceEnd: sourceOffsetOf(stripped, end),
        confidence: Math.round(score * 100) / 100,
      };
      found.set(category, [...(found.get(category) ?? []), evidence]);
    }
  });
  const flags: ContentFlag[] = [];
  for (const category of signalCategories) {
    const ours = signals.flags.find((f) => f.category === category);
    const theirs = (found.get(category) ?? []).sort((a, b) => b.confidence - a.confidence);
    if (!ours && theirs.length === 0) continue;
    const confidence = Math.max(ours?.confidence ?? 0, theirs[0]?.confidence ?? 0);
    flags.push({
      category,
      confidence: Math.min(0.99, confidence),
      clauses: categoryClauses[category],
      evidence: [...(ours?.evidence ?? []), ...theirs].slice(0, 5),
      detectorVersion: version,
    });
  }
  return { ...signals, detectorVersion: version, flags };
}

/**
 * The Comprehend scorer. If Comprehend fails, the error is thrown: the use case fails open
 * (contentSignalsOf), and `fallBackToInProcess` (the default) scores in-process instead, so a
 * Comprehend outage never leaves a threat unflagged that the in-process detector would catch.
 */
export function comprehendContentScorer(
  settings: ComprehendScorerSettings,
  options: { fallBackToInProcess?: boolean; onFailure?: (error: unknown) => void } = {},
): ContentScorer {
  return {
    async score(text) {
      const signals = scoreContent(text);
      const stripped = stripQuotedAndSignature(text);
      const segments = segmentsOf(stripped.text);
      if (segments.length === 0) return signals;
      try {
        const { client: comprehend, command } = await comprehendOnce(settings.region);
        const output = await comprehend.send(
          new command.DetectToxicContentCommand({
            LanguageCode: 'en',
            TextSegments: segments.map((segment) => ({ Text: segment.text })),
          }),
        );
        return mergeComprehendLabels(
          signals,
          output.ResultList ?? [],
          segments,
          stripped,
          settings.minimumScore,
        );
      } catch (error) {
        if (options.fallBackToInProcess === false) throw error;
        options.onFailure?.(error);
        return signals;
      }
    },
  };
}
