import type { PhraseRule } from './lexicon';
import { type NormalisedText, normaliseForRules } from './normalise';
import type { SignalCategory } from './types';

/** A match before it is placed in the scored text: offsets are the scored text's. */
export interface RawEvidence {
  ruleId: string;
  category: SignalCategory;
  confidence: number;
  start: number;
  end: number;
}

export interface CompiledRule {
  rule: PhraseRule;
  regex: RegExp;
  unless?: RegExp;
}

const macroName = /\{([A-Z_]+)\}/g;

/** Expands `{NAME}` groups (they may use other groups); an unknown name is a data error. */
export function expandMacros(source: string, macros: Readonly<Record<string, string>>, depth = 0): string {
  if (depth > 8) throw new Error(`signals: macros nest too deeply in ${source.slice(0, 60)}`);
  return source.replace(macroName, (_, name: string) => {
    const body = macros[name];
    if (body === undefined) throw new Error(`signals: unknown macro {${name}}`);
    return expandMacros(body, macros, depth + 1);
  });
}

/** Collapses repeated letters in a pattern as the normaliser does in text (not after a backslash). */
const collapseRepeats = (source: string) => source.replace(/(?<!\\)([a-z])\1+/g, '$1');

function compileSource(source: string, macros: Readonly<Record<string, string>>): string {
  return collapseRepeats(expandMacros(source, macros));
}

export function compileRules(
  rules: readonly PhraseRule[],
  macros: Readonly<Record<string, string>>,
): CompiledRule[] {
  return rules.map((rule) => {
    const body = compileSource(rule.pattern, macros);
    // Whole words only: a rule never starts or ends inside a word.
    const regex = new RegExp(`(?<![a-z0-9'])(?:${body})(?![a-z0-9])`, 'g');
    const unless = rule.unless ? new RegExp(compileSource(rule.unless, macros)) : undefined;
    return unless ? { rule, regex, unless } : { rule, regex };
  });
}

const sentenceBreak = /[.!?;\n]/;
const negator =
  /^(?:not|never|no|nobody|nothing|dont|wont|cant|didnt|wouldnt|couldnt|isnt|doesnt|shouldnt|aint|nor)$|n't$/;
const clauseWord = /^(?:but|if|and|so|or|because|though|although|unless|until|when|then)$/;
const reportingVerb =
  /\b(?:said|says|saying|shouted|shouts|screamed|yelled|told|tells|telling|threatened|wrote|writes|texted|messaged|posted|sprayed|spray-painted|painted|called|warned|replied|went|keeps saying)\b/;

function sentenceAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && !sentenceBreak.test(text[from - 1]!)) from -= 1;
  let to = end;
  while (to < text.length && !sentenceBreak.test(text[to]!)) to += 1;
  return text.slice(from, to);
}

/** A negation among the three words before `start`, in the same clause. */
function isNegated(text: string, start: number): boolean {
  let from = start;
  while (from > 0 && !sentenceBreak.test(text[from - 1]!) && text[from - 1] !== ',') from -= 1;
  const words = text
    .slice(from, start)
    .split(/[^a-z']+/)
    .filter(Boolean)
    .slice(-3)
    .reverse();
  for (const word of words) {
    if (clauseWord.test(word)) return false;
    if (negator.test(word)) return true;
  }
  return false;
}

/** Inside double quotes opened after a reporting verb: someone else's words, reported. */
function isReported(text: string, start: number): boolean {
  const window = text.slice(Math.max(0, start - 300), start);
  const quotes = [...window.matchAll(/"/g)];
  if (quotes.length % 2 === 0) return false;
  const opening = quotes.at(-1)!.index;
  return reportingVerb.test(window.slice(Math.max(0, opening - 80), opening));
}

function applies(compiled: CompiledRule, text: string, start: number, end: number): boolean {
  const { rule, unless } = compiled;
  if (unless?.test(sentenceAround(text, start, end))) return false;
  if (rule.negatable && isNegated(text, start)) return false;
  if ((rule.cancelledWhenReported ?? true) && isReported(text, start)) return false;
  return true;
}

/** Every match of every rule in `scored`, with offsets in `scored`. */
export function matchPhrases(scored: string, rules: readonly CompiledRule[]): RawEvidence[] {
  const normalised: NormalisedText = normaliseForRules(scored);
  const { text } = normalised;
  const found: RawEvidence[] = [];
  for (const compiled of rules) {
    for (const m of text.matchAll(compiled.regex)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start || !applies(compiled, text, start, end)) continue;
      found.push({
        ruleId: compiled.rule.id,
        category: compiled.rule.category,
        confidence: compiled.rule.confidence,
        start: normalised.from[start]!,
        end: normalised.to[end - 1]!,
      });
    }
  }
  return found;
}
