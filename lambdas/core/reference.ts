import { createHash } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/**
 * A contact's reference, e.g. `CS-7K3F-9Q2M-XW`: short enough to read out on the phone, and
 * derived from the channel's own id (SES message id, idempotency key), so that a repeated
 * delivery of the same contact gets the same reference (P6).
 */
export function contactReference(channel: 'email' | 'web-form', sourceId: string): string {
  const digest = createHash('sha256').update(`${channel}\n${sourceId}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < 10; i++) {
    code = alphabet[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return `CS-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}
