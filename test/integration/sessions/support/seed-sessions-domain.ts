import { randomUUID } from 'node:crypto';

import { FieldEncryption, type TenantTransaction } from '@mend/core';

/** What the sessions-and-notes rows refer to: an existing case of the clinic, its counselor and a participant. */
export interface SessionsDomainRefs {
  readonly caseId: string;
  readonly counselorMembershipId: string;
  /** A participant client of the case. */
  readonly clientId: string;
}

/** The tables of migration 1764461000000, each given one row by {@link seedSessionsDomain}. */
export const SESSIONS_DOMAIN_TABLES = [
  'therapy_sessions',
  'therapy_session_events',
  'therapy_session_attendance',
  'calendar_feeds',
  'note_cosign_requirements',
  'progress_notes',
  'progress_note_amendments',
  'psychotherapy_notes',
] as const;

/**
 * One row in every sessions-and-notes table, written as the runtime role inside
 * the clinic's unit of work (`tx`), as the services write them. Encrypted
 * columns get real ciphertext from `encryption` (bound to their row), so the
 * rows are also valid for the services. For the RLS backstop
 * (test/integration/identity/support/seed-case-domain.ts): call it with the
 * seeded case, counselor and partner A.
 */
export async function seedSessionsDomain(
  tx: TenantTransaction,
  encryption: FieldEncryption,
  refs: SessionsDomainRefs,
): Promise<void> {
  const clinicId = tx.clinicId;
  const ids = { session: randomUUID(), note: randomUUID(), amendment: randomUUID(), psychotherapy: randomUUID() };
  // A random 50-minute slot far ahead: the counselor's sessions may not overlap.
  const startsAt = new Date(Date.UTC(2045, 0, 1) + Math.floor(Math.random() * 1_000_000) * 3_600_000);
  const endsAt = new Date(startsAt.getTime() + 50 * 60_000);
  const q = (sql: string, parameters: unknown[]) => tx.query(sql, [clinicId, ...parameters]);
  await q(
    `insert into therapy_sessions (clinic_id, id, case_id, counselor_membership_id, kind, modality, starts_at, ends_at,
                                   created_by_membership_id)
     values ($1, $2, $3, $4, 'joint', 'video', $5, $6, $4)`,
    [ids.session, refs.caseId, refs.counselorMembershipId, startsAt, endsAt],
  );
  await q(
    `insert into therapy_session_events (clinic_id, id, session_id, kind, to_status, to_starts_at, to_ends_at,
                                         by_membership_id)
     values ($1, $2, $3, 'scheduled', 'scheduled', $4, $5, $6)`,
    [randomUUID(), ids.session, startsAt, endsAt, refs.counselorMembershipId],
  );
  await q(
    `insert into therapy_session_attendance (clinic_id, session_id, client_id, attendance, recorded_by_membership_id)
     values ($1, $2, $3, 'attended', $4)`,
    [ids.session, refs.clientId, refs.counselorMembershipId],
  );
  await q(
    `insert into calendar_feeds (clinic_id, id, membership_id, token_hash) values ($1, $2, $3, encode(sha256($4::bytea), 'hex'))`,
    [randomUUID(), refs.counselorMembershipId, randomUUID()],
  );
  await q(
    `insert into note_cosign_requirements (clinic_id, counselor_membership_id, required_by_membership_id)
     values ($1, $2, $2) on conflict do nothing`,
    [refs.counselorMembershipId],
  );
  const note = await encryption.encrypt(
    tx,
    { table: 'progress_notes', rowId: ids.note, column: 'body' },
    JSON.stringify({ text: 'Synthetic note' }),
  );
  await q(
    `insert into progress_notes (clinic_id, id, case_id, session_id, author_membership_id, template, status, body,
                                 key_version, signed_at)
     values ($1, $2, $3, $4, $5, 'free', 'signed', $6, $7, now())`,
    [ids.note, refs.caseId, ids.session, refs.counselorMembershipId, note, FieldEncryption.keyVersionOf(note)],
  );
  const amendment = await encryption.encrypt(
    tx,
    { table: 'progress_note_amendments', rowId: ids.amendment, column: 'body' },
    JSON.stringify({ reason: 'Synthetic reason', changes: { text: 'Synthetic change' } }),
  );
  await q(
    `insert into progress_note_amendments (clinic_id, id, note_id, author_membership_id, changed_fields, body, key_version)
     values ($1, $2, $3, $4, '{text}', $5, $6)`,
    [ids.amendment, ids.note, refs.counselorMembershipId, amendment, FieldEncryption.keyVersionOf(amendment)],
  );
  const psychotherapy = await encryption.encrypt(
    tx,
    { table: 'psychotherapy_notes', rowId: ids.psychotherapy, column: 'body' },
    'Synthetic psychotherapy note',
  );
  await q(
    `insert into psychotherapy_notes (clinic_id, id, case_id, session_id, author_membership_id, body, key_version)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      ids.psychotherapy,
      refs.caseId,
      ids.session,
      refs.counselorMembershipId,
      psychotherapy,
      FieldEncryption.keyVersionOf(psychotherapy),
    ],
  );
}
