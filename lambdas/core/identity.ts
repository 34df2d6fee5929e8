import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

/**
 * Who is this? Identities are normalised so that the same person matches however they spell
 * their address, number or name. Every identity becomes one key of the register's identity index.
 */
export type IdentityKind = 'email' | 'phone' | 'name-postcode';

export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

/** Evidence strength: an email or phone number outweighs a name and postcode (anyone can share those). */
export const identityStrength: Record<IdentityKind, number> = { email: 3, phone: 2, 'name-postcode': 1 };

const emailShape = z.email();

/**
 * `"Alex Example" <Alex.Example+Complaints@Example.ORG>` → `alex.example@example.org`.
 * Display names, angle brackets, `mailto:`, quotes and surrounding punctuation are stripped; the
 * address is lower-cased (in practice mailboxes are case-insensitive) and plus-addressing removed,
 * so `a+x@b` matches `a@b`; BATV and SRS rewriting of envelope senders is undone.
 * Returns undefined when no address remains.
 */
export function normaliseEmail(input: string): string | undefined {
  let text = input.normalize('NFKC').trim();
  const bracketed = text.match(/<([^<>]*)>\s*$/) ?? text.match(/<([^<>]*)>/);
  if (bracketed?.[1] !== undefined) text = bracketed[1];
  text = text
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^["'([{\s]+|["')\]}\s.,;:]+$/g, '')
    .toLowerCase();
  const at = text.lastIndexOf('@');
  if (at <= 0) return undefined;
  let local = text.slice(0, at);
  let domain = text.slice(at + 1).replace(/\.$/, '');
  // Envelope senders may be rewritten: BATV `prvs=tag=local@domain`, SRS `SRS0=h=tt=domain=local@forwarder`.
  const srs = local.match(/^srs0[=+-][^=]+=[^=]+=([^=]+)=(.+)$/);
  if (srs?.[1] && srs[2]) [domain, local] = [srs[1], srs[2]];
  local = (local.replace(/^(prvs|btv1)=[^=]+=/, '').split('+')[0] ?? '').trim();
  const address = `${local}@${domain}`;
  return local && emailShape.safeParse(address).success ? address : undefined;
}

/** Any UK or international way of writing a number → E.164 (`+447700900123`); UK is the default region. */
export function normalisePhone(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.normalize('NFKC').trim().replace(/^tel:/i, ''), 'GB');
  return parsed?.isPossible() ? parsed.number : undefined;
}

const ukPostcode = /^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$/;

/** `al10 0zz` → `AL100ZZ`. Returns undefined when the result is not shaped like a UK postcode. */
export function normalisePostcode(input: string): string | undefined {
  const compact = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  return ukPostcode.test(compact) ? compact : undefined;
}

const honorifics = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'rev',
  'sir',
  'dame',
  'lady',
  'lord',
]);

/** `Dr  Zoë O'Brien-Smith` → `zoe obrien smith`: case, accents, punctuation and titles do not matter. */
export function normaliseName(input: string): string | undefined {
  const words = input
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  while (words.length > 1 && honorifics.has(words[0]!)) words.shift();
  return words.length > 0 ? words.join(' ') : undefined;
}

export function nameAndPostcodeKey(name: string, postcode: string): string | undefined {
  const n = normaliseName(name);
  const p = normalisePostcode(postcode);
  return n && p ? `${n}|${p}` : undefined;
}

/** The raw ways a contact or a customer can be recognised. */
export interface IdentityClaims {
  emails?: readonly string[];
  phones?: readonly string[];
  name?: string | undefined;
  postcode?: string | undefined;
}

/** Every normalised identity key of a set of claims, without duplicates; unusable values are skipped. */
export function identityKeysOf(claims: IdentityClaims): IdentityKey[] {
  const found = new Map<string, IdentityKey>();
  const add = (kind: IdentityKind, value: string | undefined) => {
    if (value) found.set(`${kind}#${value}`, { kind, value });
  };
  for (const email of claims.emails ?? []) add('email', normaliseEmail(email));
  for (const phone of claims.phones ?? []) add('phone', normalisePhone(phone));
  if (claims.name && claims.postcode) add('name-postcode', nameAndPostcodeKey(claims.name, claims.postcode));
  return [...found.values()];
}

/**
 * A recipient's mailbox as the key of a once-per-recipient marker (manager notices, review
 * digests): recognised by its hash, never kept there (P7).
 */
export const mailboxHash = (address: string) =>
  createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 24);
