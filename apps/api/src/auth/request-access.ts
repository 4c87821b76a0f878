import { Inject, Injectable } from '@nestjs/common';

import { Access, type AccessAction, type ReferenceOf, type ResourceOf } from '@mend/access';

import { requestScope } from './request-scope.js';

/**
 * The access policy for the request in progress: controllers name the action
 * and the record (ids from the validated path or body), the transaction and the
 * caller come from the request scope. Throws the policy's 404/403; the unit of
 * work around the handler (UnitOfWorkHandlers) then rolls back and records `authz.denied`.
 *
 *     await this.access.authorize(AccessAction.MemberUpdate, { kind: 'membership', membershipId });
 */
@Injectable()
export class RequestAccess {
  constructor(@Inject(Access) private readonly access: Access) {}

  authorize<A extends AccessAction>(action: A, reference: ReferenceOf<A>): Promise<ResourceOf<A>> {
    const scope = requestScope();
    scope.accessDecisions.push(action);
    return this.access.authorize(scope.tx, scope.principal, action, reference);
  }
}
