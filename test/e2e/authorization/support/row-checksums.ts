import type pg from 'pg';

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** Tables of the public schema having a column, read from the catalog (so a new table is covered the day it lands). */
export async function tablesWithColumn(admin: pg.Client, column: string, present = true): Promise<string[]> {
  const { rows } = await admin.query<{ table_name: string }>(
    `select c.relname as table_name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and exists (select 1 from pg_attribute a
                     where a.attrelid = c.oid and a.attname = $1 and not a.attisdropped) = $2
      order by 1`,
    [column, present],
  );
  return rows.map((row) => row.table_name);
}

/**
 * A fingerprint of every row that belongs to the given clinics: each tenant table
 * (rows with their clinic_id), the clinics rows, and the global user tables
 * (rows of the clinics' members). Audit rows of `uncountedAuditActions` are left
 * out — recording a refusal (`authz.denied`) is the one write a refused request
 * must make — and the tests count those separately.
 */
export async function rowChecksums(
  admin: pg.Client,
  clinicIds: readonly string[],
  uncountedAuditActions: readonly string[] = ['authz.denied'],
): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const fingerprint = async (label: string, from: string, where: string) => {
    const { rows } = await admin.query<{ n: number; h: string }>(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h
         from ${from} t where ${where}`,
      where.includes('$2') ? [clinicIds, uncountedAuditActions] : [clinicIds],
    );
    result[label] = `${rows[0].n}:${rows[0].h}`;
  };
  for (const table of await tablesWithColumn(admin, 'clinic_id')) {
    const extra = table === 'audit_events' ? ' and t.action <> all ($2::text[])' : '';
    await fingerprint(table, quote(table), `t.clinic_id = any ($1::uuid[])${extra}`);
  }
  await fingerprint('clinics', 'clinics', 't.id = any ($1::uuid[])');
  const members = 'select m.user_id from memberships m where m.clinic_id = any ($1::uuid[])';
  await fingerprint('users', 'users', `t.id in (${members})`);
  for (const table of await tablesWithColumn(admin, 'user_id')) {
    if ((await tablesWithColumn(admin, 'clinic_id')).includes(table)) continue;
    await fingerprint(table, quote(table), `t.user_id in (${members})`);
  }
  return result;
}

/** How many audit rows of an action (default: refusals) each clinic's trail holds. */
export async function deniedCounts(
  admin: pg.Client,
  clinicIds: readonly string[],
  action = 'authz.denied',
): Promise<Record<string, number>> {
  const { rows } = await admin.query<{ clinic_id: string; n: number }>(
    `select clinic_id, count(*)::int as n from audit_events
      where action = $2 and clinic_id = any ($1::uuid[]) group by clinic_id`,
    [clinicIds, action],
  );
  return Object.fromEntries(clinicIds.map((id) => [id, rows.find((row) => row.clinic_id === id)?.n ?? 0]));
}
