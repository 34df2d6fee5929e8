import { describe, expect, it } from 'vitest';
import type { Escalation } from '../../lambdas/core/escalation';
import { detailTypes } from '../../lambdas/core/events';
import {
  type Incident,
  incidentEvents,
  incidentIdForKey,
  incidentInputSchema,
  incidentKinds,
  incidentRules,
  incidentSubjectOf,
  suggestNextStep,
} from '../../lambdas/core/incidents';
import { incidentMessage } from '../../lambdas/core/notify/incident-message';
import { defaultDraft } from '../../lambdas/core/step-letters';

const policyClause = /^\d+(\.\d+)*$/;

const anIncident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 'inc_01J0000000000000000000000A',
  kind: 'call-terminated',
  severity: 'serious',
  clauses: ['5.3', '5.4.1', '5.4.2'],
  channel: 'telephone',
  at: '2026-06-01T09:30:00.000Z',
  what: 'Swore at Alex Example about 1 High Street',
  warningGiven: true,
  customerId: 'cus_1',
  subjects: ['cus_1'],
  recordedAt: '2026-06-01T09:35:00.000Z',
  recordedBy: 'Olive Officer',
  actor: 'Olive Officer (sub-1)',
  ...overrides,
});

describe('the incident kinds table', () => {
  it('has one rule per kind, each citing clauses, with channels and a suggested step', () => {
    expect(Object.keys(incidentRules).sort()).toEqual([...incidentKinds].sort());
    for (const kind of incidentKinds) {
      const rule = incidentRules[kind];
      expect(rule.kind).toBe(kind);
      expect(rule.clauses.length).toBeGreaterThan(0);
      for (const clause of rule.clauses) expect(clause).toMatch(policyClause);
      expect(rule.channels.length).toBeGreaterThan(0);
    }
  });

  it('threats of harm are urgent safeguarding matters; the others are serious and not', () => {
    const urgent = incidentKinds.filter((kind) => incidentRules[kind].severity === 'urgent');
    expect(urgent.sort()).toEqual(['threat-of-self-harm', 'threat-to-staff', 'violence']);
    for (const kind of incidentKinds) {
      expect(Boolean(incidentRules[kind].safeguarding), kind).toBe(urgent.includes(kind));
    }
    expect(incidentRules['threat-of-self-harm'].safeguarding).toEqual(['self-harm']);
    expect(incidentRules['threat-of-self-harm'].clauses).toEqual(['3.2.5']);
  });

  it('asks what each clause needs: a warning first for calls and meetings (5.4.1), the police for threats (3.3, 6.1)', () => {
    expect(incidentRules['call-terminated'].questions).toContain('warningGiven');
    expect(incidentRules['meeting-ended'].questions).toContain('warningGiven');
    for (const kind of ['threat-to-staff', 'violence'] as const) {
      expect(incidentRules[kind].questions).toEqual(
        expect.arrayContaining(['policeInformed', 'emergencyServices']),
      );
    }
    for (const kind of incidentKinds)
      expect(incidentRules[kind].questions).toContain('staffProtectionReferral');
  });

  it('abusive correspondence leads to the 5.9 letter', () => {
    expect(incidentRules['abusive-correspondence'].letter).toBe('tone-unacceptable');
    expect(incidentRules['abusive-correspondence'].clauses).toEqual(['5.8', '5.9']);
  });
});

describe('the incident input', () => {
  const base = { kind: 'call-terminated', channel: 'telephone', what: 'x', recordedBy: 'O' };
  const fields = (input: unknown) => {
    const result = incidentInputSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };

  it('needs the customer or a caller who can be recognised, not both', () => {
    expect(fields({ ...base, customerId: 'cus_1' })).toEqual([]);
    expect(fields({ ...base, caller: { phone: '07700 900123' } })).toEqual([]);
    expect(fields({ ...base, caller: { name: 'Sam', postcode: 'AL10 0ZZ' } })).toEqual([]);
    expect(fields(base)).toEqual(['customerId']);
    expect(fields({ ...base, caller: { name: 'Sam' } })).toEqual(['caller']);
    expect(fields({ ...base, caller: { phone: 'not a number' } })).toEqual(['caller']);
    expect(fields({ ...base, customerId: 'cus_1', caller: { phone: '07700 900123' } })).toEqual(['caller']);
  });

  it('refuses a channel the kind cannot come by', () => {
    expect(fields({ ...base, customerId: 'cus_1', channel: 'email' })).toEqual(['channel']);
    expect(
      fields({ ...base, customerId: 'cus_1', kind: 'abusive-correspondence', channel: 'telephone' }),
    ).toEqual(['channel']);
  });
});

describe('what an incident sets going', () => {
  it('IncidentRecorded carries ids, kind, severity and yes-or-no answers, never the words', () => {
    const events = incidentEvents(anIncident());
    expect(events).toEqual([
      {
        detailType: detailTypes.incident,
        detail: {
          incidentId: 'inc_01J0000000000000000000000A',
          kind: 'call-terminated',
          severity: 'serious',
          clauses: ['5.3', '5.4.1', '5.4.2'],
          channel: 'telephone',
          at: '2026-06-01T09:30:00.000Z',
          customerId: 'cus_1',
          warningGiven: true,
        },
        resources: ['inc_01J0000000000000000000000A', 'cus_1'],
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Alex|High Street|Swore|Olive/);
  });

  it('a threat also raises SafeguardingConcernRaised, urgent, in the shape the content signals share', () => {
    const events = incidentEvents(
      anIncident({
        kind: 'violence',
        severity: 'urgent',
        clauses: ['3.3', '6.1', '6.2'],
        channel: 'in-person',
        policeInformed: true,
      }),
    );
    expect(events.map((e) => e.detailType)).toEqual([detailTypes.incident, detailTypes.safeguarding]);
    expect(events[1]?.detail).toEqual({
      incidentId: 'inc_01J0000000000000000000000A',
      customerId: 'cus_1',
      categories: ['threat'],
      urgent: true,
      source: 'incident',
      clauses: ['3.3', '6.1', '6.2'],
    });
  });

  it('an unknown person is filed by hashed identities: no customer id, no address in any key', () => {
    const subject = incidentSubjectOf({ kind: 'phone', value: '+447700900123' });
    expect(subject).toMatch(/^idn_[0-9a-f]{24}$/);
    expect(subject).not.toBe(incidentSubjectOf({ kind: 'email', value: '+447700900123' }));
    const { customerId: _c, ...unknown } = anIncident();
    expect(incidentEvents({ ...unknown, subjects: [subject] })[0]?.detail).not.toHaveProperty('customerId');
  });

  it('the same Idempotency-Key gives the same incident id; another key another', () => {
    expect(incidentIdForKey('k-1')).toBe(incidentIdForKey('k-1'));
    expect(incidentIdForKey('k-1')).not.toBe(incidentIdForKey('k-2'));
    expect(incidentIdForKey('k-1')).toMatch(/^inc_[0-9a-f]{26}$/);
  });

  it("the managers' email says what to consider and where the note is, without the words", () => {
    const [event] = incidentEvents(anIncident());
    const message = incidentMessage(event?.detail as never, { name: 'Pat Example', customerId: 'cus_1' });
    expect(message.subject).toBe('Call terminated recorded (5.3, 5.4.1, 5.4.2): Pat Example');
    expect(message.text).toContain('/staff/incidents/inc_01J0000000000000000000000A');
    expect(message.text).toContain('(5.4.1): yes');
    expect(message.text).not.toContain('Swore');
    const urgent = incidentMessage(
      incidentEvents(anIncident({ kind: 'threat-to-staff', severity: 'urgent', channel: 'in-person' }))[0]
        ?.detail as never,
      undefined,
    );
    expect(urgent.subject.startsWith('Urgent: Threat to staff')).toBe(true);
  });
});

describe('the next step the console suggests (P2: a suggestion only)', () => {
  const at = (stage: Escalation['stage']): Escalation => ({ stage, history: [] });

  it('goes forward from where the customer stands, never back', () => {
    expect(suggestNextStep(anIncident(), at('none'))).toMatchObject({
      next: 'warning-given',
      clause: '7.2.1',
    });
    expect(suggestNextStep(anIncident(), at('warning-given'))).toMatchObject({
      next: 'written-notice',
      clause: '7.2.2',
    });
    expect(suggestNextStep(anIncident({ kind: 'threat-of-self-harm' }), at('none'))).toMatchObject({
      next: 'concern-raised',
    });
    expect(suggestNextStep(anIncident({ kind: 'violence' }), at('concern-raised'))).toMatchObject({
      next: 'written-notice',
    });
  });

  it('after a written notice or under restrictions, suggests considering a restriction (7.3)', () => {
    expect(suggestNextStep(anIncident(), at('written-notice')).next).toBe('consider-restriction');
    expect(suggestNextStep(anIncident(), at('restricted')).next).toBe('consider-restriction');
  });

  it('for a person not in the register, suggests registering them', () => {
    const { customerId: _c, ...unknown } = anIncident();
    expect(suggestNextStep(unknown, undefined).next).toBe('register-customer');
  });
});

describe('the first drafts of the letters before a restriction', () => {
  const incident = {
    incident: {
      id: 'inc_1',
      kind: 'abusive-correspondence',
      at: '2026-06-01T09:30:00.000Z',
      channel: 'email',
    },
  } as const;

  it('cite their clause and never carry what the incident note says', () => {
    for (const kind of ['request-to-moderate', 'procedures', 'tone-unacceptable'] as const) {
      const draft = defaultDraft(kind, incident, 'Example Borough Council');
      const words = draft.paragraphs.join(' ');
      expect(words).toContain(
        { 'request-to-moderate': '7.2.1', procedures: '7.2.2', 'tone-unacceptable': '5.9' }[kind],
      );
      expect(draft.subject.length).toBeGreaterThan(0);
    }
    expect(defaultDraft('tone-unacceptable', incident, 'Example Borough Council').paragraphs[0]).toBe(
      'We have received your email of 1 June 2026, and a service manager has reviewed it.',
    );
  });
});

describe('recording an incident exactly once (P6)', () => {
  /** An in-memory store and register: the unit is the use case's order of steps. */
  function fakes(customerIds: string[] = ['cus_1']) {
    const records = new Map<string, Incident>();
    const filed: string[] = [];
    const published: string[] = [];
    let failPublish = 0;
    const deps = {
      incidents: {
        create: async (incident: Incident) => {
          if (records.has(incident.id)) return false;
          records.set(incident.id, structuredClone(incident));
          return true;
        },
        load: async (id: string) => structuredClone(records.get(id)),
        file: async (incident: Incident) => void filed.push(incident.id),
        markPublished: async (id: string, at: string) => {
          const record = records.get(id);
          if (record) record.publishedAt = at;
        },
        listOfCustomer: async () => [],
      },
      register: {
        loadCustomer: async (id: string) =>
          customerIds.includes(id)
            ? ({
                customer: { id, name: 'Pat', emails: [], phones: [] },
                restrictions: [],
                steps: [],
              } as never)
            : undefined,
        findCustomersByIdentities: async () => new Map(),
      },
      events: {
        publish: async (events: readonly { detailType: string }[]) => {
          if (failPublish > 0) {
            failPublish -= 1;
            throw new Error('bus down');
          }
          published.push(...events.map((e) => e.detailType));
        },
      },
      eventLog: { recordEvent: async () => undefined },
      now: () => '2026-06-01T09:00:00.000Z',
    };
    return {
      deps,
      records,
      filed,
      published,
      failNextPublish: () => {
        failPublish = 1;
      },
    };
  }
  const body = {
    customerId: 'cus_1',
    kind: 'call-terminated',
    channel: 'telephone',
    what: 'x',
    recordedBy: 'O',
  };

  it('a repeat with the same key after the bus failed publishes then, and only then', async () => {
    const { deps, published, records, failNextPublish } = fakes();
    const { recordIncident, IncidentNotPublishedError } = await import('../../lambdas/core/incidents');
    failNextPublish();
    await expect(recordIncident(body, 'actor', { idempotencyKey: 'k' }, deps)).rejects.toBeInstanceOf(
      IncidentNotPublishedError,
    );
    expect(published).toEqual([]);
    expect([...records.values()][0]?.publishedAt).toBeUndefined();
    const repeat = await recordIncident(body, 'actor', { idempotencyKey: 'k' }, deps);
    expect(repeat.replayed).toBe(true);
    expect(published).toEqual(['IncidentRecorded']);
    await recordIncident(body, 'actor', { idempotencyKey: 'k' }, deps);
    expect(published).toEqual(['IncidentRecorded']);
    expect(records.size).toBe(1);
  });

  it('refuses a date in the future', async () => {
    const { deps } = fakes();
    const { recordIncident } = await import('../../lambdas/core/incidents');
    await expect(recordIncident({ ...body, at: '2026-06-02' }, 'actor', {}, deps)).rejects.toThrow(
      /at: must not be in the future/,
    );
  });
});
