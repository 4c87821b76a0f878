import type pg from 'pg';

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Every table of the public schema with a row whose text (`t::text`: every
 * column) matches one of the LIKE patterns, with the count: what a test wrote
 * must not have been persisted anywhere. Read as the admin role (no RLS).
 */
export async function tablesContaining(admin: pg.Client, patterns: readonly string[]): Promise<string[]> {
  const { rows: tables } = await admin.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await admin.query<{ n: number }>(
      `select count(*)::int as n from ${quote(name)} t where t::text like any ($1::text[])`,
      [patterns],
    );
    if (rows[0].n > 0) found.push(`${name} (${rows[0].n} rows)`);
  }
  return found;
}
