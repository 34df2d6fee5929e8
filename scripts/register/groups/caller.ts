import { compact, str } from '../command-spec';

/**
 * Someone not (yet) known to be in the register, as a staff member took their details down: the
 * `--caller-…` options of `contact add` and `incident add`, and the `caller` object the admin API
 * takes for both (POST /admin/contacts, POST /admin/incidents).
 */
export const callerOptions = (who: string) => ({
  'caller-name': str(`${who} name`),
  'caller-phone': str(`${who} telephone number`, '<phone>'),
  'caller-email': str(`${who} email address`, '<email>'),
  'caller-postcode': str(`${who} postcode`, '<postcode>'),
});

export const callerOf = (values: Record<string, unknown>) =>
  compact({
    name: values['caller-name'],
    phone: values['caller-phone'],
    email: values['caller-email'],
    postcode: values['caller-postcode'],
  });
