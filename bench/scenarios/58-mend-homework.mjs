import { randomUUID } from 'node:crypto';

import { httpRows, measureHttp } from '../lib/http-load.mjs';
import { apiRequest, signedInCounselor } from '../lib/mend-staff.mjs';
import { percentile } from '../lib/stats.mjs';

/**
 * Homework (issue 5), as ratios of the raw `pg` primary-key select:
 *
 * 1. The client portal's "today": GET /api/v1/me/assignments — everything open
 *    for one client across their cases, with their drafts (12 open occurrences:
 *    shared, reveal and recurring items, half with a saved draft, two overdue),
 *    one SQL query plus the unit of work, RLS and the session check, 50
 *    connections. Target: >= 0.30 of the baseline's requests/s, p99 <= 40 ms.
 * 2. Submit-answer: PUT a draft, then POST the submission of the same
 *    occurrence (validation against the pinned schema, answers encrypted, the
 *    immutability trigger, status change, audit rows, the safety-scan outbox
 *    row), 8 concurrent writers: pairs/s and the pair's latency.
 *
 * Everything is made through the API as in production: a counselor (invited,
 * TOTP enrolled) creates the clients with portal invitations, the couple case
 * and the assignments; the clients accept and sign in.
 */
export const scenario = {
  name: 'mend-homework',
  description: 'GET /api/v1/me/assignments (a client\'s "today", 50 connections); draft + submit (8 writers)',
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const { builtInExercise } = await ctx.importDist('libs/homework/src/index.js');
    const world = await homeworkWorld(ctx, api.baseUrl);

    const today = await measureHttp(`${api.baseUrl}/api/v1/me/assignments`, {
      connections: ctx.settings.connections,
      serverPid: api.child.pid,
      durationSec: ctx.settings.httpDurationSec,
      warmupSec: ctx.settings.warmupSec,
      setupRequest: (request) => ({
        ...request,
        headers: { ...request.headers, authorization: `Bearer ${world.todayToken}` },
      }),
    });
    const rows = httpRows(today, 'fastify-pg-select').map((row) => ({ ...row, metric: `today_${row.metric}` }));

    // Draft + submit, each occurrence once (the submitter's 2 x 366 open daily occurrences).
    const answers = sampleAnswers(builtInExercise('E07'));
    const open = await apiRequest(api.baseUrl, 'GET', '/me/assignments', undefined, world.submitterToken);
    const queue = open.occurrences.map((occurrence) => occurrence.id);
    const pairs = Math.min(queue.length, ctx.quick ? 200 : 700);
    const latencies = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < pairs) {
          const occurrenceId = queue[next];
          next += 1;
          const t0 = performance.now();
          const path = `/cases/${world.caseId}/occurrences/${occurrenceId}`;
          await apiRequest(api.baseUrl, 'PUT', `${path}/draft`, { version: 0, answers: {} }, world.submitterToken);
          await apiRequest(api.baseUrl, 'POST', `${path}/submit`, { version: 1, answers }, world.submitterToken);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    rows.push(
      {
        metric: 'draft_submit_per_s',
        value: latencies.length / seconds,
        unit: 'pairs/s',
        better: 'higher',
        compareWith: { scenario: 'fastify-pg-select', metric: 'requests_per_s' },
        note: `PUT draft + POST submit, 8 writers, ${latencies.length} occurrences`,
      },
      {
        metric: 'draft_submit_p99',
        value: percentile(latencies, 99),
        unit: 'ms',
        better: 'lower',
        compareWith: { scenario: 'fastify-pg-select', metric: 'latency_p99' },
      },
    );
    return rows;
  },
};

/** A valid value for each field (synthetic), as the e2e fixtures make them. */
function sampleAnswers(exercise) {
  const value = (field) => {
    switch (field.type) {
      case 'text':
        return 'Synthetic bench answer. '
          .repeat(Math.max(1, Math.ceil((field.minLength ?? 1) / 24)))
          .slice(0, field.maxLength);
      case 'rating_0_10':
        return 5;
      case 'likert_1_5':
        return 3;
      case 'checklist':
        return { selected: field.options.slice(0, Math.max(1, field.minSelected ?? 1)).map((option) => option.value) };
      case 'select':
        return field.options[0].value;
      case 'bool':
        return true;
      case 'date':
        return '2026-06-01';
      case 'datetime':
        return '2026-06-01T10:00:00Z';
      case 'time':
        return '10:00';
      default:
        return field.max !== undefined ? Math.min(field.min ?? 1, field.max) : (field.min ?? 1);
    }
  };
  const answers = {};
  for (const field of exercise.responseSchema.fields) {
    if (field.type === 'rows') {
      const row = Object.fromEntries(field.columns.map((column) => [column.key, value(column)]));
      answers[field.key] = Array.from({ length: Math.max(1, field.minRows ?? 1) }, () => ({ ...row }));
    } else {
      answers[field.key] = value(field);
    }
  }
  return answers;
}

const londonDay = (offsetDays) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

/** A counselor (invited, second factor enrolled), a couple case of two portal clients, their homework; the tokens. */
export async function homeworkWorld(ctx, baseUrl) {
  const { token } = await signedInCounselor(ctx, baseUrl, 'Homework');

  // Two portal clients: invited when created, the invitation accepted, signed in.
  const clients = [];
  for (const label of ['today', 'submitter']) {
    const clientEmail = `bench-homework-${label}-${ctx.runId}@bench.mend.example`;
    const created = await apiRequest(
      baseUrl,
      'POST',
      '/clients',
      { displayName: `Bench Homework ${label}`, email: clientEmail, timezone: 'Europe/London', invite: true },
      token,
    );
    const clientPassword = `bench-${randomUUID()}`;
    await apiRequest(baseUrl, 'POST', '/invitations/accept', {
      token: new URL(created.invitation.link).searchParams.get('token'),
      password: clientPassword,
    });
    const signedIn = await apiRequest(baseUrl, 'POST', '/auth/login', { email: clientEmail, password: clientPassword });
    clients.push({ id: created.id, token: signedIn.accessToken });
  }
  const [todayClient, submitter] = clients;
  const created = await apiRequest(
    baseUrl,
    'POST',
    '/cases',
    {
      type: 'couple',
      title: 'Bench homework couple',
      participants: [
        { clientId: todayClient.id, role: 'harmed' },
        { clientId: submitter.id, role: 'harming' },
      ],
    },
    token,
  );
  const caseId = created.id;
  const assign = (body) => apiRequest(baseUrl, 'POST', `/cases/${caseId}/assignments`, body, token);

  // The "today" client: 12 open occurrences (shared and reveal, once and recurring, 2 overdue), 6 with a draft.
  const mine = [];
  for (const key of ['E07', 'E11', 'E18', 'E20', 'E07', 'E11', 'E07', 'E11']) {
    const assignment = await assign({
      exerciseRef: key,
      recipients: [
        {
          clientId: todayClient.id,
          ...(key === 'E18' && { part: 'listener' }),
          ...(key === 'E20' && { part: 'asker' }),
        },
      ],
      schedule: { kind: 'once', dueOn: londonDay(3) },
    });
    mine.push(...assignment.occurrences);
  }
  const reveal = await assign({
    exerciseRef: 'E08',
    recipients: [{ clientId: todayClient.id }, { clientId: submitter.id }],
    schedule: { kind: 'once', dueOn: londonDay(2) },
  });
  mine.push(...reveal.occurrences.filter((occurrence) => occurrence.clientId === todayClient.id));
  // A daily check-in that started three days ago: two overdue days and today's.
  const daily = await assign({
    exerciseRef: 'E07',
    recipients: [{ clientId: todayClient.id }],
    schedule: { kind: 'recurring', frequency: 'daily', startsOn: londonDay(-2), count: 10 },
  });
  mine.push(...daily.occurrences.filter((occurrence) => occurrence.opensOn <= londonDay(0)));
  for (const occurrence of mine.slice(0, 6)) {
    await apiRequest(
      baseUrl,
      'PUT',
      `/cases/${caseId}/occurrences/${occurrence.id}/draft`,
      { version: 0, answers: {} },
      todayClient.token,
    );
  }
  const check = await apiRequest(baseUrl, 'GET', '/me/assignments', undefined, todayClient.token);
  if (check.occurrences.length !== 12) throw new Error(`"today" lists ${check.occurrences.length} items, not 12`);

  // The submitter: two daily assignments over the past year (732 open occurrences to draft and submit).
  for (let index = 0; index < 2; index += 1) {
    await assign({
      exerciseRef: 'E07',
      recipients: [{ clientId: submitter.id }],
      schedule: { kind: 'recurring', frequency: 'daily', startsOn: londonDay(-365), count: 366 },
    });
  }
  return {
    caseId,
    todayToken: todayClient.token,
    submitterToken: submitter.token,
  };
}
