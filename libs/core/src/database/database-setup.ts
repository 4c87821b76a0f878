import pg from 'pg';

/** The NOLOGIN group every migration grants to; the runtime login role is its member. */
export const RUNTIME_GROUP_ROLE = 'mend_runtime';

export interface DatabaseUrls {
  /** A role that may create roles and databases. */
  readonly adminUrl: string;
  /** Owner role: runs migrations, owns the schema. */
  readonly ownerUrl: string;
  /** Runtime role: NOSUPERUSER NOBYPASSRLS, owns nothing. */
  readonly runtimeUrl: string;
}

interface RoleSpec {
  readonly name: string;
  readonly password: string | undefined;
  readonly database: string;
  readonly host: string;
}

function roleOf(url: string, label: string): RoleSpec {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.username);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (name === '') throw new Error(`${label} names no user`);
  if (database === '') throw new Error(`${label} names no database`);
  return {
    name,
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    database,
    host: `${parsed.hostname}:${parsed.port || '5432'}`,
  };
}

/** Builds owner and runtime URLs on the admin URL's server for a database name. */
export function deriveDatabaseUrls(
  adminUrl: string,
  database: string,
  roles: { owner: string; ownerPassword: string; runtime: string; runtimePassword: string },
): DatabaseUrls {
  const build = (user: string, password: string): string => {
    const url = new URL(adminUrl);
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(password);
    url.pathname = `/${encodeURIComponent(database)}`;
    return url.toString();
  };
  return {
    adminUrl,
    ownerUrl: build(roles.owner, roles.ownerPassword),
    runtimeUrl: build(roles.runtime, roles.runtimePassword),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs a utility statement built with format() on the server, so names and passwords are quoted by PostgreSQL. */
async function executeFormatted(client: pg.Client, template: string, ...args: (string | undefined)[]): Promise<void> {
  const { rows } = await client.query<{ sql: string }>(
    `select format($1, ${args.map((_, i) => `$${i + 2}::text`).join(', ')}) as sql`,
    [template, ...args],
  );
  await client.query(rows[0].sql);
}

async function ensureLoginRole(client: pg.Client, role: RoleSpec, attributes: string): Promise<void> {
  const exists = await client.query('select 1 from pg_roles where rolname = $1', [role.name]);
  const verb = exists.rowCount === 0 ? 'create' : 'alter';
  if (role.password === undefined) {
    await executeFormatted(client, `${verb} role %I ${attributes}`, role.name);
  } else {
    await executeFormatted(client, `${verb} role %I ${attributes} password %L`, role.name, role.password);
  }
}

/**
 * Creates (or brings up to date) the roles and the database; safe to run again.
 * - owner: LOGIN, owns the database and its public schema, runs migrations;
 * - runtime: LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE, member of
 *   `mend_runtime`, owns nothing; it gets only what migrations grant.
 */
export async function setupDatabase(urls: DatabaseUrls): Promise<{ database: string; created: boolean }> {
  const owner = roleOf(urls.ownerUrl, 'DATABASE_OWNER_URL');
  const runtime = roleOf(urls.runtimeUrl, 'DATABASE_URL');
  if (owner.database !== runtime.database || owner.host !== runtime.host) {
    throw new Error('DATABASE_URL and DATABASE_OWNER_URL must name the same server and database');
  }
  if (owner.name === runtime.name) throw new Error('The runtime role must not be the owner role');

  const created = await withClient(urls.adminUrl, async (client) => {
    await ensureLoginRole(client, owner, 'login nosuperuser nobypassrls');
    await ensureLoginRole(client, runtime, 'login nosuperuser nobypassrls nocreatedb nocreaterole inherit');
    const group = await client.query('select 1 from pg_roles where rolname = $1', [RUNTIME_GROUP_ROLE]);
    if (group.rowCount === 0) await executeFormatted(client, 'create role %I nologin', RUNTIME_GROUP_ROLE);
    await executeFormatted(client, 'grant %I to %I', RUNTIME_GROUP_ROLE, runtime.name);
    const database = await client.query('select 1 from pg_database where datname = $1', [owner.database]);
    if (database.rowCount === 0) {
      await executeFormatted(client, 'create database %I owner %I', owner.database, owner.name);
      return true;
    }
    await executeFormatted(client, 'alter database %I owner to %I', owner.database, owner.name);
    return false;
  });

  const adminOnDatabase = new URL(urls.adminUrl);
  adminOnDatabase.pathname = `/${encodeURIComponent(owner.database)}`;
  await withClient(adminOnDatabase.toString(), async (client) => {
    await executeFormatted(client, 'alter schema public owner to %I', owner.name);
    await client.query('revoke all on schema public from public');
    await executeFormatted(client, 'grant usage on schema public to %I', RUNTIME_GROUP_ROLE);
    await executeFormatted(client, 'revoke all on database %I from public', owner.database);
    await executeFormatted(client, 'grant connect, temporary on database %I to %I', owner.database, RUNTIME_GROUP_ROLE);
  });
  return { database: owner.database, created };
}

/** Drops a database (tests and scratch databases only). */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (client) => executeFormatted(client, 'drop database if exists %I with (force)', database));
}
