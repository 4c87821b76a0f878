import type {
  CaseStatus,
  ClientStatus,
  MembershipRole,
  MembershipStatus,
  ParticipantRole,
  SafetyStatus,
} from '@mend/contracts';

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
  | LoginSessionResource
  | ClientResource
  | CaseResource;

export type ResourceKind = AccessResource['kind'];

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'clinic',
  'user',
  'membership',
  'supervision_link',
  'invitation',
  'login_session',
  'client',
  'case',
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

/** A person receiving care, with who looks after them. */
export interface ClientResource {
  readonly kind: 'client';
  readonly clinicId: string;
  readonly clientId: string;
  readonly status: ClientStatus;
  /** The client's own portal membership, if they have one. */
  readonly membershipId: string | null;
  /** The staff member who registered the client (they keep sight of them before any case exists). */
  readonly createdByMembershipId: string | null;
  /** Members of the care team of any case this client takes part in. */
  readonly careTeamMembershipIds: readonly string[];
  /** Supervisors of the creator or of any of those care-team members. */
  readonly supervisorMembershipIds: readonly string[];
}

export interface CaseParticipantFact {
  readonly clientId: string;
  /** The participant's portal membership (null until they accept an invitation). */
  readonly membershipId: string | null;
  readonly role: ParticipantRole;
}

export interface CareTeamFact {
  readonly membershipId: string;
  readonly isPrimary: boolean;
}

/** A case, with its care team, the supervisors of that team, and its participants. */
export interface CaseResource {
  readonly kind: 'case';
  readonly clinicId: string;
  readonly caseId: string;
  readonly status: CaseStatus;
  readonly safetyStatus: SafetyStatus;
  readonly careTeam: readonly CareTeamFact[];
  /** Supervisors of any care-team member. */
  readonly supervisorMembershipIds: readonly string[];
  /** In a stable order: by role (harmed, harming, mutual, individual), then when they joined. */
  readonly participants: readonly CaseParticipantFact[];
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
  | { readonly kind: 'login_session'; readonly loginSessionId: string }
  | { readonly kind: 'client'; readonly clientId: string }
  | { readonly kind: 'case'; readonly caseId: string };

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
    case 'client':
      return resource.clientId;
    case 'case':
      return resource.caseId;
  }
}
