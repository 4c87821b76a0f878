import type pg from 'pg';

import { connectAs } from '@mend/testing';

/** Structural guarantees of the schema that must hold for every table, now and later. */
describe('database catalog', () => {
  let admin: pg.Client;
  let runtimeRole: string;

  beforeAll(async () => {
    admin = await connectAs('admin');
    runtimeRole = decodeURIComponent(new URL(process.env.DATABASE_URL ?? '').username);
  });

  afterAll(() => admin.end());

  it('puts every table with clinic_id under row-level security, enabled and forced', async () => {
    const { rows } = await admin.query<{ table_name: string; enabled: boolean; forced: boolean }>(`
      select c.relname as table_name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'
         and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'clinic_id' and not a.attisdropped)
              or c.relname = 'clinics')`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((row) => !row.enabled || !row.forced)).toEqual([]);
  });

  it('connects the application as a role that is not superuser, not BYPASSRLS and owns nothing', async () => {
    const role = await admin.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'select rolsuper, rolbypassrls from pg_roles where rolname = $1',
      [runtimeRole],
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const owned = await admin.query(
      `select c.relname from pg_class c join pg_roles r on r.oid = c.relowner
        join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and r.rolname = $1`,
      [runtimeRole],
    );
    expect(owned.rows).toEqual([]);
  });

  it('has no unique index on a tenant table without clinic_id', async () => {
    const { rows } = await admin.query<{ index_name: string }>(`
      select i.relname as index_name
        from pg_index x
        join pg_class t on t.oid = x.indrelid
        join pg_class i on i.oid = x.indexrelid
        join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = 'public' and x.indisunique
         and exists (select 1 from pg_attribute a where a.attrelid = t.oid and a.attname = 'clinic_id')
         and not exists (
           select 1 from pg_attribute a
            where a.attrelid = t.oid and a.attname = 'clinic_id' and a.attnum = any (x.indkey))`);
    expect(rows).toEqual([]);
  });

  it('has no view over tenant tables without security_invoker', async () => {
    const { rows } = await admin.query<{ view_name: string }>(`
      select c.relname as view_name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'v'
         and not coalesce(c.reloptions @> array['security_invoker=true'], false)`);
    expect(rows).toEqual([]);
  });

  it('owns every SECURITY DEFINER function by the owner role, with a fixed search_path', async () => {
    const { rows } = await admin.query<{ name: string; owner: string; config: string[] | null }>(`
      select p.proname as name, r.rolname as owner, p.proconfig as config
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_roles r on r.oid = p.proowner
       where n.nspname = 'public' and p.prosecdef`);
    expect(rows.length).toBeGreaterThan(0);
    const ownerRole = decodeURIComponent(new URL(process.env.DATABASE_OWNER_URL ?? '').username);
    for (const row of rows) {
      expect(row.owner).toBe(ownerRole);
      expect(row.config ?? []).toContain('search_path=public, pg_temp');
    }
  });
});
