import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';
import { apiRequest } from '../lib/mend-staff.mjs';
import { scaleData, scaleQuery, signInScaleStaff } from '../lib/scale-data.mjs';
import { measureRawPage, rawSelectAlongside } from './11-fastify-pg-select.mjs';

/** The page size the caseload scenarios ask for. */
export const CASES = 50;

/**
 * GET /api/v1/cases?limit=50 — a counselor's caseload: the first 50 of a
 * generated counselor's cases (bench/lib/scale-data.mjs: about 60 primary cases
 * and a few as co-counselor each, at most 130, couple and individual, every
 * status and phase), each with its participants (names, roles, clinic labels,
 * signature of the current secrets policy), the care team with names, the plan
 * phase and the flags, visibility-filtered in one query, plus the unit of work,
 * RLS, the session check and the audit row. Against the raw `pg` primary-key
 * select: target ≥ 0.25 of its requests/s, p99 ≤ 50 ms at 50 connections.
 * The counselor signs in with a TOTP second factor (enrolled through the API on
 * the first sign-in), as staff do outside the demo.
 */
export const scenario = {
  name: 'mend-caseload',
  description: `GET /api/v1/cases?limit=${CASES} (the first ${CASES} of a generated counselor's cases: participants, care team, phase, flags), 50 connections`,
  baselines: ['fastify-pg-select'],
  quick: true,
  run: caseloadLoad('', { pageFloor: true }),
};

/**
 * The scenario's run for `GET /api/v1/cases?limit=50` plus `extraQuery` (e.g.
 * `&include=homework`): the caseload counselor's page under load, against the raw
 * select measured alongside; with `pageFloor`, also the page's floor (the raw
 * SELECT's server answering the same bytes, measureRawPage) and the caseload
 * against it — measured for the plain caseload only, which keeps the full run
 * under its 20 minutes.
 */
export function caseloadLoad(extraQuery, { pageFloor = false } = {}) {
  return async (ctx) => {
    const api = await ctx.mendApi();
    const { token, cases } = await caseloadCounselor(ctx, api.baseUrl);
    const url = `${api.baseUrl}/api/v1/cases?limit=${CASES}${extraQuery}`;
    const authorization = `Bearer ${token}`;
    const answer = await fetch(url, { headers: { authorization } });
    if (answer.status !== 200) throw new Error(`the caseload answered ${answer.status}`);
    const page = await answer.text();
    const raw = await rawSelectAlongside(ctx);
    const floor = pageFloor ? await measureRawPage(ctx, 'caseload', page) : undefined;
    const load = await measureHttp(url, {
      ...httpLoadSettings(ctx),
      serverPid: api.child.pid,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization } }),
    });
    const kilobytes = (Buffer.byteLength(page) / 1024).toFixed(1);
    const rows = httpRows(load, 'fastify-pg-select', raw).map((row) =>
      row.metric === 'requests_per_s'
        ? { ...row, note: `a counselor with ${cases} cases; ${kilobytes} KB per page` }
        : row,
    );
    if (floor === undefined) return rows;
    return [
      ...rows,
      {
        metric: 'page_floor_requests_per_s',
        value: floor.requestsPerSec,
        unit: 'req/s',
        better: 'higher',
        compareWith: {
          scenario: 'fastify-pg-select',
          metric: 'requests_per_s',
          ...(raw !== undefined && { value: raw.requestsPerSec, alongside: true }),
        },
        note: `reference: the raw SELECT's server answering this page's ${kilobytes} KB (bench/servers/fastify-pg-select.mjs with BENCH_PAGE_FILE): the ceiling of any route answering it on this box`,
        ...(floor.non2xx + floor.errors > 0 && { warning: `${floor.non2xx} non-2xx and ${floor.errors} failed` }),
      },
      {
        metric: 'requests_per_s_of_page_floor',
        value: load.requestsPerSec,
        unit: 'req/s',
        better: 'higher',
        compareWith: {
          scenario: 'fastify-pg-page',
          metric: 'requests_per_s',
          value: floor.requestsPerSec,
          alongside: true,
        },
        note: "the caseload's requests/s against its page floor measured alongside",
      },
    ];
  };
}

/** The generated counselor with the most cases, signed in with their second factor: token and case count. */
export async function caseloadCounselor(ctx, baseUrl) {
  const data = await scaleData(ctx);
  const [counselor] = await scaleQuery(
    ctx,
    `select u.email, count(*)::int as cases
       from case_care_team t
       join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id
       join users u on u.id = m.user_id
      where t.clinic_id = $1
      group by u.email order by count(*) desc, u.email limit 1`,
    [data.clinicId],
  );
  const token = await signInScaleStaff(ctx, baseUrl, data, counselor.email);
  const page = await apiRequest(baseUrl, 'GET', `/cases?limit=${CASES}`, undefined, token);
  if (page.items?.length !== Math.min(CASES, counselor.cases)) {
    throw new Error(`the caseload lists ${page.items?.length} cases, not ${Math.min(CASES, counselor.cases)}`);
  }
  return { token, cases: counselor.cases };
}
