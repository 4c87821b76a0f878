import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';
import { apiRequest } from '../lib/mend-staff.mjs';
import { scaleData, scaleQuery, signInScaleClients } from '../lib/scale-data.mjs';
import { percentile } from '../lib/stats.mjs';
import { rawSelectAlongside } from './11-fastify-pg-select.mjs';

const TODAY_CLIENTS = 8;

/**
 * Homework (issue 5), as ratios of the raw `pg` primary-key select, on the
 * generated clinic (bench/lib/scale-data.mjs: one weekly E07 per case, paired
 * for couples; past occurrences completed or overdue, the current and the next
 * week open):
 *
 * 1. The client portal's "today": GET /api/v1/me/assignments — everything open
 *    for a client across their cases, with their drafts (their overdue weeks and
 *    the current and next week's), two small queries plus the unit of work, RLS
 *    and the session check, 50 connections rotating over 8 generated clients of
 *    active cases opened at the start of the history. Target: >= 0.30 of the
 *    baseline's requests/s, p99 <= 40 ms.
 * 2. Submit-answer: PUT a draft, then POST the submission of the same generated
 *    open (overdue or current) occurrence (validation against the pinned schema,
 *    answers encrypted, the immutability trigger, status change, audit rows, the
 *    safety-scan outbox row), 8 concurrent writers, each occurrence once, signed
 *    in as its client: pairs/s and the pair's latency.
 */
export const scenario = {
  name: 'mend-homework',
  description:
    'GET /api/v1/me/assignments (generated clients\' "today", 50 connections); draft + submit of generated occurrences (8 writers)',
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const { builtInExercise } = await ctx.importDist('libs/homework/src/index.js');
    const data = await scaleData(ctx);
    const { tokens: todayTokens, note } = await todayClients(ctx, api.baseUrl);
    let nextToday = 0;

    const raw = await rawSelectAlongside(ctx);
    const today = await measureHttp(`${api.baseUrl}/api/v1/me/assignments`, {
      ...httpLoadSettings(ctx),
      serverPid: api.child.pid,
      setupRequest: (request) => {
        const token = todayTokens[nextToday % todayTokens.length];
        nextToday += 1;
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
      },
    });
    const rows = httpRows(today, 'fastify-pg-select', raw).map((row) => ({
      ...row,
      metric: `today_${row.metric}`,
      ...(row.metric === 'requests_per_s' && { note }),
    }));

    // Draft + submit, each generated open occurrence once, as its client (other clients than "today"'s).
    const answers = sampleAnswers(builtInExercise('E07'));
    const queue = await openOccurrences(ctx, api.baseUrl, data, ctx.quick ? 100 : 700);
    const pairs = queue.length;
    const latencies = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < pairs) {
          const { caseId, occurrenceId, token } = queue[next];
          next += 1;
          const t0 = performance.now();
          const path = `/cases/${caseId}/occurrences/${occurrenceId}`;
          await apiRequest(api.baseUrl, 'PUT', `${path}/draft`, { version: 0, answers: {} }, token);
          await apiRequest(api.baseUrl, 'POST', `${path}/submit`, { version: 1, answers }, token);
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
        note: `PUT draft + POST submit, 8 writers, ${latencies.length} generated occurrences`,
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

/** The generated clients whose "today" is loaded: clients of active cases opened at the start of the history. */
function todayClientRows(ctx, data) {
  return scaleQuery(
    ctx,
    `select c.id, u.email,
            (select count(*)::int from assignment_occurrences o
               join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id and a.status = 'active'
              where o.clinic_id = c.clinic_id and o.client_id = c.id
                and o.status in ('assigned', 'in_progress', 'overdue')
                and o.opens_on <= (now() at time zone 'UTC')::date) as listed
       from clients c
       join case_participants p on p.clinic_id = c.clinic_id and p.client_id = c.id
       join cases k on k.clinic_id = p.clinic_id and k.id = p.case_id and k.status = 'active'
       join memberships m on m.clinic_id = c.clinic_id and m.id = c.membership_id
       join users u on u.id = m.user_id
      where c.clinic_id = $1
      order by k.created_at, c.id limit $2`,
    [data.clinicId, TODAY_CLIENTS],
  );
}

/** "Today"'s clients signed in: their tokens and a note on what their lists hold. */
export async function todayClients(ctx, baseUrl) {
  const data = await scaleData(ctx);
  const clients = await todayClientRows(ctx, data);
  if (clients.length < TODAY_CLIENTS) throw new Error('the generated clinic has too few clients in active cases');
  const tokens = await signInScaleClients(
    baseUrl,
    data,
    clients.map((client) => client.email),
  );
  const check = await apiRequest(baseUrl, 'GET', '/me/assignments', undefined, tokens[0]);
  if (check.occurrences.length !== clients[0].listed) {
    throw new Error(`"today" lists ${check.occurrences.length} items, not the ${clients[0].listed} generated`);
  }
  const listed = clients.map((client) => client.listed);
  return {
    tokens,
    note: `${TODAY_CLIENTS} generated clients, ${Math.min(...listed)}–${Math.max(...listed)} open items each`,
  };
}

/**
 * `count` answerable generated occurrences (open or overdue, already open, nothing saved yet) of clients other
 * than "today"'s, the clients with the most first (fewest sign-ins), each client signed in: case, occurrence,
 * token.
 */
async function openOccurrences(ctx, baseUrl, data, count) {
  const exclude = (await todayClientRows(ctx, data)).map((client) => client.id);
  const rows = await scaleQuery(
    ctx,
    `with answerable as (
       select o.client_id, o.case_id, o.id from assignment_occurrences o
        where o.clinic_id = $1 and o.status in ('assigned', 'overdue') and o.opens_on <= (now() at time zone 'UTC')::date
          and o.client_id <> all($2::uuid[])
          and not exists (select 1 from submissions s where s.clinic_id = o.clinic_id and s.occurrence_id = o.id)),
     ranked as (
       select a.*, count(*) over (partition by a.client_id) as per_client from answerable a)
     select r.client_id, r.case_id, r.id, u.email from ranked r
       join clients c on c.clinic_id = $1 and c.id = r.client_id
       join memberships m on m.clinic_id = c.clinic_id and m.id = c.membership_id
       join users u on u.id = m.user_id
      order by r.per_client desc, r.client_id, r.id limit $3`,
    [data.clinicId, exclude, count],
  );
  if (rows.length < count)
    throw new Error(`the generated clinic has ${rows.length} answerable occurrences, not ${count}`);
  const emails = [...new Set(rows.map((row) => row.email))];
  const tokens = await signInScaleClients(baseUrl, data, emails);
  const tokenOf = new Map(emails.map((email, index) => [email, tokens[index]]));
  return rows.map((row) => ({ caseId: row.case_id, occurrenceId: row.id, token: tokenOf.get(row.email) }));
}
