import type { ConsolePage } from '../types';
import { alertPages } from './alerts';
import { contactPages } from './contacts';
import { customerPages } from './customers';
import type { ConsoleDeps } from './deps';
import { escalationPages } from './escalation';
import { homePages } from './home';
import { imposePages } from './impose';
import { incidentPages } from './incidents';
import { letterPages } from './letters';
import { recordContactPages } from './record-contact';
import { registerPages } from './register';
import { reportPages } from './reports';
import { restrictionChangePages } from './restriction-changes';
import { reviewPages } from './reviews';
import { stepLetterPages } from './step-letters';

/** Every page of the console, for the shell's router (each checks its permission before `handle`). */
export const consolePages: ConsolePage<ConsoleDeps>[] = [
  ...homePages,
  ...customerPages,
  ...escalationPages,
  ...imposePages,
  ...restrictionChangePages,
  ...letterPages,
  ...alertPages,
  ...reviewPages,
  ...registerPages,
  // Before contactPages: `/staff/contacts/new` is not a contact reference.
  ...recordContactPages,
  ...reportPages,
  ...contactPages,
  ...incidentPages,
  ...stepLetterPages,
];

export type { ConsoleDeps } from './deps';
