import type { Permission, StaffRole } from '../core/staff-roles';

/** The signed-in person, from the OpenID provider's ID token (Cognito groups, or the local provider's). */
export interface StaffUser {
  /** The provider's `sub`: stable, recorded in the audit trail with the name. */
  subject: string;
  name: string;
  email: string;
  roles: StaffRole[];
}

/** What a page handler is given: the request, already authenticated, with the form parsed and CSRF-checked. */
export interface ConsoleRequest {
  method: 'GET' | 'POST';
  /** The path without the query, e.g. `/staff/customers/cus_01…`. */
  path: string;
  /** Named parts of the route's pattern (`/staff/customers/:id` → `{ id }`). */
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** The posted `application/x-www-form-urlencoded` fields (repeated names as arrays). Empty for GET. */
  form: Record<string, string | string[]>;
  user: StaffUser;
  /** The session's CSRF token: every form a page renders carries it as the hidden field `csrfToken`. */
  csrfToken: string;
  /** The audit actor for changes this request makes: the person's name and subject. */
  actor: string;
  /** This response's Content-Security-Policy nonce: the only inline script allowed carries it. */
  cspNonce: string;
  /** The council's name, shown in the page frame. */
  councilName: string;
}

export type ConsoleResponse =
  | { kind: 'page'; status: number; html: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'file'; contentType: string; body: Buffer | string; filename?: string; inline?: boolean };

/** One route of the console: the permission is checked by the shell before `handle` runs (403 otherwise). */
export interface ConsolePage<Deps> {
  method: 'GET' | 'POST';
  /** Express-style pattern under /staff, e.g. `/staff/customers/:id/restrictions/new`. */
  pattern: string;
  permission: Permission;
  handle(request: ConsoleRequest, deps: Deps): Promise<ConsoleResponse>;
}
