import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack';
import { startTestStack } from '../helpers/local-stack';
import { storedEmails } from '../helpers/ses-emulator';

let stack: LocalStack;
let stopStack: () => Promise<void>;

beforeAll(async () => {
  ({ stack, stop: stopStack } = await startTestStack('contact-screening-flood-', {
    // One window for the whole run, so that the count cannot restart half way through it.
    env: { ...process.env, FORM_RATE_LIMIT_WINDOW_SECONDS: String(365 * 24 * 3600) },
  }));
});
afterAll(async () => {
  await stopStack?.();
});

describe('the contact form under a flood from one address', () => {
  it('answers 10,000 submissions from one IP with 202 or 429 only, and forwards every one it accepted', async () => {
    const total = 10_000;
    const concurrency = 16;
    const statuses = new Map<number, number>();
    const accepted: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const response = await fetch(`${stack.urls.gateway}/contact`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({
            name: 'Flood Test',
            email: `flood.${i}@example.org`,
            topic: 'Something else',
            subject: `Flood ${i}`,
            message: `Message number ${i}`,
            consent: 'on',
          }),
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const body = (await response.json()) as { reference?: string; detail?: string };
        if (response.status === 202 && body.reference) accepted.push(body.reference);
        if (response.status === 429) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    expect([...statuses.keys()].sort()).toEqual([202, 429]);
    // The per-IP limit (60 a window by default) is exact under concurrency: atomic counters.
    expect(accepted).toHaveLength(60);
    // Accepted means queued: screening and forwarding follow from the form's queue.
    await stack.form.idle();
    const forwarded = new Set(
      (await storedEmails(stack.urls.ses)).map((email) => /^\[([A-Z0-9-]+)\]/.exec(email.subject)?.[1]),
    );
    for (const reference of accepted) expect(forwarded.has(reference)).toBe(true);
    // The stack is still healthy afterwards.
    expect((await fetch(stack.urls.health)).status).toBe(200);
  }, 300_000);
});
