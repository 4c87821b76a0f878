/** What a membership lets a person do in one clinic (a person may hold several roles). */
export const MEMBERSHIP_ROLES = ['clinic_admin', 'supervisor', 'counselor', 'client'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** Roles that sign in with a second factor (every role but client). */
export const STAFF_ROLES: readonly MembershipRole[] = ['clinic_admin', 'supervisor', 'counselor'];

/** Pending invitations are rows of their own; a membership exists once accepted. */
export const MEMBERSHIP_STATUSES = ['active', 'disabled'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];
