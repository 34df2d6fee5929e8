import { describe, expect, it } from 'vitest';
import { acceptFormSubmission, type FormSubmission, formContactId } from '../../lambdas/core/form';
import type { QueuedSubmission } from '../../lambdas/core/ports';

const form: FormSubmission = {
  name: 'Pat Example',
  email: 'pat@example.org',
  emailAsTyped: 'Pat@Example.org',
  topic: 'Council tax',
  subject: 'My bill',
  message: 'Why has it gone up?',
};
const settings = {
  duplicateWindowSeconds: 600,
  rateLimits: { perIp: 60, perIdentity: 10, windowSeconds: 600 },
};
const at = (instant: string) => ({ receivedAt: instant, sourceIp: '198.51.100.1' });

describe('formContactId (P6)', () => {
  it('names a retry with the same Idempotency-Key the same contact, whatever its fields', () => {
    const first = formContactId(form, { ...at('2026-12-01T10:00:00.000Z'), idempotencyKey: 'k-1' }, settings);
    const edited = formContactId(
      { ...form, message: 'edited' },
      { ...at('2026-12-01T11:00:00.000Z'), idempotencyKey: 'k-1' },
      settings,
    );
    expect(edited).toEqual(first);
    expect(first.reference).toMatch(/^CS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(first.sourceId).not.toContain('k-1'); // the client's key is kept hashed
  });

  it('names the same fields within the window one contact, and in the next window another', () => {
    const first = formContactId(form, at('2026-12-01T10:00:01.000Z'), settings);
    expect(formContactId(form, at('2026-12-01T10:09:59.000Z'), settings)).toEqual(first);
    expect(formContactId(form, at('2026-12-01T10:10:00.000Z'), settings).reference).not.toBe(first.reference);
    expect(
      formContactId({ ...form, subject: 'Other' }, at('2026-12-01T10:00:01.000Z'), settings).reference,
    ).not.toBe(first.reference);
  });
});

describe('acceptFormSubmission', () => {
  it('queues the validated submission once, with its reference, and answers with that reference', async () => {
    const queued: QueuedSubmission[] = [];
    const meta = at('2026-12-01T10:00:00.000Z');
    const { reference } = await acceptFormSubmission(form, meta, {
      settings,
      submissions: { enqueue: async (submission) => void queued.push(submission) },
    });
    expect(queued).toEqual([
      {
        version: 1,
        reference,
        sourceId: formContactId(form, meta, settings).sourceId,
        receivedAt: meta.receivedAt,
        form,
      },
    ]);
  });

  it('fails when the queue cannot keep it: nothing was accepted', async () => {
    const refused = new Error('queue down');
    await expect(
      acceptFormSubmission(form, at('2026-12-01T10:00:00.000Z'), {
        settings,
        submissions: { enqueue: () => Promise.reject(refused) },
      }),
    ).rejects.toBe(refused);
  });
});
