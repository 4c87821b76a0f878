import { DataSource } from 'typeorm';
import type { MigrationInterface, EntitySchema, MixedList } from 'typeorm';

import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DataSourceSettings {
  readonly url: string;
  readonly entities: MixedList<EntityClass | string | EntitySchema>;
  readonly migrations?: MixedList<Migration | string>;
  readonly poolSize?: number;
  readonly applicationName?: string;
  /** Called with a connection-level error (never thrown): the pool replaces the client. */
  readonly onPoolError?: (error: Error) => void;
}

/** One TypeORM data source; schema changes only through migrations, never `synchronize`. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: settings.migrations ?? [],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: settings.applicationName ?? 'mend',
    extra: {
      max: settings.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    },
  });
}

/**
 * Initialises the data source and attaches an `'error'` listener to its pool:
 * without one, a PostgreSQL restart crashes the process (STACK.md, faults).
 */
export async function initializeDataSource(
  dataSource: DataSource,
  onPoolError: (error: Error) => void,
): Promise<DataSource> {
  await dataSource.initialize();
  const driver = dataSource.driver as unknown as {
    master?: { on(event: 'error', listener: (error: Error) => void): void };
  };
  driver.master?.on('error', onPoolError);
  return dataSource;
}

export type Migration = new () => MigrationInterface;

/** An entity class: TypeORM only reads its decorator metadata and constructs it without arguments. */
export type EntityClass = abstract new (...args: never[]) => object;
