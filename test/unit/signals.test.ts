import { describe, expect, it } from 'vitest';
import {
  type ContentSignals,
  detectorVersion,
  inProcessContentScorer,
  lexiconVersion,
  needsSafeguarding,
  recordableSignals,
  type SignalCategory,
  scoreContent,
  signalEventDetailOf,
  signalEventDetailSchema,
} from '../../lambdas/core/signals';

const categoriesOf = (text: string, options = {}) => scoreContent(text, options).flags.map((f) => f.category);
const flagOf = (signals: ContentSignals, category: SignalCategory) =>
  signals.flags.find((f) => f.category === category);

describe('scoreContent: idiom and rudeness are not threats', () => {
  it.each([
    'I could kill for a cup of tea',
    'this is killing me',
    "I'm dying to know",
    'the queue was murder',
    "I'll kill the engine",
    "I'll shoot you an email with the photos",
    'I nearly killed myself laughing at the reply',
    'My husband will kill me if this bill is not sorted',
  ])('%s → no flag', (text) => {
    expect(categoriesOf(text)).toEqual([]);
  });

  it('flags "bloody useless service" as nothing: bloody is mild, below the default threshold (5.1)', () => {
    expect(categoriesOf('bloody useless service')).toEqual([]);
    expect(categoriesOf('bloody useless service', { minimumConfidence: 0.3 })).toEqual(['offensive']);
  });

  it('flags a foul but legitimate complaint as offensive only', () => {
    expect(categoriesOf('This is fucking ridiculous, my bins have not been emptied in three weeks.')).toEqual(
      ['offensive'],
    );
  });
});

describe('scoreContent: threats, intimidation and self-harm', () => {
  it.each([
    ['I know where you live', 'intimidation'],
    ["you'll regret this", 'intimidation'],
    ['watch your back', 'intimidation'],
    ["I'll be waiting outside", 'intimidation'],
    ['I will hurt you', 'threat'],
    ["I'm going to burn the building down", 'threat'],
    ['burn the building down', 'threat'],
  ] as const)('%s → %s', (text, category) => {
    expect(categoriesOf(text)).toContain(category);
  });

  it.each([
    'I want to end it all',
    "I can't go on",
    "I'm going to kill myself",
    'no reason to live',
    "I've taken pills",
  ])('%s → self-harm', (text) => {
    expect(categoriesOf(text)).toEqual(['self-harm']);
  });

  it('reads typos and digits for letters', () => {
    expect(categoriesOf("1'll k1ll y0u")).toEqual(['threat']);
    expect(categoriesOf('i no were u live')).toEqual(['intimidation']);
    expect(categoriesOf('im gonna kill myslef')).toEqual(['self-harm']);
    expect(categoriesOf('sh1t service')).toEqual(['offensive']);
  });

  it('keeps a negated statement out: "I\'m not going to kill myself"', () => {
    expect(categoriesOf("I'm not going to kill myself over a parking ticket.")).toEqual([]);
    expect(categoriesOf("I'm not suicidal, just tired.")).toEqual([]);
  });

  it("does not take a reported threat for the writer's own", () => {
    expect(categoriesOf('My neighbour shouted "I\'ll kill you" at my daughter.')).toEqual([]);
    expect(categoriesOf('"I\'ll kill you." That is all I have to say.')).toEqual(['threat']);
  });

  it('gives way to lawful escalation: "you will regret this when the Ombudsman finds against you"', () => {
    expect(categoriesOf('You will regret this when the Ombudsman finds against you.')).toEqual([]);
    expect(categoriesOf('Someone will get hurt on that broken railing.')).toEqual([]);
  });

  it('knows British place names and usage: Penistone, fag ends, kitchen-cum-diner, Scunthorpe', () => {
    const text =
      'Fag ends outside the kitchen-cum-diner on Penistone Road, Scunthorpe; the flame retardant is peeling.';
    expect(categoriesOf(text)).toEqual([]);
  });
});

describe('scoreContent: what a flag carries', () => {
  it('gives category, confidence, clauses, the evidence and where it is, and the detector version', () => {
    const text = 'Dear Council,\nI know where you live and I will hurt you.';
    const signals = scoreContent(text);
    expect(signals.detectorVersion).toBe(`in-process/${lexiconVersion}`);
    const threat = flagOf(signals, 'threat')!;
    expect(threat.confidence).toBeGreaterThan(0.5);
    expect(threat.confidence).toBeLessThanOrEqual(1);
    expect(threat.clauses).toEqual(['3.2.3', '3.3', '6.1']);
    expect(threat.detectorVersion).toBe(detectorVersion);
    const [evidence] = threat.evidence;
    expect(evidence!.phrase).toBe('I will hurt you');
    expect(text.slice(evidence!.sourceStart, evidence!.sourceEnd)).toBe('I will hurt you');
    expect(evidence!.ruleId).toBe('threat.violence-to-person');
    expect(flagOf(signals, 'intimidation')!.clauses).toEqual(['3.2.8', '3.1']);
  });

  it('points evidence at the words as written, typos and all', () => {
    const signals = scoreContent('oh and KILLLL YOUUU');
    expect(flagOf(signals, 'threat')).toBeUndefined();
    const typed = scoreContent('i wil killll youuu');
    expect(flagOf(typed, 'threat')!.evidence[0]!.phrase).toBe('i wil killll youuu');
  });

  it('keeps offsets right after emoji, ligatures and accented letters', () => {
    const text = 'ﬁne, Ünïcödé 🙂🙂 — I know where you live';
    const [evidence] = flagOf(scoreContent(text), 'intimidation')!.evidence;
    expect(text.slice(evidence!.sourceStart, evidence!.sourceEnd)).toBe('I know where you live');
  });

  it('is surer with more evidence, and keeps at most maxEvidence pieces', () => {
    const one = flagOf(scoreContent('fuck this'), 'offensive')!;
    const many = flagOf(
      scoreContent('fuck this shit, you twat, you wanker', { maxEvidence: 2 }),
      'offensive',
    )!;
    expect(many.confidence).toBeGreaterThan(one.confidence);
    expect(many.evidence).toHaveLength(2);
  });

  it("does not score the council's own words quoted back, unless told not to strip them", () => {
    const reply =
      "Thank you, I apologise.\n\nOn Tue, 4 Jun 2024 at 09:12, Housing <housing@council.example> wrote:\n> I'll fucking kill the lot of you";
    const signals = scoreContent(reply);
    expect(signals.flags).toEqual([]);
    expect(signals.strippedChars).toBeGreaterThan(0);
    expect(categoriesOf(reply, { stripQuoted: false })).toEqual(['offensive', 'threat']);
  });

  it('scores through the ContentScorer port as it does directly', async () => {
    const text = "I'll be waiting outside when you finish work.";
    await expect(inProcessContentScorer().score(text)).resolves.toEqual(scoreContent(text));
  });
});

describe("the events' detail and the record: never the text (P7)", () => {
  it('maps flags to categories and confidence only', () => {
    const text = 'I want to end it all, you bastards.';
    const detail = signalEventDetailOf(scoreContent(text))!;
    expect(detail.categories).toEqual(['offensive', 'self-harm']);
    expect(Object.keys(detail.confidence).sort()).toEqual(['offensive', 'self-harm']);
    expect(signalEventDetailSchema.parse(detail)).toEqual(detail);
    expect(JSON.stringify(detail)).not.toMatch(/end it|bastard/i);
  });

  it('has no detail when nothing is flagged, and asks for safeguarding on threat or self-harm only', () => {
    expect(signalEventDetailOf(scoreContent('When is my bin collected?'))).toBeUndefined();
    expect(needsSafeguarding(scoreContent('You useless twats.'))).toBe(false);
    expect(needsSafeguarding(scoreContent('I will kill you.'))).toBe(true);
    expect(needsSafeguarding(scoreContent("I've taken an overdose."))).toBe(true);
  });

  it('records flags, rules and offsets without the phrases', () => {
    const record = recordableSignals(scoreContent('Watch your back, you prick.'));
    expect(record.flags.map((f) => f.category)).toEqual(['offensive', 'intimidation']);
    expect(JSON.stringify(record)).not.toMatch(/watch your back|prick/i);
    expect(record.flags[0]!.evidence[0]!.ruleId).toBe('offensive.moderate-word');
    expect(record.flags[1]!.evidence[0]).toEqual({
      ruleId: 'intimidation.watch-your-back',
      sourceStart: 0,
      sourceEnd: 'Watch your back'.length,
    });
  });
});
