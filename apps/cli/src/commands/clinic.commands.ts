import { randomUUID } from 'node:crypto';

import { createDataSource, UnitOfWork, type MendConfig } from '@mend/core';
import { ENTITIES } from '@mend/platform';

import { requireOption, UsageError, type CliCommand } from './command.js';

/** The demo clinic's fixed id, so re-seeding finds it. */
export const DEMO_CLINIC_ID = '00000000-0000-4000-8000-00000000de30';
export const DEMO_CLINIC_NAME = 'Harbour Counselling (demo)';

async function withUnitOfWork<T>(config: MendConfig, work: (unitOfWork: UnitOfWork) => Promise<T>): Promise<T> {
  const dataSource = await createDataSource({
    url: config.database.url,
    entities: ENTITIES,
    poolSize: 2,
    applicationName: 'mend-cli',
  }).initialize();
  try {
    return await work(new UnitOfWork({ connected: () => dataSource }));
  } finally {
    await dataSource.destroy();
  }
}

function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export const clinicCreateCommand: CliCommand = {
  name: 'clinic:create',
  summary: 'Create a clinic and print its id',
  usage: 'clinic:create --name "Clinic name" [--timezone Europe/Lisbon]   (DATABASE_URL)',
  needs: { database: true },
  options: { name: { type: 'string' }, timezone: { type: 'string' } },
  async run(context) {
    const name = requireOption(context, 'name');
    if (name.length > 200) throw new UsageError('--name is at most 200 characters');
    const timezone = typeof context.options.timezone === 'string' ? context.options.timezone : 'UTC';
    if (!isValidTimezone(timezone)) throw new UsageError('--timezone must be an IANA time zone such as Europe/Lisbon');
    const clinicId = randomUUID();
    await withUnitOfWork(context.config, (unitOfWork) =>
      unitOfWork.run(clinicId, (tx) =>
        tx.query('insert into clinics (id, name, timezone) values ($1, $2, $3)', [clinicId, name, timezone]),
      ),
    );
    context.print(clinicId);
    return 0;
  },
};

export const seedDemoCommand: CliCommand = {
  name: 'seed:demo',
  summary: 'Create the demo clinic with synthetic data (idempotent)',
  usage: 'seed:demo   (DATABASE_URL)',
  needs: { database: true },
  async run(context) {
    const isNew = await withUnitOfWork(context.config, (unitOfWork) =>
      unitOfWork.run(DEMO_CLINIC_ID, async (tx) => {
        const rows = await tx.query(
          `insert into clinics (id, name, timezone) values ($1, $2, 'Europe/London')
           on conflict (id) do nothing returning id`,
          [DEMO_CLINIC_ID, DEMO_CLINIC_NAME],
        );
        return rows.length === 1;
      }),
    );
    context.print(`Demo clinic: ${DEMO_CLINIC_NAME} (${DEMO_CLINIC_ID})${isNew ? '' : ' already seeded'}`);
    return 0;
  },
};
