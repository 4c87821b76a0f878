import { TOKEN } from '@mend/audit';
import type { TenantTransaction, UnitOfWork } from '@mend/core';

import { ACTION_RESOURCE_KIND, type AccessAction } from './access-action.js';
import { recordAccessDenial } from './access-audit.js';
import type { AccessPrincipal } from './access-principal.js';
import { resourceIdOf, type ReferenceOf, type ResourceOf } from './access-resource.js';
import { AccessDeniedError } from './access.errors.js';
import { Access } from './access.service.js';

/** What a job that acts for a member carries (its payload's clinic and membership). */
export interface MemberJob {
  readonly clinicId: string;
  readonly membershipId: string;
  /** The job name, recorded with a refusal (e.g. `report.export`). */
  readonly name: string;
}

/**
 * The worker's door to the access policy, the counterpart of the API's unit of
 * work around each route handler: a job that acts for a member (an export they asked for, a
 * message they scheduled) runs in a unit of work of its clinic, as that member
 * with the roles they hold now, only if the policy allows the action on the
 * record. A refusal — the member disabled meanwhile, a record of another
 * clinic, a role that no longer allows it — fails the job closed, writes
 * nothing, and is recorded as `authz.denied` (metadata `job`) in a unit of work
 * of its own. No Nest involved: the worker, the CLI and tests call it alike.
 */
export class JobAccess {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly access: Access = new Access(),
  ) {}

  async run<A extends AccessAction, T>(
    job: MemberJob,
    action: A,
    reference: ReferenceOf<A>,
    work: (tx: TenantTransaction, resource: ResourceOf<A>, principal: AccessPrincipal) => Promise<T>,
  ): Promise<T> {
    let principal: AccessPrincipal | null = null;
    try {
      return await this.unitOfWork.run(job.clinicId, async (tx) => {
        principal = await this.access.loader.memberPrincipal(tx, job.membershipId);
        if (principal === null) {
          throw new AccessDeniedError(action, ACTION_RESOURCE_KIND[action], resourceIdOf(reference), 'no_principal');
        }
        const resource = await this.access.authorize(tx, principal, action, reference);
        return work(tx, resource, principal);
      });
    } catch (error) {
      if (error instanceof AccessDeniedError) {
        const actor = principal as AccessPrincipal | null;
        await this.unitOfWork.run(job.clinicId, (tx) =>
          recordAccessDenial(tx, { userId: actor?.userId ?? null, membershipId: actor?.membershipId ?? null }, error, {
            // From a payload: kept only when they are plain tokens, never a reason to lose the refusal.
            job: TOKEN.test(job.name) ? job.name : null,
            jobMembershipId: TOKEN.test(job.membershipId) ? job.membershipId : null,
          }),
        );
      }
      throw error;
    }
  }
}
