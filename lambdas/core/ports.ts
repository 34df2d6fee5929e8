import type { Customer } from './customer';
import type { IdentityKey, IdentityKind } from './identity';
import type { Restriction } from './restriction';
import type { Instant } from './time';

/** One append-only entry of the audit trail (12.1): who did what, when and why. */
export interface AuditEntry {
  id: string;
  customerId: string;
  at: Instant;
  actor: string;
  action: 'customer-registered' | 'restriction-imposed' | 'restriction-lifted' | 'restriction-changed';
  subjectId: string;
  why?: string;
}

export interface CustomerRecord {
  customer: Customer;
  restrictions: Restriction[];
}

/**
 * The restriction register, as the core needs it. The DynamoDB adapter implements it; unit
 * tests may hand in a fake. Every method is one round trip unless it says otherwise.
 */
export interface RegisterStore {
  /** Which customers hold any of these identities, and by which kinds. One request. */
  findCustomersByIdentities(keys: readonly IdentityKey[]): Promise<Map<string, IdentityKind[]>>;
  /**
   * A customer with their restrictions. With `inForceAt`, only restrictions in force at that
   * instant are read (the screening path); without it, all of them (the register). One request.
   */
  loadCustomer(customerId: string, options?: { inForceAt?: Instant }): Promise<CustomerRecord | undefined>;
  /** Stores a new customer and indexes their identities. Fails with ConflictError if the id exists. */
  saveNewCustomer(customer: Customer, audit: AuditEntry): Promise<void>;
  /** Stores a new restriction. Fails with ConflictError if the id exists. */
  saveNewRestriction(restriction: Restriction, audit: AuditEntry): Promise<void>;
  /** Every restriction in the register, ordered by review date. */
  listRestrictions(): Promise<Restriction[]>;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}
