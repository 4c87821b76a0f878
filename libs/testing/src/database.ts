import { randomUUID } from 'node:crypto';

import pg from 'pg';
import type { DataSource } from 'typeorm';

import { createDataSource, UnitOfWork } from '@mend/core';
import { ENTITIES } from '@mend/platform';

import { testEnvironment } from './test-environment.js';

export interface TestDatabase {
  readonly dataSource: DataSource;
  readonly unitOfWork: UnitOfWork;
  close(): Promise<void>;
}

/** The runtime role's data source over this run's database, and a unit of work on it. */
export async function openTestDatabase(poolSize = 4): Promise<TestDatabase> {
  const dataSource = await createDataSource({
    url: testEnvironment().runtimeUrl,
    entities: ENTITIES,
    poolSize,
    applicationName: 'mend-test',
  }).initialize();
  return {
    dataSource,
    unitOfWork: new UnitOfWork({ connected: () => dataSource }),
    close: () => dataSource.destroy(),
  };
}

/** A raw `pg` client as one of this run's roles (for SQL-level checks such as RLS). */
export async function connectAs(role: 'runtime' | 'owner' | 'admin'): Promise<pg.Client> {
  const environment = testEnvironment();
  const url =
    role === 'runtime' ? environment.runtimeUrl : role === 'owner' ? environment.ownerUrl : adminOnTestDatabase();
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

function adminOnTestDatabase(): string {
  const environment = testEnvironment();
  const url = new URL(environment.adminUrl);
  url.pathname = `/${environment.database}`;
  return url.toString();
}

/** Creates a clinic (in its own unit of work) and returns its id. */
export async function createClinic(unitOfWork: UnitOfWork, name = 'Synthetic Clinic'): Promise<string> {
  const clinicId = randomUUID();
  await unitOfWork.run(clinicId, (tx) => tx.query('insert into clinics (id, name) values ($1, $2)', [clinicId, name]));
  return clinicId;
}
