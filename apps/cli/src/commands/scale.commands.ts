import { createDataSource, FieldEncryption, masterKeyEnvelope, UnitOfWork } from '@mend/core';
import { PasswordHasher } from '@mend/identity';
import { ENTITIES } from '@mend/platform';

import { seedScale } from '../scale/scale-generator.js';
import { assertScaleInvariants } from '../scale/scale-invariants.js';
import { UsageError, type CliCommand, type CommandContext } from './command.js';

/** The password of every generated person unless MEND_DEMO_PASSWORD or --password says otherwise. */
export const SCALE_DEFAULT_PASSWORD = 'scale-synthetic-passphrase-2026';

function positive(context: CommandContext, name: string, fallback: number | null, max: number): number {
  const raw = context.options[name];
  if (raw === undefined && fallback !== null) return fallback;
  if (raw === undefined) throw new UsageError(`--${name} is required`);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number`);
  const value = Number(raw.trim());
  if (value < 1 || value > max) throw new UsageError(`--${name} must be between 1 and ${max}`);
  return value;
}

/** The admin role's URL pointed at DATABASE_URL's database (a superuser: bulk inserts skip row-level security). */
export function adminUrlOnDatabase(adminUrl: string, databaseUrl: string): string {
  const url = new URL(adminUrl);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

export const seedScaleCommand: CliCommand = {
  name: 'seed:scale',
  summary: 'Generate synthetic clinics at scale (deterministic for a seed) and check their invariants',
  usage:
    'seed:scale --clinics N --clients M --months K [--seed S] [--until YYYY-MM-DD] [--password "…"]   (DATABASE_URL, DATABASE_ADMIN_URL, MASTER_KEY; M is per clinic)',
  needs: { database: true, adminDatabase: true, masterKey: true },
  options: {
    clinics: { type: 'string' },
    clients: { type: 'string' },
    months: { type: 'string' },
    seed: { type: 'string' },
    until: { type: 'string' },
    password: { type: 'string' },
  },
  async run(context) {
    const clinics = positive(context, 'clinics', null, 100);
    const clients = positive(context, 'clients', null, 100_000);
    const months = positive(context, 'months', null, 60);
    const seed =
      typeof context.options.seed === 'string' && context.options.seed !== '' ? context.options.seed : 'mend';
    const until =
      typeof context.options.until === 'string' ? context.options.until : new Date().toISOString().slice(0, 10);
    const parsed = new Date(`${until}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(until) ||
      Number.isNaN(parsed.getTime()) ||
      parsed.toISOString().slice(0, 10) !== until
    ) {
      throw new UsageError('--until must be a date YYYY-MM-DD');
    }
    const password =
      typeof context.options.password === 'string' && context.options.password !== ''
        ? context.options.password
        : process.env.MEND_DEMO_PASSWORD || SCALE_DEFAULT_PASSWORD;
    const envelope = masterKeyEnvelope(context.config);
    if (envelope === null) throw new UsageError('MASTER_KEY is required (see .env.example)');
    const adminUrl = context.config.database.adminUrl;
    if (adminUrl === undefined) throw new UsageError('DATABASE_ADMIN_URL is required (see .env.example)');
    const dataSource = await createDataSource({
      url: adminUrlOnDatabase(adminUrl, context.config.database.url),
      entities: ENTITIES,
      poolSize: 2,
      applicationName: 'mend-cli-scale',
    }).initialize();
    try {
      const unitOfWork = new UnitOfWork({ connected: () => dataSource });
      // One hash for everyone: argon2id with the configured profile, as the identity services hash.
      const passwordHash = await new PasswordHasher(context.config.auth.passwordHashProfile).hash(password);
      const result = await seedScale(
        unitOfWork,
        envelope,
        { clinics, clientsPerClinic: clients, months, seed, until, passwordHash },
        (line) => process.stderr.write(`${line}\n`),
      );
      const checked = performance.now();
      await assertScaleInvariants(
        unitOfWork,
        new FieldEncryption(envelope),
        result.clinics.map((clinic) => clinic.clinicId),
      );
      const checkSeconds = (performance.now() - checked) / 1000;
      context.print(
        `Generated ${clinics} clinic(s) x ${clients} clients x ${months} months (seed "${seed}", until ${until}) in ${result.seconds.toFixed(1)} s; invariants checked in ${checkSeconds.toFixed(1)} s.`,
      );
      for (const clinic of result.clinics) {
        context.print(
          `${clinic.name} (${clinic.clinicId}): ${clinic.counselors} counselors, ${clinic.supervisors} supervisors`,
        );
        for (const person of clinic.sampleEmails) context.print(`  ${person.role.padEnd(12)} ${person.email}`);
      }
      context.print(`Password (every generated person): ${password}`);
      context.print('Staff sign-in needs a second factor outside the demo (MEND_DEMO=true skips it).');
      return 0;
    } finally {
      await dataSource.destroy();
    }
  },
};
