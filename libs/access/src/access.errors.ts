import { DomainError } from '@mend/core';

import type { AccessAction } from './access-action.js';
import type { ResourceKind } from './access-resource.js';

export enum AccessErrorCode {
  /** The same code, status and detail as a record that does not exist. */
  NotFound = 'not_found',
  Forbidden = 'forbidden',
}

/**
 * Why access was refused. Only the audit trail (of the caller's own clinic) sees
 * it; the answer to the caller is the same for `not_found`, `other_clinic` and
 * `hidden`.
 */
export type DenialReason =
  /** No such record in the caller's clinic (a record of another clinic is invisible there too). */
  | 'not_found'
  /** The record names another clinic than the principal's (a job or a bug; never from a request). */
  | 'other_clinic'
  /** The record is in the caller's clinic, but they may not see it. */
  | 'hidden'
  /** They may see the record (or it is their clinic) but not do this to it. */
  | 'forbidden'
  /** A job acting for a membership that is unknown in its clinic or no longer active. */
  | 'no_principal';

/**
 * The 404 detail of each kind of record, shared by the policy and the services'
 * own "not found" so that a hidden record and a missing one answer byte for byte
 * the same.
 */
export const NOT_FOUND_DETAIL: Readonly<Record<ResourceKind, string>> = {
  clinic: 'No such clinic',
  user: 'No such user',
  membership: 'No such member',
  supervision_link: 'No such supervision link',
  invitation: 'No such pending invitation',
  login_session: 'No such login session',
  client: 'No such client',
  case: 'No such case',
};

const FORBIDDEN_DETAIL = 'Your roles in this clinic do not allow this';

/**
 * A refusal by the access policy: 404 `not_found` for a record the caller may
 * not see (or that does not exist), 403 `forbidden` for an action they may not
 * take on a record they can see. Carries ids only, for the `authz.denied` audit
 * event that the caller's adapter records once the refused unit of work has
 * rolled back (see {@link recordAccessDenial}).
 */
export class AccessDeniedError extends DomainError {
  constructor(
    readonly action: AccessAction,
    readonly resourceKind: ResourceKind,
    readonly resourceId: string | null,
    readonly reason: DenialReason,
  ) {
    const isForbidden = reason === 'forbidden';
    super(
      isForbidden ? AccessErrorCode.Forbidden : AccessErrorCode.NotFound,
      isForbidden ? 403 : 404,
      isForbidden ? FORBIDDEN_DETAIL : NOT_FOUND_DETAIL[resourceKind],
    );
    this.name = 'AccessDeniedError';
  }
}
