import type { SystemTransaction } from '@mend/core';

import { changedRows } from '../sql.js';

/**
 * Sets a user's password hash in `user_credentials` (creating the row of a new
 * user). `tx` must act as that user (app.user_id): the self-only policy refuses
 * anyone else's row. Returns the number of rows written (1).
 */
export function storePasswordHash(
  tx: SystemTransaction,
  userId: string,
  passwordHash: string,
  changedAt: Date,
): Promise<number> {
  return changedRows(
    tx,
    `insert into user_credentials (user_id, password_hash, password_changed_at) values ($1, $2, $3)
     on conflict (user_id) do update
       set password_hash = excluded.password_hash, password_changed_at = excluded.password_changed_at`,
    [userId, passwordHash, changedAt],
  );
}

/** The user's password hash, or null (none set, or `tx` does not act as that user). */
export async function readPasswordHash(tx: SystemTransaction, userId: string): Promise<string | null> {
  const rows = await tx.query<{ password_hash: string | null }>(
    'select password_hash from user_credentials where user_id = $1',
    [userId],
  );
  return rows[0]?.password_hash ?? null;
}
