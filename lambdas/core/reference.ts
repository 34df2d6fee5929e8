import { createHash } from 'node:crypto';
import type { Channel } from './channels';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** `length` Crockford base32 characters (5 bits each) from the SHA-256 of `seed`: stable for the same seed. */
function shortCode(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, Math.ceil((length * 5) / 8))) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < length; i++) {
    code = alphabet[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return code;
}

/**
 * A contact's reference, e.g. `CS-7K3F-9Q2M-XW`: short enough to read out on the phone, and
 * derived from the channel's own id (SES message id, idempotency key), so that a repeated
 * delivery of the same contact gets the same reference (P6). Contacts staff record share one
 * namespace (`staff-recorded`), so one idempotency key names one contact whatever its channel.
 */
export function contactReference(channel: Channel | 'staff-recorded', sourceId: string): string {
  const code = shortCode(`${channel}\n${sourceId}`, 10);
  return `CS-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * An informing letter's reference (8.1), e.g. `LT-7K3F-9Q2M`: what the letter prints as "Our reference"
 * and a customer reads out on the phone, in place of the 30-character letter id (which the admin API
 * keeps). Derived from the letter id, so it is the same however often it is worked out; 40 bits, so two
 * letters share one about once in a trillion pairs, and the register refuses to store a second letter
 * under a reference it already holds.
 */
export function letterReference(letterId: string): string {
  const code = shortCode(`letter\n${letterId}`, 8);
  return `LT-${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A letter reference as someone typed or heard it (`lt 7k3f 9q2m`, `LT7K3F9QZM`), written as the letter
 * prints it; `undefined` when it is not one. O is read as 0, I and L as 1, as Crockford base32 allows.
 */
export function normaliseLetterReference(input: string): string | undefined {
  const compact = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, '');
  if (!compact.startsWith('LT')) return undefined;
  const body = compact.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(body)) return undefined;
  return `LT-${body.slice(0, 4)}-${body.slice(4)}`;
}
