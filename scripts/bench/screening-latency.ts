import type { QueuedSubmission } from '../../lambdas/core/ports';
import { lambdaContext, toApiGatewayEvent } from '../../local/api-gateway-v2';
import { sqsEventOf } from '../../local/form-queue';
import { INBOUND_FUNCTION_NAME, newSesMessageId, sesReceiptEvent } from '../../local/ses-event';
import { functionNames } from '../../local/settings';
import { type BenchStack, storeMail } from './bench-stack';
import { countByOperation, sequentialStages, type TimedRequest } from './request-counter';
import { mode, ratio, type Summary, summarise } from './stats';

export type ContactKind = 'form-unrestricted' | 'form-restricted' | 'email-unrestricted' | 'email-restricted';
export const contactKinds: ContactKind[] = [
  'form-unrestricted',
  'form-restricted',
  'email-unrestricted',
  'email-restricted',
];

/** The demo register's Alex Example: restricted to a named officer (7.3.4). */
const restrictedSender = 'alex.example@example.org';

interface Sample {
  /** The form's answer (202), from the event to the response; email has none. */
  answerMs?: number;
  answerRequests: TimedRequest[];
  /** Screening, from the queued submission or the stored message to the handler's return. */
  screenMs: number;
  /** From the start of screening to the end of the forward (SES SendRawEmail). */
  toForwardMs: number;
  screenRequests: TimedRequest[];
  failed: boolean;
}

export interface RequestProfile {
  /** Requests by `service operation`, for the most common request pattern of this kind. */
  byOperation: Record<string, number>;
  total: number;
  /** Sequential stages: the form's answer; screening up to the forward and its record; all of screening. */
  answerStages: number;
  toForwardAndRecordStages: number;
  /** Email: the same, from the stored S3 object (the requests after its GetObject ended); form: as above. */
  fromStoredObjectStages: number;
  screeningStages: number;
  /** Everything for one contact: the answer's stages, then screening's (they are separated by the queue). */
  totalStages: number;
  /** How many samples had exactly this pattern, of how many. */
  samplesLikeThis: string;
  /** The most requests any sample of this kind made (a threshold crossed makes more). */
  maxTotal: number;
}

export interface KindResult {
  answer?: Summary & { ratioP50: number; ratioP99: number };
  toForward: Summary & { ratioP50: number; ratioP99: number };
  screening: Summary & { ratioP50: number; ratioP99: number };
  requests: RequestProfile;
  errors: number;
}

export interface ScreeningLatencyResult {
  rounds: number;
  baselineGetItem: Summary;
  /** A minimal SES forwarder (the stored copy from S3, one SendRawEmail) on the same emulators. */
  minimalForwarder: Summary & { emailUnrestrictedP50Ratio: number; emailRestrictedP50Ratio: number };
  kinds: Record<ContactKind, KindResult>;
}

const formBody = (email: string, n: number) =>
  JSON.stringify({
    name: email === restrictedSender ? 'Alex Example' : `Resident ${n}`,
    email,
    topic: 'Bins and recycling',
    subject: `Missed collection ${n}`,
    message: `The bins on our street were missed again this week (${n}). Please send someone.`,
    consent: true,
  });

async function submitForm(bench: BenchStack, email: string, n: number): Promise<Sample> {
  const { recorder, handlers } = bench;
  const request = {
    method: 'POST',
    url: '/contact',
    headers: {
      host: ['127.0.0.1'],
      'content-type': ['application/json'],
      accept: ['application/json'],
    },
    body: Buffer.from(formBody(email, n)),
    sourceIp: '192.0.2.10',
    protocol: 'HTTP/1.1',
  };
  const before = bench.queued.length;
  const answerStart = performance.now();
  const answer = await recorder.record(() =>
    handlers.contactForm(toApiGatewayEvent(request), lambdaContext(functionNames.contactForm, 10_000)),
  );
  const answerMs = performance.now() - answerStart;
  const status = (answer.result as { statusCode?: number }).statusCode;
  const message = bench.queued[before];
  if (status !== 202 || !message) {
    return {
      answerMs,
      answerRequests: answer.requests,
      screenMs: 0,
      toForwardMs: 0,
      screenRequests: [],
      failed: true,
    };
  }
  const submission = JSON.parse(message.body) as QueuedSubmission;
  const screenStart = recorder.now();
  const screened = await recorder.record(() =>
    handlers.formScreening(sqsEventOf(submission), lambdaContext(functionNames.formScreening, 20_000)),
  );
  const screenMs = recorder.now() - screenStart;
  return {
    answerMs,
    answerRequests: answer.requests,
    screenMs,
    toForwardMs: forwardEnd(screened.requests) - screenStart,
    screenRequests: screened.requests,
    failed: screened.result.batchItemFailures.length > 0,
  };
}

async function sendEmail(bench: BenchStack, from: string, n: number): Promise<Sample> {
  const { recorder, handlers, stack } = bench;
  const messageId = newSesMessageId();
  const to = 'customer.services@council.example';
  const raw = Buffer.from(
    [
      `From: ${from}`,
      `To: ${to}`,
      `Subject: Missed collection ${n}`,
      `Message-ID: <${messageId}@example.org>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `The bins on our street were missed again this week (${n}). Please send someone.`,
      '',
    ].join('\r\n'),
  );
  await storeMail(bench, `${stack.config.MAIL_PREFIX}${messageId}`, raw);
  const event = await sesReceiptEvent({
    messageId,
    envelope: { mailFrom: from, rcptTo: [to] },
    receivedAt: new Date(),
    stored: [raw],
  });
  // As SES judges mail from a domain that signs and publishes DMARC: the sender is verified.
  const pass = { status: 'PASS' as const };
  Object.assign(event.Records[0]!.ses.receipt, {
    spamVerdict: pass,
    virusVerdict: pass,
    spfVerdict: pass,
    dkimVerdict: pass,
    dmarcVerdict: pass,
  });
  const screenStart = recorder.now();
  let failed = false;
  const screened = await recorder.record(() =>
    handlers.inboundEmail(event, lambdaContext(INBOUND_FUNCTION_NAME, 30_000)).catch(() => {
      failed = true;
    }),
  );
  const screenMs = recorder.now() - screenStart;
  return {
    answerRequests: [],
    screenMs,
    toForwardMs: forwardEnd(screened.requests) - screenStart,
    screenRequests: screened.requests,
    failed,
  };
}

/** When the forward (the first SES SendRawEmail) ended. */
function forwardEnd(requests: readonly TimedRequest[]): number {
  const forward = requests.find((r) => r.service === 'SES' && r.operation === 'SendRawEmail');
  return forward ? forward.endMs : Number.NaN;
}

/** The requests up to the forward and its record (the claim finished: the first DynamoDB write after the forward). */
function upToForwardAndRecord(requests: readonly TimedRequest[]): TimedRequest[] {
  const forward = requests.find((r) => r.service === 'SES' && r.operation === 'SendRawEmail');
  if (!forward) return [...requests];
  const record = requests.find(
    (r) => r.service === 'DynamoDB' && r.operation === 'UpdateItem' && r.startMs >= forward.startMs,
  );
  const until = Math.max(forward.endMs, record?.endMs ?? 0);
  return requests.filter((r) => r.endMs <= until);
}

/** The requests that started once the stored message was read (all of them when none was). */
function afterStoredObject(requests: readonly TimedRequest[]): TimedRequest[] {
  const read = requests.find((r) => r.service === 'S3' && r.operation === 'GetObject');
  return read ? requests.filter((r) => r.startMs >= read.endMs) : [...requests];
}

const patternOf = (sample: Sample) =>
  JSON.stringify([countByOperation(sample.answerRequests), countByOperation(sample.screenRequests)]);

function profileOf(samples: Sample[]): RequestProfile {
  const common = mode(samples, patternOf)!;
  const typical = common.value;
  const all = [...typical.answerRequests, ...typical.screenRequests];
  const answerStages = sequentialStages(typical.answerRequests);
  const screeningStages = sequentialStages(typical.screenRequests);
  return {
    byOperation: countByOperation(all),
    total: all.length,
    answerStages,
    toForwardAndRecordStages: sequentialStages(upToForwardAndRecord(typical.screenRequests)),
    fromStoredObjectStages: sequentialStages(afterStoredObject(upToForwardAndRecord(typical.screenRequests))),
    screeningStages,
    totalStages: answerStages + screeningStages,
    samplesLikeThis: `${common.times}/${samples.length}`,
    maxTotal: Math.max(...samples.map((s) => s.answerRequests.length + s.screenRequests.length)),
  };
}

const withRatio = (values: number[], baseline: Summary) => {
  const summary = summarise(values.filter(Number.isFinite));
  return {
    ...summary,
    ratioP50: ratio(summary.p50, baseline.p50),
    ratioP99: ratio(summary.p99, baseline.p99),
  };
};

/**
 * (1) and (2): each round measures, one after another, a bare GetItem (the baseline), a form
 * submission and an email from an unrestricted and from a restricted sender, and a minimal
 * forwarder, so that every ratio compares figures taken at the same moments.
 */
export async function measureScreening(bench: BenchStack, rounds: number, warmup: number) {
  const samples: Record<ContactKind, Sample[]> = {
    'form-unrestricted': [],
    'form-restricted': [],
    'email-unrestricted': [],
    'email-restricted': [],
  };
  const getItem: number[] = [];
  const forwarder: number[] = [];
  for (let round = -warmup; round < rounds; round++) {
    const keep = round >= 0;
    const n = round + warmup;
    const timed = async (work: () => Promise<void>) => {
      const start = performance.now();
      await work();
      return performance.now() - start;
    };
    const baseline = [await timed(bench.bare.getItem), await timed(bench.bare.getItem)];
    const run: [ContactKind, () => Promise<Sample>][] = [
      ['form-unrestricted', () => submitForm(bench, `resident.form.${n}@example.org`, n)],
      ['form-restricted', () => submitForm(bench, restrictedSender, n)],
      ['email-unrestricted', () => sendEmail(bench, `resident.mail.${n}@example.org`, n)],
      ['email-restricted', () => sendEmail(bench, restrictedSender, n)],
    ];
    for (const [kind, work] of run) {
      const sample = await work();
      if (keep) samples[kind].push(sample);
      // What the events set off (notify) runs now, not during the next sample.
      await bench.stack.events.idle();
    }
    const key = `bench-forward-${n}`;
    await storeMail(
      bench,
      key,
      `From: a@example.org\r\nTo: b@council.example\r\nSubject: x\r\n\r\nHello ${n}\r\n`,
    );
    const forwardMs = await timed(() => bench.bare.forward(key));
    baseline.push(await timed(bench.bare.getItem));
    if (keep) {
      getItem.push(...baseline);
      forwarder.push(forwardMs);
    }
  }
  const baselineGetItem = summarise(getItem);
  const kinds = {} as Record<ContactKind, KindResult>;
  for (const kind of contactKinds) {
    const list = samples[kind];
    const ok = list.filter((s) => !s.failed);
    kinds[kind] = {
      ...(kind.startsWith('form')
        ? {
            answer: withRatio(
              ok.map((s) => s.answerMs ?? Number.NaN),
              baselineGetItem,
            ),
          }
        : {}),
      toForward: withRatio(
        ok.map((s) => s.toForwardMs),
        baselineGetItem,
      ),
      screening: withRatio(
        ok.map((s) => s.screenMs),
        baselineGetItem,
      ),
      requests: profileOf(ok.length > 0 ? ok : list),
      errors: list.length - ok.length,
    };
  }
  const minimal = summarise(forwarder);
  return {
    rounds,
    baselineGetItem,
    minimalForwarder: {
      ...minimal,
      emailUnrestrictedP50Ratio: ratio(kinds['email-unrestricted'].screening.p50, minimal.p50),
      emailRestrictedP50Ratio: ratio(kinds['email-restricted'].screening.p50, minimal.p50),
    },
    kinds,
  } satisfies ScreeningLatencyResult;
}
