import type { AccessPrincipal } from './access-principal.js';
import type { AccessResource } from './access-resource.js';

/**
 * How a principal relates to a record, beyond belonging to its clinic (which
 * every rule requires). Later issues add theirs here — `care_team` and
 * `participant` with cases, `author` with items that carry a visibility — and
 * compute them in {@link relationshipsOf} from the facts their resources carry.
 */
export enum Relationship {
  /** Authorship of one's own account: the principal's user, membership or login session (or a link they are part of). */
  Self = 'self',
  /** The principal supervises the counselor the record belongs to (for a case: any care-team member). */
  Supervisor = 'supervisor',
  /** The principal is on the care team of the case (for a client: of one of their cases, or registered them). */
  CareTeam = 'care_team',
  /** The principal is the case's primary counselor. */
  PrimaryCounselor = 'primary_counselor',
  /** The principal is a participant of the case (through their client portal membership). */
  Participant = 'participant',
}

export const RELATIONSHIPS: readonly Relationship[] = Object.values(Relationship);

const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** The relationships of a principal to a record of their own clinic. */
export function relationshipsOf(principal: AccessPrincipal, resource: AccessResource): ReadonlySet<Relationship> {
  const found = new Set<Relationship>();
  const supervises = (supervisorMembershipIds: readonly string[]): boolean =>
    supervisorMembershipIds.some((id) => sameId(id, principal.membershipId));
  switch (resource.kind) {
    case 'clinic':
    case 'invitation':
      break;
    case 'user':
      if (sameId(resource.userId, principal.userId)) found.add(Relationship.Self);
      break;
    case 'membership':
      if (sameId(resource.membershipId, principal.membershipId)) found.add(Relationship.Self);
      if (supervises(resource.supervisorMembershipIds)) found.add(Relationship.Supervisor);
      break;
    case 'supervision_link':
      if (
        sameId(resource.supervisor.membershipId, principal.membershipId) ||
        sameId(resource.counselor.membershipId, principal.membershipId)
      ) {
        found.add(Relationship.Self);
      }
      if (supervises(resource.counselor.supervisorMembershipIds)) found.add(Relationship.Supervisor);
      break;
    case 'login_session':
      if (sameId(resource.userId, principal.userId) && sameId(resource.membershipId, principal.membershipId)) {
        found.add(Relationship.Self);
      }
      break;
    case 'client':
      if (sameId(resource.membershipId, principal.membershipId)) found.add(Relationship.Self);
      if (
        sameId(resource.createdByMembershipId, principal.membershipId) ||
        resource.careTeamMembershipIds.some((id) => sameId(id, principal.membershipId))
      ) {
        found.add(Relationship.CareTeam);
      }
      if (supervises(resource.supervisorMembershipIds)) found.add(Relationship.Supervisor);
      break;
    case 'case':
      for (const member of resource.careTeam) {
        if (!sameId(member.membershipId, principal.membershipId)) continue;
        found.add(Relationship.CareTeam);
        if (member.isPrimary) found.add(Relationship.PrimaryCounselor);
      }
      if (supervises(resource.supervisorMembershipIds)) found.add(Relationship.Supervisor);
      if (resource.participants.some((participant) => sameId(participant.membershipId, principal.membershipId))) {
        found.add(Relationship.Participant);
      }
      break;
  }
  return found;
}

export function isSameClinic(principal: AccessPrincipal, resource: AccessResource): boolean {
  return sameId(principal.clinicId, resource.clinicId);
}
