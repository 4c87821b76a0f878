import { type FirstQuery, preparedStatement, type TenantTransaction } from '@mend/core';

import { unauthenticated } from '../identity.errors.js';
import type { MembershipRole } from '../roles.js';
import type { Principal } from '../sessions/login-session.service.js';

export interface Profile {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly mfaEnrolled: boolean;
  readonly membershipId: string;
  readonly roles: readonly MembershipRole[];
  readonly clinicId: string;
  readonly clinicName: string;
  readonly clinicTimezone: string;
  readonly loginSessionId: string;
  readonly amr: readonly string[];
}

/** Read on every page load (prepared: planned once per connection). */
const DESCRIBE = preparedStatement(
  'profile_describe',
  `select u.email, u.display_name, coalesce((select c.mfa_enrolled_at is not null from user_credentials c where c.user_id = u.id), false)
            as mfa_enrolled,
          c.name as clinic_name, c.timezone as clinic_timezone
     from users u cross join clinics c
    where u.id = $1 and c.id = $2`,
  ['uuid', 'uuid'],
);

/** The signed-in person as they see themselves (`GET /me`). */
export class ProfileService {
  /** The read {@link describe} makes, for a route that prefetches it (`UnitOfWorkOptions.prefetch`). */
  describeQuery(caller: { readonly userId: string; readonly clinicId: string }): FirstQuery {
    return { statement: DESCRIBE, values: [caller.userId, caller.clinicId] };
  }

  async describe(tx: TenantTransaction, principal: Principal): Promise<Profile> {
    const rows = await tx.query<{
      email: string;
      display_name: string | null;
      mfa_enrolled: boolean;
      clinic_name: string;
      clinic_timezone: string;
    }>(DESCRIBE, [principal.userId, tx.clinicId]);
    const row = rows[0];
    if (row === undefined) throw unauthenticated();
    // Not audited: the caller's own profile holds no clinical content and is read on every page load.
    return {
      userId: principal.userId,
      email: row.email,
      displayName: row.display_name,
      mfaEnrolled: row.mfa_enrolled,
      membershipId: principal.membershipId,
      roles: principal.roles,
      clinicId: principal.clinicId,
      clinicName: row.clinic_name,
      clinicTimezone: row.clinic_timezone,
      loginSessionId: principal.loginSessionId,
      amr: principal.amr,
    };
  }
}
