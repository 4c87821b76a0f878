import { withClient } from '../lib/context.mjs';
import { httpRows, measureHttp } from '../lib/http-load.mjs';
import { counselorWithCaseload } from './54-mend-caseload.mjs';

/**
 * GET /api/v1/cases/:caseId/timeline — the merged, viewer-filtered timeline of a
 * case with one year of history, as its primary counselor sees it (first page,
 * default limit): status changes (through the API), 12 plan revisions and 3
 * phase changes, daily ledger check-ins for 2 commitments × 2 partners (1,460)
 * each answered by the other partner (1,460 responses), 24 boundary events and
 * 12 disclosures. The history is written with SQL inserts (generate_series) as
 * the owner role with the case's clinic set, so the setup takes seconds.
 * Against the raw `pg` primary-key select; no target yet (issue 4 asks for the
 * figure).
 */
export const scenario = {
  name: 'mend-timeline',
  description: 'GET /api/v1/cases/:caseId/timeline (a case with one year of entries), 50 connections',
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const { caseId, token } = await caseWithOneYear(ctx, api.baseUrl);
    const load = await measureHttp(`${api.baseUrl}/api/v1/cases/${caseId}/timeline`, {
      connections: ctx.settings.connections,
      serverPid: api.child.pid,
      durationSec: ctx.settings.httpDurationSec,
      warmupSec: ctx.settings.warmupSec,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    });
    return httpRows(load, 'fastify-pg-select');
  },
};

export async function caseWithOneYear(ctx, baseUrl) {
  // The caseload scenario's counselor and cases (shared when both run): take an active case.
  const { token } = await ctx.once('mend-caseload-counselor', async () => ({
    token: await counselorWithCaseload(ctx, baseUrl),
  }));
  const page = await (
    await fetch(`${baseUrl}/api/v1/cases?status=active&limit=1`, { headers: { authorization: `Bearer ${token}` } })
  ).json();
  const chosen = page.items?.[0];
  if (chosen === undefined) throw new Error('the bench counselor has no active case');
  const caseId = chosen.id;
  const [a, b] = chosen.participants.map((participant) => participant.clientId);
  const counselor = chosen.careTeam[0].membershipId;
  const urls = await ctx.mendDatabase();
  await withClient(urls.ownerUrl, async (client) => {
    await client.query('begin');
    // The clinic of the counselor's token (row-level security applies to the owner role too).
    const clinicId = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).cid;
    await client.query(`select set_config('app.clinic_id', $1, true)`, [clinicId]);
    const params = [clinicId, caseId, counselor, a, b];
    await client.query(
      `insert into repair_plans (clinic_id, case_id, current_revision, phase, phase_changed_at)
       values ($1, $2, 12, 'P3', now() - interval '30 days')`,
      params.slice(0, 2),
    );
    // Two commitments, one document per month.
    const commitments = (await client.query('select gen_random_uuid() as id from generate_series(1, 2)')).rows.map(
      (row) => row.id,
    );
    await client.query(
      `insert into repair_plan_revisions (clinic_id, case_id, revision, id, document, change_note, author_membership_id, created_at)
       select $1, $2, r, gen_random_uuid(),
              jsonb_build_object('commitments', jsonb_build_array(
                jsonb_build_object('id', $4::uuid, 'title', 'Synthetic commitment one'),
                jsonb_build_object('id', $5::uuid, 'title', 'Synthetic commitment two')), 'boundaries', '[]'::jsonb),
              'Synthetic revision ' || r, $3, now() - interval '365 days' + (r - 1) * interval '30 days'
         from generate_series(1, 12) r`,
      [clinicId, caseId, counselor, commitments[0], commitments[1]],
    );
    await client.query(
      `insert into repair_plan_phase_changes (clinic_id, id, case_id, from_phase, to_phase, reason, changed_at, changed_by_membership_id)
       select $1, gen_random_uuid(), $2, 'P' || (i - 1), 'P' || i, 'Synthetic reason', now() - (400 - i * 120) * interval '1 day', $3
         from generate_series(1, 3) i`,
      params.slice(0, 3),
    );
    await client.query(
      `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status, occurred_on,
                                         recorded_by_membership_id, recorded_by_kind, recorded_at)
       select $1, gen_random_uuid(), $2, c, p, (array['kept', 'partly_kept', 'missed'])[1 + (d % 3)],
              current_date - d, $3, 'care_team', now() - d * interval '1 day'
         from generate_series(1, 365) d, unnest($6::uuid[]) c, unnest(array[$4::uuid, $5::uuid]) p`,
      [...params, commitments],
    );
    await client.query(
      `insert into commitment_check_in_responses (clinic_id, id, case_id, check_in_id, responder_client_id,
                                                  responded_by_membership_id, response, responded_at)
       select $1, gen_random_uuid(), $2, i.id, case when i.participant_client_id = $4::uuid then $5::uuid else $4::uuid end,
              $3, case when random() < 0.9 then 'confirmed' else 'disputed' end, i.recorded_at + interval '1 hour'
         from commitment_check_ins i where i.clinic_id = $1 and i.case_id = $2`,
      params,
    );
    await client.query(
      `insert into boundary_events (clinic_id, id, case_id, boundary_id, occurred_at, severity, reported_by_membership_id,
                                    reported_by_kind, recorded_at)
       select $1, gen_random_uuid(), $2, gen_random_uuid(), now() - i * interval '15 days',
              (array['low', 'moderate', 'high'])[1 + (i % 3)], $3, 'care_team', now() - i * interval '15 days'
         from generate_series(1, 24) i`,
      params.slice(0, 3),
    );
    await client.query(
      `insert into disclosures (clinic_id, id, case_id, item_type, item_id, author_client_id, disclosed_by_membership_id,
                                mode, disclosed_at)
       select $1, gen_random_uuid(), $2, 'ledger.note', gen_random_uuid(), $4, $3, 'shared_by_care_team',
              now() - i * interval '30 days'
         from generate_series(1, 12) i`,
      params.slice(0, 4),
    );
    await client.query('commit');
    await client.query('analyze');
  });
  const check = await fetch(`${baseUrl}/api/v1/cases/${caseId}/timeline`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await check.json();
  if (check.status !== 200 || !Array.isArray(body.entries) || body.entries.length === 0) {
    throw new Error(`the timeline answered ${check.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return { caseId, token };
}

/** For ad-hoc profiling: the request this scenario loads. */
export async function prepare(ctx, baseUrl) {
  const { caseId, token } = await caseWithOneYear(ctx, baseUrl);
  return { url: `${baseUrl}/api/v1/cases/${caseId}/timeline`, headers: { authorization: `Bearer ${token}` } };
}
