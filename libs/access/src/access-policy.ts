import { ACTION_RESOURCE_KIND, AccessAction } from './access-action.js';
import type { AccessPrincipal } from './access-principal.js';
import { resourceIdOf, type AccessResource, type ResourceOf } from './access-resource.js';
import { ACCESS_RULES, CONTENT_READ_ACTION, READ_ACTION, type Grant } from './access-rules.js';
import { AccessDeniedError, type DenialReason } from './access.errors.js';
import { isSameClinic, relationshipsOf, type Relationship } from './relationships.js';

export type AccessDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly status: 403 | 404; readonly reason: DenialReason };

const ALLOWED: AccessDecision = { allowed: true };

function grantMatches(grant: Grant, principal: AccessPrincipal, relationships: ReadonlySet<Relationship>): boolean {
  const hasRole =
    grant.roles === 'any' ? principal.roles.length > 0 : grant.roles.some((role) => principal.roles.includes(role));
  return hasRole && (grant.relationship === undefined || relationships.has(grant.relationship));
}

/**
 * The one access policy: decides from the principal's roles, their relationships
 * to the record and (with later issues) the record's visibility. Pure and
 * synchronous — no database, no framework — so controllers, jobs and tests call
 * the same code. Nothing crosses clinics, whatever the roles.
 */
export class AccessPolicy {
  decide(principal: AccessPrincipal, action: AccessAction, resource: AccessResource): AccessDecision {
    if (ACTION_RESOURCE_KIND[action] !== resource.kind) {
      // A programming error, not a refusal: fail loudly rather than guess.
      throw new Error(`Action ${action} applies to a ${ACTION_RESOURCE_KIND[action]}, not a ${resource.kind}`);
    }
    if (!isSameClinic(principal, resource)) return { allowed: false, status: 404, reason: 'other_clinic' };
    const relationships = relationshipsOf(principal, resource);
    const allows = (candidate: AccessAction): boolean =>
      ACCESS_RULES[candidate].some((grant) => grantMatches(grant, principal, relationships));
    if (allows(action)) return ALLOWED;
    return allows(CONTENT_READ_ACTION[action] ?? READ_ACTION[resource.kind])
      ? { allowed: false, status: 403, reason: 'forbidden' }
      : { allowed: false, status: 404, reason: 'hidden' };
  }

  can(principal: AccessPrincipal, action: AccessAction, resource: AccessResource): boolean {
    return this.decide(principal, action, resource).allowed;
  }

  /** Throws {@link AccessDeniedError} (404 or 403) unless the principal may do this. */
  assert<A extends AccessAction>(principal: AccessPrincipal, action: A, resource: ResourceOf<A>): void {
    const decision = this.decide(principal, action, resource);
    if (!decision.allowed) {
      throw new AccessDeniedError(action, resource.kind, resourceIdOf(resource), decision.reason);
    }
  }
}
