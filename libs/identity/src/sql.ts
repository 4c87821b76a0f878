import type { SystemTransaction } from '@mend/core';

/**
 * Runs an UPDATE or DELETE and returns how many rows it changed (a CTE counting
 * the rows of its RETURNING clause).
 */
export async function changedRows(
  tx: SystemTransaction,
  statement: string,
  parameters: readonly unknown[],
): Promise<number> {
  const rows = await tx.query<{ count: number }>(
    `with changed as (${statement} returning 1) select count(*)::integer as count from changed`,
    parameters,
  );
  return rows[0]?.count ?? 0;
}

/** Runs an UPDATE … RETURNING and returns its rows (see {@link changedRows}). */
export function updatedRows<T>(
  tx: SystemTransaction,
  statement: string,
  returning: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  return tx.query<T>(`with changed as (${statement} returning ${returning}) select * from changed`, parameters);
}
