/**
 * Who may do what in the staff console, from the policy (STYLE 9: decisions as data). Each role
 * includes everything the roles before it may do. The server checks these on every page and action;
 * the pages read the same table to hide buttons a role cannot use.
 */
export const staffRoles = ['officer', 'service-manager', 'senior-manager'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const roleLabels: Record<StaffRole, string> = {
  officer: 'Customer services officer',
  'service-manager': 'Service manager',
  'senior-manager': 'Senior manager',
};

export const permissions = {
  /** Find a customer; see restrictions in force, the measures to observe, the contact log and screened contacts. */
  view: { role: 'officer', clause: '12.1' },
  /** Record a call, a visit, a letter or a social media contact, and see what applies (4.2.7, 4.2.12). */
  'record-contacts': { role: 'officer', clause: '4.2.7' },
  /** Record an incident: a call ended (5.4.2), a meeting ended (5.7), abusive correspondence (5.8), a threat (3.3). */
  'record-incidents': { role: 'officer', clause: '5.4.2' },
  /** Write, edit and send the letters before a restriction (7.2.1, 7.2.2, 5.9). */
  'write-step-letters': { role: 'service-manager', clause: '7.2.2' },
  /** Record a concern, a warning (7.2.1) or a written notice (7.2.2). */
  'record-escalation': { role: 'service-manager', clause: '7.2' },
  /** Impose, extend, lift or review a restriction: "a service manager or above" (8.1, 10.1). */
  'manage-restrictions': { role: 'service-manager', clause: '8.1' },
  /** Record when the customer and services were advised (12.1.4). */
  'record-advice': { role: 'service-manager', clause: '12.1.4' },
  /** Read and download informing letters (8.1). */
  letters: { role: 'service-manager', clause: '8.1' },
  /** Acknowledge a clash with a reasonable adjustment. */
  'acknowledge-conflicts': { role: 'service-manager', clause: '8.1' },
  /** Record the outcome of a frequency alert (4.2.7, 7.2.1). */
  'handle-alerts': { role: 'service-manager', clause: '7.2.1' },
  /** Register or change a customer's record (12.1.1). */
  'manage-customers': { role: 'service-manager', clause: '12.1.1' },
  /** Read and download the monitoring reports: counts and rates only (13.1). */
  'view-reports': { role: 'service-manager', clause: '13.1' },
  /** Refuse all contact (8.2) and decide on all future contact (9.2). */
  'refuse-all-contact': { role: 'senior-manager', clause: '8.2' },
} as const satisfies Record<string, { role: StaffRole; clause: string }>;
export type Permission = keyof typeof permissions;

const rank = (role: StaffRole) => staffRoles.indexOf(role);

/** The highest of a person's roles, or undefined when they hold none of ours. */
export function highestRole(roles: readonly string[]): StaffRole | undefined {
  const ours = staffRoles.filter((role) => roles.includes(role));
  return ours.at(-1);
}

/** Whether someone holding `roles` may do `permission`. */
export function may(roles: readonly string[], permission: Permission): boolean {
  const role = highestRole(roles);
  return role !== undefined && rank(role) >= rank(permissions[permission].role);
}

/** The least role a permission needs, for the 403 page ("you need to be a service manager"). */
export const roleNeeded = (permission: Permission): StaffRole => permissions[permission].role;
