/**
 * The register's use cases (12.1), one file per aggregate: customers (customers.ts), staged escalation
 * (escalation-steps.ts, 7.2), restrictions imposed (restrictions.ts, 7.3, 8.1, 8.2) and the actions on
 * them (restriction-changes.ts, 10.1), the informing letters they write (informing-letters.ts, 8.1),
 * reading the register (reads.ts) and screening a contact against it (screening.ts).
 */
export { diff } from './audit';
export type { IdPrefix, RegisterChangeDeps, RegisterDeps } from './context';
export { registerCustomer, updateCustomer } from './customers';
export { recordEscalationStep } from './escalation-steps';
export { hasPostalAddress, noPostalAddressWarning } from './informing-letters';
export {
  listCustomers,
  listLetters,
  type RegisterRow,
  readAudit,
  readCustomer,
  readLetter,
  readRegister,
} from './reads';
export {
  acknowledgeConflicts,
  extendRestriction,
  liftRestriction,
  recordAdvised,
  recordReview,
} from './restriction-changes';
export { imposeRestriction, present, readRestriction } from './restrictions';
export { findRegisterMatches, type ScreeningRegister, screenAgainstRegister } from './screening';
