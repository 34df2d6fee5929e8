import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayRequest, GatewayResponse } from './api-gateway-v2';

/**
 * A small demo register, made on first start through the admin API itself (same validation as
 * any other caller). Every person here is fictional: `.example` domains (RFC 2606) and an
 * Ofcom drama-range phone number.
 */
interface DemoCustomer {
  customer: { name: string; address?: string; postcode?: string; emails: string[]; phones: string[] };
  restrictions: Array<{
    type: string;
    reason: string;
    namedOfficer?: string;
    designatedReader?: string;
    topic?: string;
  }>;
}

const DECIDED_BY = 'service.manager@council.example';
const DESIGNATED_READER = 'designated.reader@council.example';

export const demoRegister: DemoCustomer[] = [
  {
    customer: {
      name: 'Alex Example',
      address: '1 Sample Street, Exampleton',
      postcode: 'AL10 0ZZ',
      emails: ['alex.example@example.org'],
      phones: ['07700 900123'],
    },
    restrictions: [
      {
        type: 'single-named-officer',
        reason: 'Demo data (fictional): repeated contact across several officers about one case.',
        namedOfficer: 'casework.officer@council.example',
      },
    ],
  },
  {
    customer: { name: 'Sam Sample', emails: ['sam.sample@example.net'], phones: [] },
    restrictions: [
      {
        type: 'no-email-letter-only',
        reason: 'Demo data (fictional): abusive emails to staff.',
        designatedReader: DESIGNATED_READER,
      },
      { type: 'witness-required', reason: 'Demo data (fictional): meetings need a second officer present.' },
    ],
  },
  {
    customer: { name: 'Jo Placeholder', emails: ['jo.placeholder@example.com'], phones: [] },
    restrictions: [
      {
        type: 'topic-no-reply',
        reason: 'Demo data (fictional): complaint CMP-10001 has completed every stage of the procedure.',
        topic: 'CMP-10001',
        designatedReader: DESIGNATED_READER,
      },
    ],
  },
];

/** Concern, warning (7.2.1) and written notice (7.2.2), in the weeks before the restriction. */
function demoEscalation(restrictedAt: string) {
  const weeksBefore = (weeks: number) =>
    new Date(Date.parse(restrictedAt) - weeks * 7 * DAY_MS).toISOString();
  return [
    {
      step: 'concern-raised',
      at: weeksBefore(6),
      by: 'casework.officer@council.example',
      note: 'Demo data (fictional).',
    },
    { step: 'warning-given', at: weeksBefore(4), how: 'email', by: DECIDED_BY },
    { step: 'written-notice', at: weeksBefore(2), how: 'letter', by: DECIDED_BY },
  ];
}

export type SeedOutcome = 'seeded' | 'already-seeded' | 'failed';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function seedDemoRegister(options: {
  dispatch: (request: GatewayRequest) => Promise<GatewayResponse>;
  adminToken: string;
  dataDir: string;
  host: string;
  log: (line: string) => void;
  now?: Date;
}): Promise<SeedOutcome> {
  const marker = path.join(options.dataDir, 'seeded');
  if (await exists(marker)) return 'already-seeded';

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await options.dispatch({
      method,
      url,
      headers: {
        host: [options.host],
        authorization: [`Bearer ${options.adminToken}`],
        'user-agent': ['contact-screening-local-seed'],
        ...(body === undefined ? {} : { 'content-type': ['application/json'] }),
      },
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
    });
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json };
  };

  try {
    // A register that already has restrictions (say, a marker lost with a half-copied DATA_DIR) is left alone.
    const register = await call('GET', '/admin/register');
    const existing = register.json?.restrictions;
    if (register.status === 200 && Array.isArray(existing) && existing.length > 0) {
      await writeFile(marker, `${new Date().toISOString()}\n`);
      return 'already-seeded';
    }

    const now = options.now ?? new Date();
    const startsAt = new Date(now.getTime() - DAY_MS).toISOString();
    const ends = new Date(now);
    ends.setUTCMonth(ends.getUTCMonth() + 6);
    const endsAt = ends.toISOString();

    for (const { customer, restrictions } of demoRegister) {
      const created = await call('POST', '/admin/customers', customer);
      const customerId = created.json?.id;
      if (created.status !== 201 || typeof customerId !== 'string') {
        throw new SeedError('POST /admin/customers', created.status, created.json);
      }
      // 7.2: the demo customers went through staged escalation before they were restricted.
      for (const step of demoEscalation(startsAt)) {
        const recorded = await call('POST', `/admin/customers/${customerId}/escalation`, step);
        if (recorded.status !== 201)
          throw new SeedError('POST /admin/customers/{id}/escalation', recorded.status, recorded.json);
      }
      for (const restriction of restrictions) {
        const made = await call('POST', '/admin/restrictions', {
          customerId,
          decidedBy: DECIDED_BY,
          startsAt,
          endsAt,
          ...restriction,
        });
        if (made.status !== 201) throw new SeedError('POST /admin/restrictions', made.status, made.json);
      }
    }
    await writeFile(marker, `${new Date().toISOString()}\n`);
    return 'seeded';
  } catch (error) {
    const why =
      error instanceof SeedError ? error.message : `${error instanceof Error ? error.name : 'error'}`;
    options.log(`Warning: the demo register was not seeded (${why}); continuing without it.`);
    return 'failed';
  }
}

class SeedError extends Error {
  constructor(call: string, status: number, body: Record<string, unknown> | undefined) {
    // Only the status and the problem's title: never the data sent (P7).
    const title = typeof body?.title === 'string' ? `: ${body.title}` : '';
    super(`${call} answered ${status}${title}`);
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
