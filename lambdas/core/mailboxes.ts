import { normaliseEmail } from './identity';

/**
 * The council's mailboxes (MAILBOXES): which mailbox delivers each public address, e.g.
 * `planning@council.example` → `planning.team@council.example`. Unrestricted mail goes to the
 * mailbox of the address it was sent to; restrictions route as they always do, whichever address
 * was used (7.3). Addresses are compared normalised (case, plus-tags), as identities are.
 */
export type MailboxMap = ReadonlyMap<string, string>;

export interface MailboxSettings {
  /** The public address → its delivering mailbox; none: every contact goes to the service inbox. */
  mailboxes?: MailboxMap;
  /** Addresses at these domains that the map does not name go to the service inbox. */
  councilDomains?: readonly string[];
  serviceInbox: string;
}

const key = (address: string) => normaliseEmail(address) ?? address.trim().toLowerCase();

/** Parses `address=delivery-address,…` (the setting's form); throws naming the first bad entry. */
export function parseMailboxMap(setting: string | undefined): MailboxMap {
  const map = new Map<string, string>();
  for (const entry of (setting ?? '').split(',').map((part) => part.trim())) {
    if (!entry) continue;
    const [from, to, ...rest] = entry.split('=').map((part) => part.trim());
    if (!from || !to || rest.length > 0 || !normaliseEmail(from) || !normaliseEmail(to))
      throw new Error(`"${entry}" is not address=delivery-address`);
    if (map.has(key(from))) throw new Error(`${from} is given twice`);
    map.set(key(from), to);
  }
  return map;
}

/**
 * The mailboxes an unrestricted contact sent to these addresses is delivered to: each mailbox
 * once, in the order the addresses came; an address at the council's domains that the map does
 * not name, or none at all (the web form), gives the service inbox. Addresses elsewhere (a copy
 * to someone outside the council) deliver nothing here.
 */
export function deliveringMailboxes(
  sentTo: readonly string[] | undefined,
  settings: MailboxSettings,
): string[] {
  const map = settings.mailboxes ?? new Map<string, string>();
  const domains = (settings.councilDomains ?? []).map((domain) => domain.toLowerCase());
  const found: string[] = [];
  for (const address of sentTo ?? []) {
    const mapped = map.get(key(address));
    if (mapped) found.push(mapped);
    else if (domains.includes(address.slice(address.lastIndexOf('@') + 1).toLowerCase()))
      found.push(settings.serviceInbox);
  }
  const unique = [...new Set(found)];
  return unique.length > 0 ? unique : [settings.serviceInbox];
}
