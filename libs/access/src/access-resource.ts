import type { MembershipRole, MembershipStatus } from '@mend/contracts';

import type { AccessAction, ResourceKindOf } from './access-action.js';

/**
 * The records the policy decides about, each with the facts its rules need
 * (the clinic it belongs to and its relationships to people). The policy never
 * reads the database: a resource is loaded first (see AccessResourceLoader) or,
 * for the caller's own clinic and account, built from the principal.
 *
 * Later kinds (client, case, assignment, note…) join this union with the facts
 * of their relationships (care team, participants, author, visibility).
 */
export type AccessResource =
  | ClinicResource
  | UserResource
  | MembershipResource
  | SupervisionLinkResource
  | InvitationResource
  | LoginSessionResource;

export type ResourceKind = AccessResource['kind'];

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'clinic',
  'user',
  'membership',
  'supervision_link',
  'invitation',
  'login_session',
];

/** The clinic itself: its settings, and clinic-wide lists (members, invitations, audit trail). */
export interface ClinicResource {
  readonly kind: 'clinic';
  readonly clinicId: string;
}

/** A person's global account, as seen through a membership of this clinic. */
export interface UserResource {
  readonly kind: 'user';
  readonly clinicId: string;
  readonly userId: string;
}

export interface MembershipResource {
  readonly kind: 'membership';
  readonly clinicId: string;
  readonly membershipId: string;
  readonly userId: string;
  readonly roles: readonly MembershipRole[];
  readonly status: MembershipStatus;
  /** The supervisors of this member (when a counselor). */
  readonly supervisorMembershipIds: readonly string[];
}

/** A supervisor ↔ counselor link, existing or about to be created. */
export interface SupervisionLinkResource {
  readonly kind: 'supervision_link';
  readonly clinicId: string;
  readonly supervisor: Pick<MembershipResource, 'membershipId' | 'userId'>;
  readonly counselor: Pick<MembershipResource, 'membershipId' | 'userId' | 'supervisorMembershipIds'>;
}

export interface InvitationResource {
  readonly kind: 'invitation';
  readonly clinicId: string;
  readonly invitationId: string;
  readonly invitedByMembershipId: string | null;
}

/** A sign-in (device): a family of refresh tokens. */
export interface LoginSessionResource {
  readonly kind: 'login_session';
  readonly clinicId: string;
  readonly loginSessionId: string;
  readonly userId: string;
  readonly membershipId: string;
}

/**
 * What a caller names: ids only, as they arrive in a path, a body or a job
 * payload. The clinic is never part of it: it is the principal's (from the
 * verified token or the job), so a reference cannot point into another clinic.
 */
export type ResourceReference =
  | { readonly kind: 'clinic' }
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'membership'; readonly membershipId: string }
  | {
      readonly kind: 'supervision_link';
      readonly supervisorMembershipId: string;
      readonly counselorMembershipId: string;
    }
  | { readonly kind: 'invitation'; readonly invitationId: string }
  | { readonly kind: 'login_session'; readonly loginSessionId: string };

export type ResourceOf<A extends AccessAction> = Extract<AccessResource, { kind: ResourceKindOf<A> }>;
export type ReferenceOf<A extends AccessAction> = Extract<ResourceReference, { kind: ResourceKindOf<A> }>;

/** The id recorded in the audit trail for a resource or reference (the primary object a caller named). */
export function resourceIdOf(resource: AccessResource | ResourceReference): string | null {
  switch (resource.kind) {
    case 'clinic':
      return 'clinicId' in resource ? resource.clinicId : null;
    case 'user':
      return resource.userId;
    case 'membership':
      return resource.membershipId;
    case 'supervision_link':
      return 'counselor' in resource ? resource.counselor.membershipId : resource.counselorMembershipId;
    case 'invitation':
      return resource.invitationId;
    case 'login_session':
      return resource.loginSessionId;
  }
}
