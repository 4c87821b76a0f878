import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';
import { apiRequest } from '../lib/mend-staff.mjs';
import { longCoupleCases, scaleData, scaleQuery, signInScaleStaff } from '../lib/scale-data.mjs';
import { rawSelectAlongside } from './11-fastify-pg-select.mjs';

/**
 * GET /api/v1/cases/:caseId/timeline — the merged, viewer-filtered timeline of a
 * generated couple case (bench/lib/scale-data.mjs) open for the whole history
 * (12 months in a full run), as its primary counselor sees it (first page,
 * default limit): status changes, plan revisions, phase changes and daily
 * ledger check-ins of both partners since the move to P1. The counselor signs
 * in with a TOTP second factor. Against the raw `pg` primary-key select; no
 * target yet (issue 4 asks for the figure).
 */
export const scenario = {
  name: 'mend-timeline',
  description: 'GET /api/v1/cases/:caseId/timeline (a generated couple case with the whole history), 50 connections',
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const { caseId, token, note } = await timelineCase(ctx, api.baseUrl);
    const raw = await rawSelectAlongside(ctx);
    const load = await measureHttp(`${api.baseUrl}/api/v1/cases/${caseId}/timeline`, {
      ...httpLoadSettings(ctx),
      serverPid: api.child.pid,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    });
    return httpRows(load, 'fastify-pg-select', raw).map((row) =>
      row.metric === 'requests_per_s' ? { ...row, note } : row,
    );
  },
};

/** The most advanced long-running couple case of the generated clinic and its primary counselor's token. */
async function timelineCase(ctx, baseUrl) {
  const data = await scaleData(ctx);
  const [chosen] = await longCoupleCases(ctx, data);
  if (chosen === undefined) throw new Error('the generated clinic has no active couple case');
  const token = await signInScaleStaff(ctx, baseUrl, data, chosen.counselor_email);
  const [counts] = await scaleQuery(
    ctx,
    `select (select count(*)::int from commitment_check_ins where clinic_id = $1 and case_id = $2) as check_ins,
            (select phase from repair_plans where clinic_id = $1 and case_id = $2) as phase`,
    [data.clinicId, chosen.case_id],
  );
  const body = await apiRequest(baseUrl, 'GET', `/cases/${chosen.case_id}/timeline`, undefined, token);
  if (!Array.isArray(body.entries) || body.entries.length === 0) throw new Error('the timeline listed no entry');
  return {
    caseId: chosen.case_id,
    token,
    note: `a ${data.months}-month couple case in ${counts.phase}, ${counts.check_ins} ledger check-ins; first page ${body.entries.length} entries`,
  };
}

/** For ad-hoc profiling: the request this scenario loads. */
export async function prepare(ctx, baseUrl) {
  const { caseId, token } = await timelineCase(ctx, baseUrl);
  return { url: `${baseUrl}/api/v1/cases/${caseId}/timeline`, headers: { authorization: `Bearer ${token}` } };
}
