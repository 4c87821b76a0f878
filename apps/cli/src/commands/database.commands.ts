import { randomBytes } from 'node:crypto';

import {
  detectDrift,
  dropDatabase,
  revertLastMigration,
  runMigrations,
  setupDatabase,
  deriveDatabaseUrls,
} from '@mend/core';
import { ENTITIES, MIGRATIONS } from '@mend/platform';

import type { CliCommand } from './command.js';

export const dbSetupCommand: CliCommand = {
  name: 'db:setup',
  summary: 'Create (or update) the owner and runtime roles and the database; safe to run again',
  usage: 'db:setup   (DATABASE_ADMIN_URL, DATABASE_OWNER_URL, DATABASE_URL)',
  needs: { adminDatabase: true, ownerDatabase: true, database: true },
  async run({ config, print }) {
    const result = await setupDatabase({
      adminUrl: config.database.adminUrl ?? '',
      ownerUrl: config.database.ownerUrl ?? '',
      runtimeUrl: config.database.url,
    });
    print(`Database ${result.database} ${result.created ? 'created' : 'already existed'}; roles up to date.`);
    return 0;
  },
};

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply every pending migration as the owner role',
  usage: 'migrate   (DATABASE_OWNER_URL)',
  needs: { ownerDatabase: true },
  async run({ config, logger, print }) {
    const { applied } = await runMigrations(config.database.ownerUrl ?? '', MIGRATIONS, logger);
    print(
      applied.length === 0 ? 'No pending migrations.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
    );
    return 0;
  },
};

export const migrateRevertCommand: CliCommand = {
  name: 'migrate:revert',
  summary: 'Revert the most recent migration',
  usage: 'migrate:revert   (DATABASE_OWNER_URL)',
  needs: { ownerDatabase: true },
  async run({ config, print }) {
    const reverted = await revertLastMigration(config.database.ownerUrl ?? '', MIGRATIONS);
    print(reverted === undefined ? 'Nothing to revert.' : `Reverted ${reverted}.`);
    return 0;
  },
};

export const checkDriftCommand: CliCommand = {
  name: 'db:check-drift',
  summary: 'Build the schema from the migrations in an empty scratch database and fail if the entities differ',
  usage: 'db:check-drift   (DATABASE_ADMIN_URL)',
  needs: { adminDatabase: true },
  async run({ config, print }) {
    const adminUrl = config.database.adminUrl ?? '';
    const database = `mend_drift_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const urls = deriveDatabaseUrls(adminUrl, database, {
      owner: 'mend_drift_owner',
      ownerPassword: randomBytes(12).toString('hex'),
      runtime: 'mend_drift_app',
      runtimePassword: randomBytes(12).toString('hex'),
    });
    try {
      await setupDatabase(urls);
      await runMigrations(urls.ownerUrl, MIGRATIONS);
      const drift = await detectDrift(urls.ownerUrl, ENTITIES);
      if (drift.length === 0) {
        print('No drift: the migrations build exactly what the entities describe.');
        return 0;
      }
      print(`Drift: TypeORM would run ${drift.length} statement(s) to match the entities:`);
      for (const statement of drift) print(`  ${statement}`);
      return 1;
    } finally {
      await dropDatabase(adminUrl, database);
    }
  },
};
