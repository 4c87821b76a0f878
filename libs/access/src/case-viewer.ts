import { DomainError } from '@mend/core';

import type { AccessPrincipal } from './access-principal.js';
import type { CaseResource } from './access-resource.js';
import { Relationship, relationshipsOf } from './relationships.js';

/**
 * How a caller who may read a case sees its content (PRODUCT.md, Who sees what):
 * the care team and the supervisors of its members see the clinical view; a
 * participant sees what is `shared` plus what is their own; a clinic admin who
 * is not on the care team sees no clinical content at all (`directory`).
 */
export type CaseViewer =
  | { readonly kind: 'care_team'; readonly principal: AccessPrincipal; readonly case: CaseResource }
  | {
      readonly kind: 'participant';
      readonly principal: AccessPrincipal;
      readonly case: CaseResource;
      /** The participant's client id in this case. */
      readonly clientId: string;
    }
  | { readonly kind: 'directory'; readonly principal: AccessPrincipal; readonly case: CaseResource };

export function caseViewerOf(principal: AccessPrincipal, resource: CaseResource): CaseViewer {
  const relationships = relationshipsOf(principal, resource);
  const isStaff = principal.roles.some((role) => role !== 'client');
  if (isStaff && (relationships.has(Relationship.CareTeam) || relationships.has(Relationship.Supervisor))) {
    return { kind: 'care_team', principal, case: resource };
  }
  if (principal.roles.includes('client') && relationships.has(Relationship.Participant)) {
    const participant = resource.participants.find(
      (candidate) => candidate.membershipId?.toLowerCase() === principal.membershipId.toLowerCase(),
    );
    if (participant !== undefined) {
      return { kind: 'participant', principal, case: resource, clientId: participant.clientId };
    }
  }
  return { kind: 'directory', principal, case: resource };
}

export const SHARED_SPACE_PAUSED = 'shared_space_paused';

/**
 * The neutral answer participants get while their case is on a safety hold. It
 * says nothing about why (the reason is the care team's) and is the same for
 * every shared feature.
 */
export class SharedSpacePausedError extends DomainError {
  constructor() {
    super(
      SHARED_SPACE_PAUSED,
      409,
      'Shared activities in this case are paused for now. Your care team will be in touch; if you need help now, contact your clinic.',
    );
    this.name = 'SharedSpacePausedError';
  }
}

/**
 * While a case is on `safety_hold`, participants cannot use its shared features
 * (shared plan, trust ledger, boundary events, and what later issues add); the
 * care team can. Call after `authorize`, with the loaded case.
 */
export function assertSharedSpaceOpen(viewer: CaseViewer): void {
  if (viewer.kind === 'participant' && viewer.case.safetyStatus === 'safety_hold') {
    throw new SharedSpacePausedError();
  }
}
