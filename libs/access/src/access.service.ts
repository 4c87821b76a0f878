import type { TenantTransaction } from '@mend/core';

import { ACTION_RESOURCE_KIND, type AccessAction } from './access-action.js';
import { AccessPolicy } from './access-policy.js';
import type { AccessPrincipal } from './access-principal.js';
import { resourceIdOf, type ReferenceOf, type ResourceOf } from './access-resource.js';
import { AccessResourceLoader } from './access-resource.loader.js';
import { AccessDeniedError } from './access.errors.js';

/**
 * What controllers and job handlers call before touching a record:
 * `await access.authorize(tx, principal, AccessAction.MemberUpdate, { kind: 'membership', membershipId })`.
 * Loads the record in the caller's transaction, asks the policy, and returns the
 * loaded record, or throws {@link AccessDeniedError} — the same 404 for a record
 * that does not exist, belongs to another clinic, or may not be seen. Nothing
 * has been written when it throws, and the caller's unit of work rolls back.
 */
export class Access {
  constructor(
    readonly policy: AccessPolicy = new AccessPolicy(),
    readonly loader: AccessResourceLoader = new AccessResourceLoader(),
  ) {}

  async authorize<A extends AccessAction>(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    action: A,
    reference: ReferenceOf<A>,
  ): Promise<ResourceOf<A>> {
    const kind = ACTION_RESOURCE_KIND[action];
    if (reference.kind !== kind) throw new Error(`Action ${action} applies to a ${kind}, not a ${reference.kind}`);
    if (principal.clinicId.toLowerCase() !== tx.clinicId.toLowerCase()) {
      // A principal of one clinic in a transaction of another: a wiring bug; refuse, never serve.
      throw new AccessDeniedError(action, kind, resourceIdOf(reference), 'other_clinic');
    }
    const resource = await this.loader.load(tx, reference);
    if (resource === null) throw new AccessDeniedError(action, kind, resourceIdOf(reference), 'not_found');
    const typed = resource as ResourceOf<A>;
    this.policy.assert(principal, action, typed);
    return typed;
  }
}
