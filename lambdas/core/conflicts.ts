import type { AdjustmentChannel, Customer } from './customer';
import { type NewRestriction, type RestrictionType, restrictionCatalogue } from './restriction';

/** A restriction that takes away a way of being in touch a reasonable adjustment relies on. */
export interface AdjustmentConflict {
  channel: AdjustmentChannel;
  adjustment: string;
  restrictionType: RestrictionType;
  clause: string;
  warning: string;
}

/** Which ways of being in touch each restriction type limits. */
function channelsLimitedBy(restriction: NewRestriction): AdjustmentChannel[] {
  switch (restriction.type) {
    case 'no-email-letter-only':
      return ['email'];
    case 'third-party-phone-only':
    case 'phone-hours':
      return ['telephone'];
    case 'office-appointment-only':
      return ['in-person'];
    case 'home-visits-paired':
      return restriction.homeVisits === 'paired-only' ? [] : ['home-visit'];
    case 'social-media':
      return ['social-media'];
    case 'all-contact-refused':
      return ['email', 'telephone', 'letter', 'in-person', 'home-visit', 'social-media', 'third-party'];
    default:
      return [];
  }
}

/**
 * Conflicts are flagged, not blocked: the restriction is saved with a warning that a manager must
 * acknowledge, because an adjustment may still be met another way (the Vulnerability policy).
 */
export function adjustmentConflicts(
  restriction: NewRestriction,
  customer: Pick<Customer, 'adjustments'>,
): AdjustmentConflict[] {
  const limited = new Set(channelsLimitedBy(restriction));
  const { clause, title } = restrictionCatalogue[restriction.type];
  return (customer.adjustments ?? [])
    .filter((adjustment) => limited.has(adjustment.channel))
    .map((adjustment) => ({
      channel: adjustment.channel,
      adjustment: adjustment.detail ?? adjustment.channel,
      restrictionType: restriction.type,
      clause,
      warning: `"${title}" (${clause}) limits ${adjustment.channel} contact, which a recorded reasonable adjustment relies on${adjustment.detail ? ` (${adjustment.detail})` : ''}. Confirm how the adjustment will still be met before relying on it.`,
    }));
}
