import { describe, expect, it } from 'vitest';
import { notScreenedOutcome, renderSummary, type ScreenedContact } from '../../lambdas/core/contact';
import { detailTypes, type PublishedEvent } from '../../lambdas/core/events';
import { contentConcernEventsOf, publishContentConcerns } from '../../lambdas/core/signal-events';
import {
  type ContentScorer,
  contentSignalsOf,
  lineAndColumnOf,
  scoreContent,
  scoredTextOf,
} from '../../lambdas/core/signals';

const threat = scoredTextOf('Repairs', 'Fix it or I will burn your office down.');
const contact = {
  reference: 'CS-AAAA-BBBB-CC',
  customerIds: ['cus_A'],
  channel: 'email' as const,
  receivedAt: '2026-06-01T10:00:00.000Z',
};

describe('contentSignalsOf (fails open, P1)', () => {
  it('gives the signals of the in-process scorer', async () => {
    const scored = await contentSignalsOf(threat, { score: async (text) => scoreContent(text) });
    expect(scored.problem).toBeUndefined();
    expect(scored.signals?.flags.map((f) => f.category)).toEqual(['threat']);
  });

  it('gives no flags and a problem when the scorer rejects or throws, and reports it by name only', async () => {
    const heard: string[] = [];
    const onHandledFailure = (what: string) => heard.push(what);
    const rejecting: ContentScorer = { score: () => Promise.reject(new Error('down')) };
    const throwing: ContentScorer = {
      score: () => {
        throw new Error('sync');
      },
    };
    for (const scorer of [rejecting, throwing]) {
      const scored = await contentSignalsOf(threat, scorer, { onHandledFailure });
      expect(scored.signals).toBeUndefined();
      expect(scored.problem).toMatch(/could not be checked .*\(the check failed\).*3\.2\.5/);
    }
    expect(heard).toEqual(['score content', 'score content']);
  });

  it('gives up on a scorer slower than its timeout', async () => {
    const never: ContentScorer = { score: () => new Promise(() => undefined) };
    const started = Date.now();
    const scored = await contentSignalsOf(threat, never, { timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(scored).toEqual({ problem: expect.stringContaining('the check took too long') });
  });

  it('scores nothing, and says nothing, when there are no words', async () => {
    const scorer: ContentScorer = { score: () => Promise.reject(new Error('must not be called')) };
    expect(await contentSignalsOf('  \n ', scorer)).toEqual({});
  });
});

describe('scoredTextOf and positions', () => {
  it('puts the subject, a blank line, then the body; positions are line and column from 1', () => {
    expect(scoredTextOf(' Subject ', 'Body')).toBe('Subject\n\nBody');
    expect(scoredTextOf(undefined, 'Body')).toBe('Body');
    expect(scoredTextOf('Subject', '')).toBe('Subject');
    expect(lineAndColumnOf('ab\n\ncd', 5)).toEqual({ line: 3, column: 2 });
    expect(lineAndColumnOf('ab', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('the forward shows flags at the top (P3)', () => {
  const screened = (text: string): ScreenedContact => ({
    reference: contact.reference,
    channel: 'email',
    receivedAt: contact.receivedAt,
    outcome: notScreenedOutcome('service', ['customer.services@council.example'], {
      code: 'no-match',
      text: 'No customer in the register.',
    }),
    sender: { addresses: ['a@example.org'], verified: true },
    problems: [],
    acknowledgementSent: { kind: 'standard', sent: true },
    content: { signals: scoreContent(text), text },
  });

  it('lists category, clauses, confidence, the words and where they are, and the detector version, before the route', () => {
    const summary = renderSummary(screened(threat));
    const lines = summary.split('\n');
    expect(lines[2]).toMatch(/^CONTENT FLAGS/);
    expect(summary.indexOf('Threat of harm [3.2.3, 3.3, 6.1] — confidence')).toBeLessThan(
      summary.indexOf('Route:'),
    );
    expect(summary).toContain('“I will burn your office down” (line 3, characters 19–47)');
    expect(threat.slice(19, 47)).toBe('I will burn your office down');
    expect(summary).toContain('urgent safeguarding concern');
    expect(summary).toMatch(/Detector: in-process\/1\.\d+\.\d+/);
  });

  it('says nothing of flags when none were found', () => {
    expect(renderSummary(screened('I could kill for a cup of tea'))).not.toContain('CONTENT FLAGS');
  });
});

describe('the concerns a flagged contact raises (5.8, 3.2.5, 3.3)', () => {
  it('threat: SafeguardingConcernRaised first (urgent, with the steps), then AbusiveContentFlagged; ids and scores only', () => {
    const events = contentConcernEventsOf(contact, scoreContent(threat), 'Ring the duty team.');
    expect(events.map((e) => e.detailType)).toEqual([detailTypes.safeguarding, detailTypes.abusive]);
    expect(events[0]?.detail).toMatchObject({
      alertId: 'contact:CS-AAAA-BBBB-CC',
      reference: contact.reference,
      customerId: 'cus_A',
      categories: ['threat'],
      confidence: { threat: expect.any(Number) },
      urgent: true,
      source: 'content-signal',
      guidance: 'Ring the duty team.',
    });
    expect(events[1]?.detail).toMatchObject({ urgent: false, categories: ['threat'] });
    expect(events[1]?.detail).not.toHaveProperty('guidance');
    expect(JSON.stringify(events)).not.toMatch(/burn|office|Fix it/);
  });

  it('offensive only: AbusiveContentFlagged alone; self-harm only: the safeguarding concern alone', () => {
    const rude = contentConcernEventsOf(contact, scoreContent('You are fucking useless.'));
    expect(rude.map((e) => e.detailType)).toEqual([detailTypes.abusive]);
    const harm = contentConcernEventsOf(contact, scoreContent('If you evict me I will kill myself.'));
    expect(harm.map((e) => [e.detailType, e.detail.categories])).toEqual([
      [detailTypes.safeguarding, ['self-harm']],
    ]);
  });

  it('publishes each once per contact (P6); a claim store that is down still lets the urgent concern out', async () => {
    const published: PublishedEvent[] = [];
    const claimed = new Set<string>();
    const recorded: string[] = [];
    const deps = {
      alertClaims: {
        claim: async (key: string) => {
          if (claimed.has(key)) return false;
          claimed.add(key);
          return true;
        },
      },
      events: { publish: async (events: readonly PublishedEvent[]) => void published.push(...events) },
      eventLog: {
        recordEvent: async (_e: PublishedEvent, _at: string, status: string) => void recorded.push(status),
      },
      now: () => '2026-06-01T10:00:00.000Z',
      settings: { retentionDays: 730 },
    };
    const signals = scoreContent(threat);
    expect(await publishContentConcerns(contact, signals, deps)).toHaveLength(2);
    expect(await publishContentConcerns(contact, signals, deps)).toEqual([]);
    expect(published).toHaveLength(2);
    expect(recorded).toEqual(['published', 'published']);

    const down = { ...deps, alertClaims: { claim: () => Promise.reject(new Error('table down')) } };
    expect(await publishContentConcerns({ ...contact, reference: 'CS-ZZZZ-ZZZZ-ZZ' }, signals, down)).toEqual(
      [detailTypes.safeguarding, detailTypes.abusive],
    );
  });

  it('records a concern it could not publish, and never throws', async () => {
    const recorded: string[] = [];
    const heard: string[] = [];
    const result = await publishContentConcerns(contact, scoreContent(threat), {
      alertClaims: { claim: async () => true },
      events: { publish: () => Promise.reject(new Error('bus down')) },
      eventLog: { recordEvent: async (_e, _at, status) => void recorded.push(status) },
      now: () => '2026-06-01T10:00:00.000Z',
      settings: { retentionDays: 730 },
      onHandledFailure: (what) => heard.push(what),
    });
    expect(result).toEqual([]);
    expect(recorded).toEqual(['failed', 'failed']);
    expect(heard).toEqual([`publish ${detailTypes.safeguarding}`, `publish ${detailTypes.abusive}`]);
  });
});
