#!/usr/bin/env node
/**
 * `npm run soak`: mixed load at a fixed rate against the built API, with
 * row-level security on and, for comparison, on a scratch copy of the same
 * database whose policies are disabled (issue 13, part 6; reliability.md §7.6).
 *
 * 1. A fresh database (`cli db:setup`, `migrate`, `seed:demo`): clinic A is the
 *    demo clinic (counselor, supervisor, the couple Jordan and Casey); clinic B is
 *    made with the CLI and the API (a counselor, a couple case, its plan). Canary
 *    strings are stored: one per clinic (ledger notes), one per partner in answers
 *    only the counselor may read. Each client gets open homework to submit.
 * 2. The API is stopped, the database copied (`CREATE DATABASE … TEMPLATE`) and, on
 *    the copy only, row-level security disabled on every table as the superuser
 *    (no switch in application code). Two APIs start: one on each database.
 * 3. Load: 15 requests a second (--rate) to each API, open loop (each request leaves
 *    on its schedule whatever the answers before it), from 6 people in 2 clinics:
 *    reads (caseload, case, plan, ledger, timeline, homework, reports, own
 *    assignments, a partner's private answer expecting 404), homework
 *    submissions, ledger check-ins, measure responses and report requests. Each
 *    tick sends the same operation to both APIs at the same moment (which one
 *    first alternates), so a neighbour's burst on a shared box, a GC pause of the
 *    load generator or a checkpoint of the shared PostgreSQL hits both alike;
 *    60 s (--seconds) after a 5 s warm-up.
 * 4. Checks: 0 errors (any status other than the expected one, or no answer) on
 *    each API; 0 cross-clinic and 0 cross-partner canaries in any response body;
 *    the canaries were seen where they belong (the scan works); the rate was held;
 *    p95 with RLS within 10% of p95 without: the whole run's ratio of the two
 *    p95s with a 90% bootstrap interval (2,000 resamples of each side, seeded);
 *    the check fails when the interval lies above 1.10, i.e. when the data show
 *    with 95% confidence that RLS costs more than 10% at p95 (a single p95 of
 *    900 samples moves by ±10% between identical runs on this box, so a point
 *    estimate alone would fail at random). The point estimate, the interval and
 *    each 10 s window's ratio are reported.
 *
 * Writes test-results/soak.json and ends with "N passed, N failed" (CI adds it).
 * Options: --seconds N (load, default 60), --rate N (requests a second to each API, default 15).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { BenchContext, urlWithDatabase, withClient } from '../bench/lib/context.mjs';
import { percentile, round, sleep } from '../bench/lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, rate: { type: 'string', default: '15' } },
});
const LOAD_SECONDS = Number(flags.seconds);
const REQUESTS_PER_SECOND = Number(flags.rate);
const WINDOW_SECONDS = 10;
const WARMUP_SECONDS = 5;
const P95_TOLERANCE = 1.1;
const PASSWORD = `soak-${randomBytes(6).toString('hex')}`;
const say = (line) => process.stdout.write(`[soak] ${line}\n`);

const ctx = new BenchContext({
  root,
  dist: join(root, 'dist'),
  quick: false,
  adminUrl: process.env.DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  log: say,
});
ctx.databaseName = `mend_soak_${process.pid}`;
ctx.queuePrefix = `mend-soak-${process.pid}`;
ctx.settings.logLevel = process.env.SOAK_LOG_LEVEL ?? 'warn';
const copyName = `${ctx.databaseName}_norls`;

const results = { checks: [], targets: {} };
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  results.checks.push({ name, ok, detail });
  if (ok) passed += 1;
  else failed += 1;
  say(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail === undefined ? '' : ` — ${detail}`}`);
}

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** JSON call; throws with the status and the start of the body on an unexpected status. */
async function call(baseUrl, method, path, { token, body, expect = [200, 201, 204] } = {}) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!expect.includes(response.status)) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return text === '' ? {} : JSON.parse(text);
}

/** Signs in; staff enrol their second factor on the first sign-in (TOTP from the built identity library). */
async function signIn(baseUrl, email, password, secrets) {
  const login = await call(baseUrl, 'POST', '/auth/login', { body: { email, password, tokenDelivery: 'body' } });
  if (login.accessToken !== undefined) return login.accessToken;
  const { totpCodeAt } = await ctx.importDist('libs/identity/src/index.js');
  let secret = secrets.get(email);
  if (secret === undefined) {
    ({ secret } = await call(baseUrl, 'POST', '/auth/mfa/enroll/start', { body: { mfaToken: login.mfaToken } }));
    secrets.set(email, secret);
    const confirmed = await call(baseUrl, 'POST', '/auth/mfa/enroll/confirm', {
      body: { mfaToken: login.mfaToken, code: await totpCodeAt(secret, Date.now()), tokenDelivery: 'body' },
    });
    return confirmed.accessToken;
  }
  throw new Error(`${email} already enrolled; the soak signs each staff member in once`);
}

/** A one-field clinic exercise (a line of text), visible to the counselor only once sent. */
function lineExercise(title) {
  return {
    title,
    instructions: 'Write one line about your week.',
    prompts: [{ text: 'One line is enough.' }],
    audience: 'each',
    phases: ['P0', 'P1', 'P2', 'P3', 'P4'],
    defaultVisibility: 'clinician',
    switchableVisibility: ['private'],
    coachMode: 'off',
    estimatedMinutes: 2,
    frequency: 'once',
    seedConcepts: ['S10'],
    responseSchema: { fields: [{ key: 'line', type: 'text', label: 'Your line', required: true, maxLength: 500 }] },
  };
}

/** N open occurrences for a client (one `once` assignment each): the homework the soak submits. */
async function openHomework(baseUrl, token, caseId, clientId, exerciseRef, count) {
  const ids = [];
  for (let index = 0; index < count; index += 1) {
    const assignment = await call(baseUrl, 'POST', `/cases/${caseId}/assignments`, {
      token,
      body: {
        exerciseRef,
        recipients: [{ clientId }],
        visibility: 'clinician',
        schedule: { kind: 'once', dueOn: day(3) },
      },
    });
    ids.push(assignment.occurrences[0].id);
  }
  return ids;
}

async function setUp() {
  const urls = await ctx.mendDatabase();
  const cliEnv = { DATABASE_URL: urls.runtimeUrl, MASTER_KEY: ctx.runSecret('master', 32) };
  await ctx.cli(['seed:demo', '--password', PASSWORD], cliEnv);
  const clinicB = (
    await ctx.cli(
      [
        'clinic:create',
        '--name',
        'Soak Clinic B',
        '--admin-email',
        `soak-admin-${process.pid}@soak.mend.example`,
        '--admin-password',
        `soak-${randomUUID()}`,
      ],
      cliEnv,
    )
  ).trim();
  const counselorB = `soak-counselor-${process.pid}@soak.mend.example`;
  const invite = await ctx.cli(
    ['user:invite', '--clinic', clinicB, '--email', counselorB, '--roles', 'counselor'],
    cliEnv,
  );
  const inviteLink = invite.split('\n').find((line) => line.includes('token='));

  const api = await startApi('soak-setup', urls.runtimeUrl);
  const base = api.baseUrl;
  await call(base, 'POST', '/invitations/accept', {
    body: { token: new URL(inviteLink.trim()).searchParams.get('token'), password: PASSWORD },
  });
  const secrets = new Map();
  const tokens = {
    counselorA: await signIn(base, 'counselor@demo.mend.example', PASSWORD, secrets),
    supervisorA: await signIn(base, 'supervisor@demo.mend.example', PASSWORD, secrets),
    jordan: await signIn(base, 'client.one@demo.mend.example', PASSWORD, secrets),
    casey: await signIn(base, 'client.two@demo.mend.example', PASSWORD, secrets),
    counselorB: await signIn(base, counselorB, PASSWORD, secrets),
  };

  // Clinic B: two clients invited through the API (the answer carries the link), a couple case, a plan.
  const clientsB = [];
  for (const name of ['Robin Vale', 'Ari Vale']) {
    const email = `soak-${name.split(' ')[0].toLowerCase()}-${process.pid}@soak.mend.example`;
    const client = await call(base, 'POST', '/clients', {
      token: tokens.counselorB,
      body: { displayName: name, timezone: 'Europe/London', email, invite: true },
    });
    const link = client.invitation?.link ?? client.link;
    if (typeof link !== 'string') throw new Error(`POST /clients gave no invitation link: ${JSON.stringify(client)}`);
    await call(base, 'POST', '/invitations/accept', {
      body: { token: new URL(link).searchParams.get('token'), password: PASSWORD },
    });
    clientsB.push({ id: client.id, email });
  }
  tokens.robin = await signIn(base, clientsB[0].email, PASSWORD, secrets);
  const caseB = await call(base, 'POST', '/cases', {
    token: tokens.counselorB,
    body: {
      type: 'couple',
      title: 'Vale: rebuilding trust',
      participants: [
        { clientId: clientsB[0].id, role: 'harmed' },
        { clientId: clientsB[1].id, role: 'harming' },
      ],
      secretsPolicy: { kind: 'no_secrets' },
    },
  });
  const policyB = await call(base, 'GET', `/cases/${caseB.id}/secrets-policy`, { token: tokens.counselorB });
  for (const [index, client] of clientsB.entries()) {
    const token = index === 0 ? tokens.robin : await signIn(base, client.email, PASSWORD, secrets);
    await call(base, 'POST', `/cases/${caseB.id}/secrets-policy/signatures`, {
      token,
      body: { version: policyB.current.version, signedName: index === 0 ? 'Robin Vale' : 'Ari Vale' },
    });
  }
  const planB = await call(base, 'PUT', `/cases/${caseB.id}/plan`, {
    token: tokens.counselorB,
    body: {
      expectedRevision: 0,
      content: {
        breachAssessment: [],
        goals: [],
        commitments: [
          {
            participantClientIds: [clientsB[0].id],
            what: 'Share my calendar each Sunday',
            cadence: 'weekly',
            verification: 'a check-in',
          },
        ],
        boundaries: [],
        needs: [],
        contingencyPlans: [],
        reviewDate: day(30),
      },
    },
  });

  // Clinic A: the demo couple case and Jordan's commitment.
  const cases = await call(base, 'GET', '/cases?limit=50', { token: tokens.counselorA });
  const caseA = cases.items.find((item) => item.participants.some((p) => p.displayName === 'Jordan Pike'));
  const jordanId = caseA.participants.find((p) => p.displayName === 'Jordan Pike').clientId;
  const caseyId = caseA.participants.find((p) => p.displayName === 'Casey Pike').clientId;
  const planA = await call(base, 'GET', `/cases/${caseA.id}/plan`, { token: tokens.counselorA });
  const commitmentA = planA.content.commitments.find((item) => item.participantClientIds.includes(jordanId));

  const policyA = await call(base, 'GET', `/cases/${caseA.id}/secrets-policy`, { token: tokens.jordan });
  for (const [who, name] of [
    ['jordan', 'Jordan Pike'],
    ['casey', 'Casey Pike'],
  ]) {
    const signed = policyA.participants?.find((p) => p.clientId === (who === 'jordan' ? jordanId : caseyId))?.signedAt;
    if (signed) continue;
    await call(base, 'POST', `/cases/${caseA.id}/secrets-policy/signatures`, {
      token: tokens[who],
      body: { version: policyA.current.version, signedName: name },
      expect: [201, 200, 409],
    });
  }

  // Canaries: one per clinic (ledger notes everyone in that clinic's case reads), one per partner (private answers).
  const tag = randomBytes(4).toString('hex');
  const canaries = {
    clinicA: `SOAKCANARY-CLINIC-A-${tag}`,
    clinicB: `SOAKCANARY-CLINIC-B-${tag}`,
    jordan: `SOAKCANARY-PRIVATE-JORDAN-${tag}`,
    casey: `SOAKCANARY-PRIVATE-CASEY-${tag}`,
  };
  await call(base, 'POST', `/cases/${caseA.id}/ledger/check-ins`, {
    token: tokens.jordan,
    body: { commitmentId: commitmentA.id, status: 'kept', occurredOn: day(0), note: `Done. ${canaries.clinicA}` },
  });
  await call(base, 'POST', `/cases/${caseB.id}/ledger/check-ins`, {
    token: tokens.robin,
    body: {
      commitmentId: planB.content.commitments[0].id,
      status: 'kept',
      occurredOn: day(0),
      note: `Done. ${canaries.clinicB}`,
    },
  });

  const exerciseA = await call(base, 'POST', '/exercises', {
    token: tokens.counselorA,
    body: lineExercise('Soak line A'),
  });
  const exerciseB = await call(base, 'POST', '/exercises', {
    token: tokens.counselorB,
    body: lineExercise('Soak line B'),
  });
  // Each private canary in one submitted answer (the counselor may read it, the partner may not).
  const privateOf = {};
  for (const [who, clientId] of [
    ['jordan', jordanId],
    ['casey', caseyId],
  ]) {
    const [occurrence] = await openHomework(base, tokens.counselorA, caseA.id, clientId, exerciseA.ref, 1);
    await call(base, 'POST', `/cases/${caseA.id}/occurrences/${occurrence}/submit`, {
      token: tokens[who],
      body: { answers: { line: `Only for my counselor. ${canaries[who]}` } },
    });
    privateOf[who] = occurrence;
  }
  // Open homework for the load: enough for every submission of both APIs' runs.
  // Each submission operation has weight 1 in the mix: its share of all requests, plus a margin.
  const weights = operations({ privateOf: {}, homework: {}, measure: {} }).reduce((sum, op) => sum + op.weight, 0);
  const submissionsPerClient = Math.ceil(((LOAD_SECONDS + WARMUP_SECONDS) * REQUESTS_PER_SECOND) / weights) + 3;
  const homework = {
    jordan: await openHomework(base, tokens.counselorA, caseA.id, jordanId, exerciseA.ref, submissionsPerClient),
    casey: await openHomework(base, tokens.counselorA, caseA.id, caseyId, exerciseA.ref, submissionsPerClient),
    robin: await openHomework(base, tokens.counselorB, caseB.id, clientsB[0].id, exerciseB.ref, submissionsPerClient),
  };
  const { BUILT_IN_MEASURES, optionsOf } = await ctx.importDist('libs/measures/src/index.js');
  const csi4 = BUILT_IN_MEASURES.find((measure) => measure.id === 'csi-4');
  const csiAnswers = Object.fromEntries(csi4.items.map((item) => [item.id, optionsOf(csi4, item)[2].value]));

  await stopApi(api);
  return {
    urls,
    tokens,
    canaries,
    world: {
      caseA: caseA.id,
      caseB: caseB.id,
      jordanId,
      caseyId,
      robinId: clientsB[0].id,
      commitmentA: commitmentA.id,
      commitmentB: planB.content.commitments[0].id,
      privateOf,
      homework,
      measure: { id: csi4.id, version: csi4.version, answers: csiAnswers },
    },
  };
}

async function startApi(label, databaseUrl) {
  const port = await ctx.freePort();
  const child = await ctx.startNode(label, ctx.dist('apps/api/src/main.js'), {
    env: ctx.mendEnv(
      { runtimeUrl: databaseUrl },
      { NODE_ENV: 'production', PORT: String(port), QUEUE_PREFIX: `${ctx.queuePrefix}-${label}` },
    ),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await ctx.waitForHttp(`${baseUrl}/health`, { label, child });
  return { baseUrl, child, label };
}

async function stopApi(api) {
  if (api.child.exitCode !== null || api.child.signalCode !== null) return;
  api.child.kill('SIGTERM');
  await Promise.race([api.child.exitPromise, sleep(15_000).then(() => api.child.kill('SIGKILL'))]);
}

/** The copy of the database with every policy switched off, made as the superuser. */
async function copyWithoutRls(urls) {
  await withClient(ctx.adminUrl, async (client) => {
    await client.query(`create database "${copyName}" template "${ctx.databaseName}"`);
  });
  ctx.onCleanup('database copy', () =>
    withClient(ctx.adminUrl, (client) => client.query(`drop database if exists "${copyName}" with (force)`)),
  );
  const copyAdmin = urlWithDatabase(ctx.adminUrl, copyName);
  const tables = await withClient(copyAdmin, async (client) => {
    const { rows } = await client.query(
      `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and (c.relrowsecurity or c.relforcerowsecurity)`,
    );
    for (const { name } of rows) {
      await client.query(`alter table ${name} no force row level security`);
      await client.query(`alter table ${name} disable row level security`);
    }
    return rows.length;
  });
  const left = await withClient(copyAdmin, async (client) => {
    const { rows } = await client.query(`select count(*)::int as n from pg_class where relrowsecurity`);
    return rows[0].n;
  });
  const original = await withClient(urlWithDatabase(ctx.adminUrl, ctx.databaseName), async (client) => {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_class where relrowsecurity and relforcerowsecurity`,
    );
    return rows[0].n;
  });
  check(
    'the copy has row-level security off on every table; the original keeps it',
    tables > 0 && left === 0 && original === tables,
    `${tables} tables with policies; ${left} left on in the copy; ${original} enabled and forced in the original`,
  );
  const runtime = new URL(urls.runtimeUrl);
  runtime.pathname = `/${copyName}`;
  return runtime.toString();
}

/**
 * The operations, each with its actor, its method and path (built per target,
 * since submissions take the next open occurrence of that database), the
 * expected status, and its share of the mix.
 */
function operations(world) {
  const A = world.caseA;
  const B = world.caseB;
  const read = (actor, path, weight = 1) => ({ kind: 'read', actor, method: 'GET', path: () => path, weight });
  const period = { start: day(-56), end: day(0) };
  return [
    read('counselorA', '/cases?limit=50', 2),
    read('counselorA', `/cases/${A}`),
    read('counselorA', `/cases/${A}/plan`),
    read('counselorA', `/cases/${A}/ledger`),
    read('counselorA', `/cases/${A}/timeline?limit=50`),
    read('counselorA', `/cases/${A}/homework/overview`),
    read('counselorA', `/cases/${A}/occurrences/${world.privateOf.jordan}`),
    read('counselorA', `/cases/${A}/occurrences/${world.privateOf.casey}`),
    read('counselorA', '/reports'),
    read('supervisorA', '/cases?limit=50'),
    read('supervisorA', `/cases/${A}/ledger/summary`),
    read('jordan', '/me/assignments', 2),
    read('jordan', `/cases/${A}/ledger`),
    read('jordan', `/cases/${A}/plan`),
    read('casey', '/me/assignments', 2),
    read('casey', `/cases/${A}/ledger`),
    { ...read('casey', `/cases/${A}/occurrences/${world.privateOf.jordan}`), kind: 'probe', expect: 404 },
    { ...read('jordan', `/cases/${A}/occurrences/${world.privateOf.casey}`), kind: 'probe', expect: 404 },
    read('counselorB', '/cases?limit=50', 2),
    read('counselorB', `/cases/${B}/plan`),
    read('counselorB', `/cases/${B}/ledger`),
    read('robin', '/me/assignments', 2),
    read('robin', `/cases/${B}/ledger`),
    ...[
      ['jordan', A, 'jordan'],
      ['casey', A, 'casey'],
      ['robin', B, 'robin'],
    ].map(([actor, caseId, who]) => ({
      kind: 'submission',
      actor,
      method: 'POST',
      weight: 1,
      path: (state) => `/cases/${caseId}/occurrences/${state.nextHomework(who)}/submit`,
      expect: 200,
      body: () => ({ answers: { line: `A calm week ${randomBytes(3).toString('hex')}` } }),
    })),
    {
      kind: 'check-in',
      actor: 'jordan',
      method: 'POST',
      weight: 1,
      path: () => `/cases/${A}/ledger/check-ins`,
      body: () => ({ commitmentId: world.commitmentA, status: 'kept', occurredOn: day(0), note: 'Kept it today.' }),
    },
    {
      kind: 'check-in',
      actor: 'robin',
      method: 'POST',
      weight: 1,
      path: () => `/cases/${B}/ledger/check-ins`,
      body: () => ({ commitmentId: world.commitmentB, status: 'partly_kept', occurredOn: day(0) }),
    },
    ...[
      ['counselorA', A, world.jordanId],
      ['counselorB', B, world.robinId],
    ].map(([actor, caseId, clientId]) => ({
      kind: 'measure',
      actor,
      method: 'POST',
      weight: 1,
      path: () => `/cases/${caseId}/measure-administrations`,
      body: () => ({
        clientId,
        measureId: world.measure.id,
        version: world.measure.version,
        answers: world.measure.answers,
      }),
    })),
    ...[
      ['counselorA', A],
      ['counselorB', B],
    ].map(([actor, caseId]) => ({
      kind: 'report',
      actor,
      method: 'POST',
      weight: 0.5,
      path: () => '/reports',
      expect: 202,
      body: () => ({ kind: 'case', audience: 'care_team', period, caseId }),
    })),
  ];
}

/** A fixed, repeatable sequence of operations with the mix's weights (smooth weighted round robin). */
function schedule(ops, count) {
  const current = ops.map(() => 0);
  const total = ops.reduce((sum, op) => sum + op.weight, 0);
  const sequence = [];
  for (let n = 0; n < count; n += 1) {
    let best = 0;
    for (let index = 0; index < ops.length; index += 1) {
      current[index] += ops[index].weight;
      if (current[index] > current[best]) best = index;
    }
    current[best] -= total;
    sequence.push(ops[best]);
  }
  return sequence;
}

/** Words each actor must never receive. */
function forbiddenFor(canaries) {
  const clinicA = [canaries.clinicB];
  const clinicB = [canaries.clinicA, canaries.jordan, canaries.casey];
  return {
    counselorA: clinicA,
    supervisorA: clinicA,
    jordan: [...clinicA, canaries.casey],
    casey: [...clinicA, canaries.jordan],
    counselorB: clinicB,
    robin: clinicB,
  };
}

/**
 * Runs `sequence` at the fixed rate for `seconds` against both APIs at once: each
 * tick sends the same operation to both (which one first alternates), so a burst
 * from a neighbour on the box or a pause of this process hits both alike.
 */
async function runPaired(targets, sequence, offset, seconds, { forbidden, canaries, into }) {
  const interval = 1000 / REQUESTS_PER_SECOND;
  const count = Math.round(seconds * REQUESTS_PER_SECOND);
  const start = performance.now();
  const inflight = [];
  for (let n = 0; n < count; n += 1) {
    const due = start + n * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const op = sequence[(offset + n) % sequence.length];
    const order = n % 2 === 0 ? ['rls', 'norls'] : ['norls', 'rls'];
    const window = Math.floor((n * interval) / 1000 / WINDOW_SECONDS);
    for (const name of order) {
      inflight.push(
        send(targets[name], op, { forbidden, canaries, record: (sample) => into[name].push({ ...sample, window }) }),
      );
    }
  }
  await Promise.all(inflight);
  return (performance.now() - start) / 1000;
}

async function send(target, op, { forbidden, canaries, record }) {
  const path = op.path(target.state);
  const expected = op.expect ?? (op.method === 'GET' ? 200 : 201);
  const began = performance.now();
  let status = 0;
  let text = '';
  try {
    const response = await fetch(`${target.baseUrl}/api/v1${path}`, {
      method: op.method,
      headers: {
        authorization: `Bearer ${target.tokens[op.actor]}`,
        ...(op.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(op.body !== undefined && { body: JSON.stringify(op.body()) }),
      signal: AbortSignal.timeout(30_000),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    text = String(error);
  }
  const ms = performance.now() - began;
  const leaked = forbidden[op.actor].filter((word) => text.includes(word));
  const own = Object.values(canaries).filter((word) => text.includes(word) && !leaked.includes(word));
  record({
    op,
    path,
    status,
    ok: status === expected,
    ms,
    leaked,
    own,
    body: status === expected ? '' : text.slice(0, 300),
  });
}

/**
 * A 90% bootstrap interval of p95(a) / p95(b): each side resampled with
 * replacement 2,000 times (a seeded generator: the same samples give the same
 * interval); answers [5th percentile, 95th percentile] of the ratios.
 */
function bootstrapRatioInterval(a, b, resamples = 2_000) {
  let state = 0x2545f491;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const resampledP95 = (values) =>
    percentile(
      Array.from({ length: values.length }, () => values[Math.floor(random() * values.length)]),
      95,
    );
  const ratios = Array.from({ length: resamples }, () => resampledP95(a) / resampledP95(b)).sort((x, y) => x - y);
  return [ratios[Math.floor(resamples * 0.05)], ratios[Math.floor(resamples * 0.95)]];
}

/** The median (the mean of the two middle values of an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarise(samples) {
  const ms = samples.map((sample) => sample.ms);
  const byKind = {};
  for (const sample of samples) {
    byKind[sample.op.kind] ??= { requests: 0, errors: 0, ms: [] };
    byKind[sample.op.kind].requests += 1;
    byKind[sample.op.kind].ms.push(sample.ms);
    if (!sample.ok) byKind[sample.op.kind].errors += 1;
  }
  for (const kind of Object.values(byKind)) {
    kind.p50Ms = round(percentile(kind.ms, 50));
    kind.p95Ms = round(percentile(kind.ms, 95));
    delete kind.ms;
  }
  return {
    requests: samples.length,
    errors: samples.filter((sample) => !sample.ok).length,
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(Math.max(...ms)),
    byKind,
  };
}

async function main() {
  if (!existsSync(ctx.dist('apps/api/src/main.js'))) throw new Error('dist/ is missing: npm run build first');
  const started = Date.now();
  say(`database ${ctx.databaseName}: roles, migrations, demo clinic, clinic B, canaries, homework…`);
  const { urls, tokens, canaries, world } = await setUp();
  const copyUrl = await copyWithoutRls(urls);
  const apis = { rls: await startApi('rls-on', urls.runtimeUrl), norls: await startApi('rls-off', copyUrl) };
  say(
    `setup took ${Math.round((Date.now() - started) / 1000)} s; load: ${REQUESTS_PER_SECOND} req/s, ${LOAD_SECONDS} s per API`,
  );

  const ops = operations(world);
  const total = Math.round((LOAD_SECONDS + WARMUP_SECONDS) * REQUESTS_PER_SECOND);
  const sequence = schedule(ops, total);
  const forbidden = forbiddenFor(canaries);
  const targets = {};
  for (const [name, api] of Object.entries(apis)) {
    const queues = Object.fromEntries(Object.entries(world.homework).map(([who, ids]) => [who, [...ids]]));
    targets[name] = {
      name,
      baseUrl: api.baseUrl,
      tokens,
      samples: [],
      windows: [],
      state: {
        nextHomework: (who) => {
          const next = queues[who].shift();
          if (next === undefined) throw new Error(`no open homework left for ${who}`);
          return next;
        },
      },
    };
  }

  // Warm-up (JIT, pools, caches): not measured, but checked for errors and canaries like the rest.
  const warm = { rls: [], norls: [] };
  await runPaired(targets, sequence, 0, WARMUP_SECONDS, { forbidden, canaries, into: warm });
  const measured = { rls: [], norls: [] };
  const seconds = await runPaired(targets, sequence, WARMUP_SECONDS * REQUESTS_PER_SECOND, LOAD_SECONDS, {
    forbidden,
    canaries,
    into: measured,
  });
  for (const name of ['rls', 'norls']) {
    targets[name].samples = measured[name];
    targets[name].seconds = seconds;
    const windows = Math.ceil(LOAD_SECONDS / WINDOW_SECONDS);
    targets[name].windows = Array.from({ length: windows }, (_, index) =>
      summarise(measured[name].filter((sample) => sample.window === index)),
    );
  }

  for (const name of ['rls', 'norls']) {
    const target = targets[name];
    const all = [...warm[name], ...target.samples];
    const summary = summarise(target.samples);
    const label = name === 'rls' ? 'with RLS' : 'RLS-off copy';
    results.targets[name] = { ...summary, warmupRequests: warm[name].length, windows: target.windows };
    const errors = all.filter((sample) => !sample.ok);
    check(
      `${label}: 0 errors in ${all.length} requests (warm-up included)`,
      errors.length === 0,
      errors.length === 0
        ? undefined
        : `${JSON.stringify(summarise(errors).byKind)}: ` +
            errors
              .slice(0, 3)
              .map((e) => `${e.op.actor} ${e.op.method} ${e.path} → ${e.status} ${e.body}`)
              .join(' | '),
    );
    const leaks = all.filter((sample) => sample.leaked.length > 0);
    check(
      `${label}: 0 cross-clinic or cross-partner canaries in any response`,
      leaks.length === 0,
      leaks.length === 0
        ? undefined
        : leaks
            .slice(0, 3)
            .map((l) => `${l.op.actor} ${l.path}: ${l.leaked}`)
            .join(' | '),
    );
    results.targets[name].leaks = leaks.length;
    const seen = new Set(all.flatMap((sample) => sample.own));
    check(
      `${label}: the canaries were seen where they belong (the scan works)`,
      Object.values(canaries).every((word) => seen.has(word)),
      `${seen.size} of ${Object.keys(canaries).length}`,
    );
    const rate = target.samples.length / target.seconds;
    results.targets[name].achievedRate = round(rate);
    check(
      `${label}: the fixed rate was held (${REQUESTS_PER_SECOND} req/s)`,
      rate >= REQUESTS_PER_SECOND * 0.95,
      `${round(rate)} req/s over ${round(target.seconds)} s`,
    );
    say(
      `${label}: ${summary.requests} requests, p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms`,
    );
  }
  const ratio = results.targets.rls.p95Ms / results.targets.norls.p95Ms;
  const pairRatios = targets.rls.windows.map((w, index) => w.p95Ms / targets.norls.windows[index].p95Ms);
  results.p95RatioPerWindow = pairRatios.map(round);
  results.p95Ratio = round(ratio);
  results.p95RatioMedianOfWindows = round(median(pairRatios));
  const interval = bootstrapRatioInterval(
    targets.rls.samples.map((sample) => sample.ms),
    targets.norls.samples.map((sample) => sample.ms),
  );
  results.p95RatioInterval90 = interval.map(round);
  check(
    `p95 with RLS within 10% of the RLS-off copy (not above 1.10 with 95% confidence)`,
    interval[0] <= P95_TOLERANCE,
    `whole run ${results.targets.rls.p95Ms} vs ${results.targets.norls.p95Ms} ms, ratio ${round(ratio)}, ` +
      `90% interval ${results.p95RatioInterval90.join('–')}; 10 s windows: ${results.p95RatioPerWindow.join(', ')} ` +
      `(median ${results.p95RatioMedianOfWindows})`,
  );
  results.settings = {
    requestsPerSecond: REQUESTS_PER_SECOND,
    loadSecondsPerApi: LOAD_SECONDS,
    windowSeconds: WINDOW_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    mix: Object.fromEntries(
      [...new Set(ops.map((op) => op.kind))].map((kind) => [
        kind,
        round(
          ops.filter((op) => op.kind === kind).reduce((s, op) => s + op.weight, 0) /
            ops.reduce((s, op) => s + op.weight, 0),
        ),
      ]),
    ),
    actors: Object.keys(tokens),
  };
  results.tookSeconds = Math.round((Date.now() - started) / 1000);
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  check('the soak ran', false, error.stack ?? String(error));
  ctx.keepLogs();
} finally {
  await ctx.cleanup();
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(
    join(root, 'test-results', 'soak.json'),
    `${JSON.stringify({ passed, failed, ...results }, null, 2)}\n`,
  );
  if (failed > 0) exitCode = 1;
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exit(exitCode);
}
