import type { MembershipRole } from '@mend/contracts';

/**
 * Who asks: a member of one clinic, with the roles of that membership. The API
 * builds it from the verified token and the membership row read in the request's
 * transaction (identity's `Principal` fits this shape); a job acting for a member
 * loads it with `AccessResourceLoader.memberPrincipal`.
 */
export interface AccessPrincipal {
  readonly clinicId: string;
  readonly userId: string;
  readonly membershipId: string;
  readonly roles: readonly MembershipRole[];
}
