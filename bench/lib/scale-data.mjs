import { randomUUID } from 'node:crypto';

import { withClient } from './context.mjs';
import { apiRequest } from './mend-staff.mjs';
import { sleep, waitFor } from './stats.mjs';

/**
 * The bench's data: synthetic clinics made once per run by the scale generator
 * (`seedScale` of the built `dist/apps/cli/src/scale`, the code behind `npm run cli --
 * seed:scale`), called directly in this process on a superuser connection to the
 * migrated bench database, exactly as test/integration/scale calls it. Every Mend
 * scenario that reads or writes clinical data works on these clinics.
 *
 * - The main clinic set (seed `bench`): 1 clinic of `BENCH_SCALE_CLIENTS` clients with
 *   `BENCH_SCALE_MONTHS` months of history (full run: 10,000 × 12, the scale;
 *   `--quick`: 500 × 3).
 * - Further clinics of another size (seed `bench-<clients>`, as many months) when a scenario
 *   asks for one with `scaleClinic(ctx, clients)` (the clinic report's 5,000 / 1,000-client case).
 *
 * Everyone generated shares one random password of this run (argon2id, production profile,
 * as the API verifies it), never printed. Staff sign in with a TOTP second factor, enrolled
 * through the API on their first sign-in (`signInScaleStaff`), as outside the demo.
 */

/** Sizes of the main clinic set; BENCH_SCALE_CLIENTS / BENCH_SCALE_MONTHS override. */
export function scaleSettings(ctx) {
  const number = (name, fallback) => {
    const raw = process.env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
    return value;
  };
  return {
    clients: number('BENCH_SCALE_CLIENTS', ctx.quick ? 500 : 10_000),
    months: number('BENCH_SCALE_MONTHS', ctx.quick ? 3 : 12),
  };
}

/** The master key the built API and worker of this run use (their MASTER_KEY). */
export function benchMasterKey(ctx) {
  return process.env.MASTER_KEY || ctx.runSecret('master', 32);
}

/** The main generated clinic, seeded on first use; shared by every scenario of the run. */
export function scaleData(ctx) {
  return ctx.once('scale-data', async () => {
    const { clients, months } = scaleSettings(ctx);
    return seedClinic(ctx, { seed: 'bench', clients, months });
  });
}

/**
 * A generated clinic of `clients` clients with the main set's months of history: the main
 * clinic when it has that size, else one more clinic (seed `bench-<clients>`), seeded on
 * first use.
 */
export async function scaleClinic(ctx, clients) {
  const { clients: mainClients, months } = scaleSettings(ctx);
  if (clients === mainClients) return scaleData(ctx);
  await scaleData(ctx); // the main set first: one generator at a time
  return ctx.once(`scale-data-${clients}`, () => seedClinic(ctx, { seed: `bench-${clients}`, clients, months }));
}

async function seedClinic(ctx, { seed, clients, months }) {
  await ctx.mendDatabase();
  const scratch = await ctx.scratchDatabase();
  const [core, platform, identity, generator] = await Promise.all([
    ctx.importDist('libs/core/src/index.js'),
    ctx.importDist('libs/platform/src/index.js'),
    ctx.importDist('libs/identity/src/index.js'),
    ctx.importDist('apps/cli/src/scale/scale-generator.js'),
  ]);
  const password = await ctx.once('scale-password', async () => {
    const text = `bench-scale-${randomUUID()}`;
    // As the API (NODE_ENV=production) hashes: the production argon2id profile.
    return { text, hash: await new identity.PasswordHasher('production').hash(text) };
  });
  const envelope = new core.EnvelopeEncryption({
    id: process.env.MASTER_KEY_ID || 'k1',
    key: Buffer.from(benchMasterKey(ctx), 'base64'),
  });
  // A superuser connection (the admin role) on the bench database: bulk inserts skip row-level security.
  const source = await core
    .createDataSource({
      url: scratch.adminUrl,
      entities: platform.ENTITIES,
      poolSize: 2,
      applicationName: 'mend-bench-scale',
    })
    .initialize();
  const until = new Date().toISOString().slice(0, 10);
  let result;
  try {
    result = await generator.seedScale(new core.UnitOfWork({ connected: () => source }), envelope, {
      clinics: 1,
      clientsPerClinic: clients,
      months,
      seed,
      until,
      passwordHash: password.hash,
    });
  } finally {
    await source.destroy();
  }
  const [clinic] = result.clinics;
  const planSeconds = await planReminders(ctx, clinic.clinicId);
  const due = await deliverDueReminders(ctx, clinic.clinicId);
  const reports = await scheduleReports(ctx, clinic.clinicId);
  // Vacuum now (visibility map, hint bits): otherwise autovacuum does it for minutes in the
  // background of the first measurements, and the first reads dirty every page they touch.
  const vacuumStarted = performance.now();
  await withClient(scratch.adminUrl, (client) => client.query('vacuum (analyze)'));
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  // And write every page the generation dirtied now: otherwise a checkpoint spread over minutes
  // (checkpoint_completion_target of checkpoint_timeout) writes them during the first measurements.
  // (CHECKPOINT needs a superuser or pg_checkpoint: an admin role without it only skips this.)
  const checkpointStarted = performance.now();
  const checkpointNote = await withClient(scratch.adminUrl, (client) => client.query('checkpoint')).then(
    () => `checkpoint ${((performance.now() - checkpointStarted) / 1000).toFixed(1)} s`,
    (error) => `no checkpoint (${error.message})`,
  );
  const shape = generator.clinicShape(clients);
  ctx.log(
    `  scale data (seed "${seed}"): 1 clinic × ${clients.toLocaleString('en')} clients × ${months} months ` +
      `(${shape.cases.toLocaleString('en')} cases, ${clinic.counselors} counselors) generated in ` +
      `${result.seconds.toFixed(1)} s, reminders planned in ${planSeconds.toFixed(1)} s${due.note}, ${reports.note}, vacuum ${vacuumSeconds.toFixed(1)} s, ${checkpointNote}`,
  );
  return {
    seed,
    clients,
    months,
    until,
    clinicId: clinic.clinicId,
    counselors: clinic.counselors,
    cases: shape.cases,
    password: password.text,
    generationSeconds: result.seconds,
  };
}

/**
 * The generated clinic's reminders, planned once as the worker's planning pass would (the built
 * `ReminderPlanner` in a unit of work as the runtime role, so row-level security scopes it to the
 * clinic). Without it the running worker plans them at its next pass (every minute), in the middle
 * of whatever scenario is measuring then — for the full run's 10,000-client clinic, long enough to
 * take a core from the HTTP measurements. Answers the seconds it took.
 */
async function planReminders(ctx, clinicId) {
  const started = performance.now();
  const notifications = await ctx.importDist('libs/notifications/src/index.js');
  await withRuntimeUnitOfWork(ctx, 'mend-bench-plan', (unitOfWork) =>
    unitOfWork.run(clinicId, (tx) => new notifications.ReminderPlanner().plan(tx, new Date())),
  );
  return (performance.now() - started) / 1000;
}

/** `work` with a `UnitOfWork` of the built `@mend/core` on one connection as the runtime role (row-level security on). */
async function withRuntimeUnitOfWork(ctx, applicationName, work) {
  const urls = await ctx.mendDatabase();
  const core = await ctx.importDist('libs/core/src/index.js');
  const source = await core
    .createDataSource({ url: urls.runtimeUrl, entities: [], poolSize: 1, applicationName })
    .initialize();
  try {
    return await work(new core.UnitOfWork({ connected: () => source }));
  } finally {
    await source.destroy();
  }
}

/**
 * The generated clinic's scheduled reports (last month's clinic report, last week's caseload digest of
 * each counselor: its history makes them due), made as the worker's schedule pass would
 * (`scheduleDueReports` of the built `@mend/reports`, as the runtime role). A worker makes them at its
 * start (catching up) and builds them: without this, the first worker started after the clinic was
 * generated — the reminders scenario's — built a hundred reports in the middle of its measurement.
 * Made here, they are built by the run's worker when it is up (waited for, at most 5 minutes), or else
 * by the next worker to start, which waits for them (`waitForReportBuilds`) before measuring.
 */
async function scheduleReports(ctx, clinicId) {
  const reports = await ctx.importDist('libs/reports/src/index.js');
  const result = await withRuntimeUnitOfWork(ctx, 'mend-bench-reports', (unitOfWork) =>
    reports.scheduleDueReports(unitOfWork, new Date(), { onlyClinicIds: [clinicId] }),
  );
  if (result.failed.length > 0) throw new Error('making the scheduled reports of the generated clinic failed');
  const made = result.created;
  if (!ctx.shared.has('mend-worker') || !(await ctx.shared.get('mend-worker')).isRunning()) {
    return { note: `${made} scheduled reports made` };
  }
  const seconds = await waitForReportBuilds(ctx);
  return { note: `${made} scheduled reports made and built by the worker in ${seconds.toFixed(1)} s` };
}

/**
 * Waits (at most 5 minutes) until no report of the bench database is queued or being built: the
 * scheduled reports of the generated clinics, which a worker builds as soon as it runs. Answers the
 * seconds it waited.
 */
export async function waitForReportBuilds(ctx) {
  const scratch = await ctx.scratchDatabase();
  const started = performance.now();
  await withClient(scratch.adminUrl, async (client) => {
    const open = async () =>
      (await client.query(`select count(*)::int as n from report_requests where status in ('queued', 'building')`))
        .rows[0].n;
    await waitFor(async () => (await open()) === 0, {
      timeoutMs: 300_000,
      intervalMs: 500,
      message: async () => `the worker left ${await open()} scheduled reports of the generated clinics unbuilt`,
    });
  });
  return (performance.now() - started) / 1000;
}

/**
 * Some planned reminders are due at once (overdue homework: 140 of 286 for the quick clinic). When the
 * run's worker is up it delivers them straight away: waits (at most 3 minutes) until none of the
 * clinic's due reminders is pending or queued, so that burst happens here rather than in the next
 * measurement. Without a running worker they stay pending (no scenario then delivers reminders).
 */
async function deliverDueReminders(ctx, clinicId) {
  if (!ctx.shared.has('mend-worker')) return { note: '' };
  const worker = await ctx.shared.get('mend-worker');
  if (!worker.isRunning()) return { note: '' };
  const scratch = await ctx.scratchDatabase();
  const started = performance.now();
  return withClient(scratch.adminUrl, async (client) => {
    const open = async () =>
      (
        await client.query(
          `select count(*)::int as n from reminders
            where clinic_id = $1 and status in ('pending', 'queued') and fire_at <= now()`,
          [clinicId],
        )
      ).rows[0].n;
    const [{ n: due }] = (
      await client.query(`select count(*)::int as n from reminders where clinic_id = $1 and fire_at <= now()`, [
        clinicId,
      ])
    ).rows;
    await waitFor(async () => (await open()) === 0, {
      timeoutMs: 180_000,
      intervalMs: 250,
      message: async () => `the worker left ${await open()} due reminders of the generated clinic undelivered`,
    });
    return {
      note: ` (${due} due at once, delivered by the worker in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    };
  });
}

/** Rows of a read as the admin role on the bench database (lookups of generated ids; no row-level security). */
export async function scaleQuery(ctx, sql, values = []) {
  const scratch = await ctx.scratchDatabase();
  return withClient(scratch.adminUrl, async (client) => (await client.query(sql, values)).rows);
}

/** Signs a generated client in (password only); their bearer access token. */
export async function signInScaleClient(baseUrl, data, email) {
  const answer = await apiRequest(baseUrl, 'POST', '/auth/login', { email, password: data.password });
  if (typeof answer.accessToken !== 'string') throw new Error('a generated client sign-in answered no access token');
  return answer.accessToken;
}

/** Signs many generated clients in, two at a time (one argon2id verify per core); tokens in the same order. */
export async function signInScaleClients(baseUrl, data, emails) {
  const tokens = new Array(emails.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < emails.length) {
        const index = next;
        next += 1;
        tokens[index] = await signInScaleClient(baseUrl, data, emails[index]);
      }
    }),
  );
  return tokens;
}

/** Access tokens last 10 minutes: a staff token younger than this is reused. */
const STAFF_TOKEN_REUSE_MS = 5 * 60_000;

/**
 * Signs a generated staff member in with their second factor, as outside the demo: on
 * the first sign-in of the run the TOTP authenticator is enrolled through the API (the
 * code computed with the built identity library's `totpCodeAt`), later sign-ins verify a
 * code. A code works once, so a token younger than 5 minutes is reused rather than signing
 * the same person in twice in one 30-second step. Returns the access token.
 */
export async function signInScaleStaff(ctx, baseUrl, data, email) {
  const sessions = ctx.once('scale-staff-sessions', () => new Map());
  const known = sessions.get(email);
  if (known?.token !== undefined && Date.now() - known.at < STAFF_TOKEN_REUSE_MS) return known.token;
  const { totpCodeAt } = await ctx.importDist('libs/identity/src/index.js');
  const login = await apiRequest(baseUrl, 'POST', '/auth/login', { email, password: data.password });
  if (typeof login.mfaToken !== 'string') throw new Error('a generated staff sign-in asked for no second factor');
  let token;
  if (!login.mfaEnrolled) {
    const { secret } = await apiRequest(baseUrl, 'POST', '/auth/mfa/enroll/start', { mfaToken: login.mfaToken });
    const confirmed = await apiRequest(baseUrl, 'POST', '/auth/mfa/enroll/confirm', {
      mfaToken: login.mfaToken,
      code: await totpCodeAt(secret, Date.now()),
    });
    sessions.set(email, { secret });
    token = confirmed.accessToken;
  } else {
    const { secret } = known ?? {};
    if (secret === undefined) throw new Error('a generated staff member has a second factor this run did not enrol');
    // The code of the current 30 s step may have been used already: then the next step's.
    let verified;
    for (let attempt = 0; attempt < 2 && verified === undefined; attempt += 1) {
      try {
        verified = await apiRequest(baseUrl, 'POST', '/auth/mfa/verify', {
          mfaToken: login.mfaToken,
          code: await totpCodeAt(secret, Date.now()),
        });
      } catch (error) {
        if (attempt === 1) throw error;
        await sleep(30_000 - (Date.now() % 30_000) + 500);
      }
    }
    token = verified.accessToken;
  }
  if (typeof token !== 'string') throw new Error('the staff sign-in answered no access token');
  sessions.set(email, { ...sessions.get(email), token, at: Date.now() });
  return token;
}

/** Sign-in emails of generated clients (client membership, client record), `count` of them from `offset`. */
export async function scaleClientEmails(ctx, data, { count, offset = 0 }) {
  const rows = await scaleQuery(
    ctx,
    `select c.id as client_id, u.email from clients c
       join memberships m on m.clinic_id = c.clinic_id and m.id = c.membership_id
       join users u on u.id = m.user_id
      where c.clinic_id = $1
      order by c.created_at, c.id limit $2 offset $3`,
    [data.clinicId, count, offset],
  );
  if (rows.length < count) throw new Error(`the generated clinic has ${rows.length} such clients, not ${count}`);
  return rows;
}

/** The email of the user behind a membership of a generated clinic. */
export async function emailOfMembership(ctx, clinicId, membershipId) {
  const [row] = await scaleQuery(
    ctx,
    `select u.email from memberships m join users u on u.id = m.user_id where m.clinic_id = $1 and m.id = $2`,
    [clinicId, membershipId],
  );
  if (row === undefined) throw new Error('no generated membership with that id');
  return row.email;
}

/**
 * Active couple cases of a generated clinic whose history covers the whole period (opened in
 * its first weeks), the most advanced plans first: id, primary counselor (membership, email),
 * the two participants (harmed first).
 */
export async function longCoupleCases(ctx, data, { limit = 1, offset = 0 } = {}) {
  return scaleQuery(
    ctx,
    `select k.id as case_id, t.membership_id as counselor_membership_id, u.email as counselor_email,
            (select array_agg(p.client_id order by p.role) from case_participants p
              where p.clinic_id = k.clinic_id and p.case_id = k.id) as client_ids
       from cases k
       join repair_plans r on r.clinic_id = k.clinic_id and r.case_id = k.id
       join case_care_team t on t.clinic_id = k.clinic_id and t.case_id = k.id and t.is_primary
       join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id
       join users u on u.id = m.user_id
      where k.clinic_id = $1 and k.type = 'couple' and k.status = 'active'
      order by r.phase desc, k.created_at, k.id
      limit $2 offset $3`,
    [data.clinicId, limit, offset],
  );
}
