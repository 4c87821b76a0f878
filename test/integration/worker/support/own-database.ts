import { deriveDatabaseUrls, dropDatabase, runMigrations, setupDatabase } from '@mend/core';
import { MIGRATIONS } from '@mend/platform';
import { testEnvironment } from '@mend/testing';

export interface OwnDatabase {
  readonly name: string;
  readonly runtimeUrl: string;
  readonly ownerUrl: string;
  drop(): Promise<void>;
}

/**
 * A database of the test file's own, migrated like the run's database and used
 * with the run's roles. Needed by every test that runs an outbox relay: a relay
 * claims pending rows of every clinic in its database, so two files relaying in
 * one database would publish each other's rows to their own queues. Also by a
 * test that changes database-wide state the files after it would inherit (the
 * list-index test's `ANALYZE`: the test server runs without autovacuum).
 */
export async function createOwnDatabase(label: string): Promise<OwnDatabase> {
  const environment = testEnvironment();
  const owner = new URL(environment.ownerUrl);
  const runtime = new URL(environment.runtimeUrl);
  const name = `${environment.database}_${label}`.slice(0, 63);
  const urls = deriveDatabaseUrls(environment.adminUrl, name, {
    owner: decodeURIComponent(owner.username),
    ownerPassword: decodeURIComponent(owner.password),
    runtime: decodeURIComponent(runtime.username),
    runtimePassword: decodeURIComponent(runtime.password),
  });
  // Test files start together and setupDatabase re-grants the shared roles: retry
  // PostgreSQL's "tuple concurrently updated" on the role catalogs.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await setupDatabase(urls);
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  await runMigrations(urls.ownerUrl, MIGRATIONS);
  return {
    name,
    runtimeUrl: urls.runtimeUrl,
    ownerUrl: urls.ownerUrl,
    drop: () => dropDatabase(environment.adminUrl, name),
  };
}
