import { randomBytes } from 'node:crypto';

import { FieldEncryption, isValidTimezone, masterKeyEnvelope } from '@mend/core';
import { OPERATOR } from '@mend/identity';

import { requireOption, UsageError, type CliCommand } from './command.js';
import { seedDemoCases } from './demo-cases.js';
import { seedDemoHomework } from './demo-homework.js';
import { seedDemoReminders } from './demo-reminders.js';
import { seedDemoRepairWork } from './demo-repair.js';
import { seedDemoReportData } from './demo-reports.js';
import { withIdentity } from './identity-services.js';

/** The demo clinic's fixed id, so re-seeding finds it. */
export const DEMO_CLINIC_ID = '00000000-0000-4000-8000-00000000de30';
export const DEMO_CLINIC_NAME = 'Harbour Counselling (demo)';

/** Synthetic people of the demo clinic (the domain is reserved: example). */
export const DEMO_USERS = [
  { key: 'admin', email: 'admin@demo.mend.example', displayName: 'Robin Hale', roles: ['clinic_admin'] },
  { key: 'supervisor', email: 'supervisor@demo.mend.example', displayName: 'Morgan Reyes', roles: ['supervisor'] },
  { key: 'counselor', email: 'counselor@demo.mend.example', displayName: 'Sam Okafor', roles: ['counselor'] },
  { key: 'client1', email: 'client.one@demo.mend.example', displayName: 'Jordan Pike', roles: ['client'] },
  { key: 'client2', email: 'client.two@demo.mend.example', displayName: 'Casey Pike', roles: ['client'] },
] as const;

export const clinicCreateCommand: CliCommand = {
  name: 'clinic:create',
  summary: 'Create a clinic with its first clinic admin and print the clinic id',
  usage:
    'clinic:create --name "Clinic name" --admin-email admin@example.org --admin-password "…" [--admin-name "Display name"] [--timezone Europe/Lisbon]   (DATABASE_URL)',
  needs: { database: true },
  options: {
    name: { type: 'string' },
    timezone: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
    'admin-name': { type: 'string' },
  },
  async run(context) {
    const name = requireOption(context, 'name');
    if (name.length > 200) throw new UsageError('--name is at most 200 characters');
    const timezone = typeof context.options.timezone === 'string' ? context.options.timezone : 'UTC';
    if (!isValidTimezone(timezone)) throw new UsageError('--timezone must be an IANA time zone such as Europe/Lisbon');
    const adminEmail = requireOption(context, 'admin-email');
    // Taken as typed: a password may begin or end with spaces.
    const adminPassword = context.options['admin-password'];
    if (typeof adminPassword !== 'string' || adminPassword === '') throw new UsageError('--admin-password is required');
    const adminName = typeof context.options['admin-name'] === 'string' ? context.options['admin-name'] : undefined;

    const created = await withIdentity(context.config, (identity) =>
      identity.provisioning.createClinic({
        name,
        timezone,
        admin: { email: adminEmail, password: adminPassword, displayName: adminName },
      }),
    );
    context.print(created.clinicId);
    if (!created.isNewUser) {
      process.stderr.write(
        `${adminEmail} already had a Mend account: it is now this clinic's admin, its password unchanged.\n`,
      );
    }
    return 0;
  },
};

export const seedDemoCommand: CliCommand = {
  name: 'seed:demo',
  summary: 'Create the demo clinic and its synthetic users (idempotent)',
  usage: 'seed:demo [--password "shared demo password"]   (DATABASE_URL, MASTER_KEY; the demo only)',
  needs: { database: true, masterKey: true },
  options: { password: { type: 'string' } },
  async run(context) {
    // The demo's printed password must always work: every run sets it again.
    const password =
      typeof context.options.password === 'string' && context.options.password !== ''
        ? context.options.password
        : `demo-${randomBytes(9).toString('base64url')}`;
    const isNew = await withIdentity(context.config, async (identity, unitOfWork) => {
      const inserted = await unitOfWork.run(DEMO_CLINIC_ID, (tx) =>
        tx.query(
          `insert into clinics (id, name, timezone) values ($1, $2, 'Europe/London')
           on conflict (id) do nothing returning id`,
          [DEMO_CLINIC_ID, DEMO_CLINIC_NAME],
        ),
      );
      const members = new Map<string, string>();
      for (const user of DEMO_USERS) {
        const member = await identity.provisioning.ensureMember(
          DEMO_CLINIC_ID,
          { email: user.email, password, roles: [...user.roles], displayName: user.displayName },
          { resetPassword: true },
        );
        members.set(user.key, member.membershipId);
      }
      await unitOfWork.run(DEMO_CLINIC_ID, (tx) =>
        identity.memberships.linkSupervisor(
          tx,
          OPERATOR,
          members.get('supervisor') as string,
          members.get('counselor') as string,
        ),
      );
      // Clients and the couple case.
      await unitOfWork.run(DEMO_CLINIC_ID, (tx) =>
        seedDemoCases(tx, members, { client1: DEMO_USERS[3].displayName, client2: DEMO_USERS[4].displayName }),
      );
      // The couple's repair plan (phase P1), three weeks of trust-ledger entries and a boundary event.
      await unitOfWork.run(DEMO_CLINIC_ID, (tx) => seedDemoRepairWork(tx, members));
      // Three weeks of homework (answers encrypted: MASTER_KEY): paired, with parts, a reveal, a draft.
      const envelope = masterKeyEnvelope(context.config);
      if (envelope === null) throw new UsageError('MASTER_KEY is required (see .env.example)');
      const encryption = new FieldEncryption(envelope);
      await unitOfWork.run(DEMO_CLINIC_ID, (tx) => seedDemoHomework(tx, members, encryption));
      // Reminder defaults and preferences, a few delivered reminders (the notification centre), the planned ones.
      await unitOfWork.run(DEMO_CLINIC_ID, (tx) => seedDemoReminders(tx, members));
      // Outcome measures over seven weeks, so a requested progress report has charts (not built here).
      await unitOfWork.run(DEMO_CLINIC_ID, (tx) => seedDemoReportData(tx, members));
      return inserted.length === 1;
    });
    context.print(`Demo clinic: ${DEMO_CLINIC_NAME} (${DEMO_CLINIC_ID})${isNew ? '' : ' already seeded'}`);
    context.print(`Demo users:  ${DEMO_USERS.map((user) => `${user.email} (${user.roles.join(', ')})`).join(', ')}`);
    context.print(`Demo password (every demo user): ${password}`);
    context.print('Demo sign-in: staff skip the second factor here (MEND_DEMO=true); outside the demo it is required.');
    return 0;
  },
};
