// Run by test/global-setup.ts in a child process (through tsx, which reads the
// tsconfig paths): jest's globalSetup cannot load the ESM-only server packages.
import { randomBytes } from 'node:crypto';

import { deriveDatabaseUrls, dropDatabase, runMigrations, setupDatabase } from '@mend/core';
import { MIGRATIONS } from '@mend/platform';

const [command, adminUrl, database] = process.argv.slice(2);

if (command === 'create') {
  const name = `mend_test_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  // Roles of their own, so tests never change the passwords of a development database's roles.
  const urls = deriveDatabaseUrls(adminUrl, name, {
    owner: 'mend_test_owner',
    ownerPassword: 'mend_test_owner',
    runtime: 'mend_test_app',
    runtimePassword: 'mend_test_app',
  });
  await setupDatabase(urls);
  await runMigrations(urls.ownerUrl, MIGRATIONS);
  process.stdout.write(`${JSON.stringify({ database: name, ownerUrl: urls.ownerUrl, runtimeUrl: urls.runtimeUrl })}\n`);
} else if (command === 'drop') {
  await dropDatabase(adminUrl, database);
} else {
  process.stderr.write('usage: prepare-test-database.ts create ADMIN_URL | drop ADMIN_URL DATABASE\n');
  process.exitCode = 2;
}
