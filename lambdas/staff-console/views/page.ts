import { highestRole, may, type Permission, roleLabels } from '../../core/staff-roles';
import type { ConsoleRequest, ConsoleResponse } from '../types';
import { renderTemplate } from './render';

/** The console's sections, each shown only to a role that may open it (the server checks again). */
const sections: ReadonlyArray<{ href: string; text: string; permission: Permission }> = [
  { href: '/staff/', text: 'Home', permission: 'view' },
  { href: '/staff/customers', text: 'Find a customer', permission: 'view' },
  { href: '/staff/alerts', text: 'Alerts', permission: 'handle-alerts' },
  { href: '/staff/reviews', text: 'Reviews', permission: 'manage-restrictions' },
  { href: '/staff/register', text: 'Register', permission: 'view' },
  { href: '/staff/reports', text: 'Reports', permission: 'view-reports' },
];

/** What every page's frame needs: who is signed in, their role, the CSRF token, the nonce and the navigation. */
export function frameContext(
  request: Pick<ConsoleRequest, 'csrfToken' | 'cspNonce' | 'councilName' | 'path'> & {
    user?: ConsoleRequest['user'];
  },
) {
  const { user } = request;
  const role = user ? highestRole(user.roles) : undefined;
  const current =
    sections.filter((section) => section.href !== '/staff/' && request.path.startsWith(section.href)).at(0)
      ?.href ?? (request.path === '/staff/' ? '/staff/' : undefined);
  return {
    user,
    roleLabel: role ? roleLabels[role] : '',
    csrfToken: request.csrfToken,
    cspNonce: request.cspNonce,
    councilName: request.councilName,
    navigation: user
      ? sections
          .filter((section) => may(user.roles, section.permission))
          .map(({ href, text }) => ({ href, text, active: href === current }))
      : [],
    /** Templates ask `can('manage-restrictions')` to decide whether to show a button. */
    can: (permission: Permission) => (user ? may(user.roles, permission) : false),
  };
}

/** A page rendered in the frame. */
export function renderPage(
  request: Parameters<typeof frameContext>[0],
  template: string,
  context: Record<string, unknown>,
  status = 200,
): ConsoleResponse {
  return { kind: 'page', status, html: renderTemplate(template, { ...frameContext(request), ...context }) };
}
