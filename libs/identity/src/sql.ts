import type { SystemTransaction } from '@mend/core';

/**
 * Runs an UPDATE, DELETE or INSERT and returns how many rows it changed: the
 * statement is sent with `returning 1` appended, and `tx.query` answers the
 * returned rows. `statement` must not have a RETURNING clause of its own.
 */
export async function changedRows(
  tx: SystemTransaction,
  statement: string,
  parameters: readonly unknown[],
): Promise<number> {
  const rows = await tx.query(`${statement} returning 1`, parameters);
  return rows.length;
}
