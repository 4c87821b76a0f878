import { DEFAULT_SECRETS_POLICY_TEXTS } from '@mend/clients';
import type { TenantTransaction } from '@mend/core';

/** Fixed ids of the demo's clients and couple case, so re-seeding finds them. */
export const DEMO_CLIENT_IDS = {
  client1: '00000000-0000-4000-8000-0000000c1e01',
  client2: '00000000-0000-4000-8000-0000000c1e02',
} as const;
export const DEMO_CASE_ID = '00000000-0000-4000-8000-00000000ca5e';

/**
 * The demo's client records and its couple case (synthetic): Jordan Pike (the
 * hurt partner) and Casey Pike (the involved partner), linked to their portal
 * memberships; the case is active, the demo counselor is its primary, the
 * no-secrets policy is set (version 1) and not yet signed, so the portal shows
 * the signing step. Idempotent: existing rows are left as they are. Plan, ledger
 * and boundary data join the same case later.
 */
export async function seedDemoCases(
  tx: TenantTransaction,
  members: ReadonlyMap<string, string>,
  clientNames: Readonly<Record<keyof typeof DEMO_CLIENT_IDS, string>>,
): Promise<void> {
  const counselor = members.get('counselor');
  if (counselor === undefined) throw new Error('the demo counselor is missing');
  for (const key of ['client1', 'client2'] as const) {
    await tx.query(
      `insert into clients (clinic_id, id, display_name, email, timezone, reminder_channel, reminder_time,
                            membership_id, created_by_membership_id)
       select $1, $2, $3, null, 'Europe/London', 'in_app', '19:00', $4, $5
        where not exists (select 1 from clients where clinic_id = $1 and (id = $2 or membership_id = $4))`,
      [tx.clinicId, DEMO_CLIENT_IDS[key], clientNames[key], members.get(key) ?? null, counselor],
    );
  }
  const inserted = await tx.query<{ id: string }>(
    `insert into cases (clinic_id, id, title, type, status, created_by_membership_id)
     values ($1, $2, 'Pike: repair after the disclosure', 'couple', 'active', $3)
     on conflict do nothing returning id`,
    [tx.clinicId, DEMO_CASE_ID, counselor],
  );
  if (inserted.length === 0) return;
  await tx.query(
    `insert into case_status_changes (clinic_id, id, case_id, from_status, to_status, changed_at, changed_by_membership_id)
     values ($1, gen_random_uuid(), $2, null, 'intake', now() - interval '21 days', $3),
            ($1, gen_random_uuid(), $2, 'intake', 'active', now() - interval '14 days', $3)`,
    [tx.clinicId, DEMO_CASE_ID, counselor],
  );
  await tx.query(
    `update cases set status_changed_at = now() - interval '14 days', created_at = now() - interval '21 days'
      where clinic_id = $1 and id = $2`,
    [tx.clinicId, DEMO_CASE_ID],
  );
  await tx.query(
    'insert into case_care_team (clinic_id, case_id, membership_id, is_primary) values ($1, $2, $3, true)',
    [tx.clinicId, DEMO_CASE_ID, counselor],
  );
  await tx.query(
    `insert into case_participants (clinic_id, case_id, client_id, role)
     values ($1, $2, $3, 'harmed'), ($1, $2, $4, 'harming')`,
    [tx.clinicId, DEMO_CASE_ID, DEMO_CLIENT_IDS.client1, DEMO_CLIENT_IDS.client2],
  );
  await tx.query(
    `insert into case_secrets_policies (clinic_id, case_id, version, kind, body, created_by_membership_id)
     values ($1, $2, 1, 'no_secrets', $3, $4)`,
    [tx.clinicId, DEMO_CASE_ID, DEFAULT_SECRETS_POLICY_TEXTS.no_secrets, counselor],
  );
  await tx.query('update cases set secrets_policy_version = 1 where clinic_id = $1 and id = $2', [
    tx.clinicId,
    DEMO_CASE_ID,
  ]);
}
