import { MEMBERSHIP_ROLES, STAFF_ROLES, type MembershipRole, type MembershipStatus } from '@mend/contracts';

import { IdentityError, IdentityErrorCode } from './identity.errors.js';

export { MEMBERSHIP_ROLES, STAFF_ROLES, type MembershipRole, type MembershipStatus };

/**
 * Sorted, without duplicates; refuses an empty set, unknown roles, and `client`
 * combined with a staff role (a client of a clinic is never its staff: the
 * database refuses it too).
 */
export function normaliseRoles(roles: readonly string[]): MembershipRole[] {
  const unique = [...new Set(roles)];
  if (unique.length === 0) throw new IdentityError(IdentityErrorCode.InvalidRoles, 'At least one role is needed');
  const unknown = unique.filter((role) => !(MEMBERSHIP_ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) {
    throw new IdentityError(IdentityErrorCode.InvalidRoles, `Roles are ${MEMBERSHIP_ROLES.join(', ')}`);
  }
  if (unique.includes('client') && unique.length > 1) {
    throw new IdentityError(IdentityErrorCode.InvalidRoles, 'The client role cannot be combined with staff roles');
  }
  return MEMBERSHIP_ROLES.filter((role) => unique.includes(role));
}

export function isStaff(roles: readonly string[]): boolean {
  return roles.some((role) => (STAFF_ROLES as readonly string[]).includes(role));
}

// Who may do what is decided by the one access policy (libs/access), never by role checks here.
