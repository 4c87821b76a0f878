import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';
import { apiRequest } from '../lib/mend-staff.mjs';
import { benchMasterKey, longCoupleCases, scaleData, scaleQuery, signInScaleStaff } from '../lib/scale-data.mjs';
import { percentile } from '../lib/stats.mjs';
import { rawSelectAlongside } from './11-fastify-pg-select.mjs';

/** About the size of a real SOAP note: four sections of ~600 characters (the notes this scenario writes). */
const SECTION = 'Synthetic clinical text. '.repeat(24);

/**
 * Progress notes (issue 8), as ratios of the raw `pg` primary-key select, on a
 * generated couple case (bench/lib/scale-data.mjs) open for the whole history:
 *
 * 1. GET /api/v1/cases/:id/notes — the case's generated progress notes (one per
 *    completed fortnightly session, about 9 in 10 signed, template `free`),
 *    every body decrypted (AES-256-GCM, per-clinic data key, AAD-bound), as its
 *    primary counselor (TOTP second factor), 50 connections.
 * 2. Save + sign — POST a SOAP draft (~2.4 kB) then POST its signature (two
 *    requests, each a unit of work with an encryption, audit rows and the
 *    immutability trigger) in another active case of the same counselor, 8
 *    concurrent writers: pairs/s and the pair's latency.
 * 3. What encryption adds to the list: the same decryptions in this process
 *    (the built envelope code on the listed notes' own ciphertexts, the clinic's
 *    data key unwrapped once, as the API caches it) timed 2,000 times, their p99
 *    against the list's p99 over HTTP. Target: ≤ 20 %. Method: the API has no
 *    "skip decryption" switch (it would be a way to serve ciphertext), so the
 *    cost is measured on the exact code path instead of by a second build.
 */
export const scenario = {
  name: 'mend-notes',
  description: `GET a generated case's encrypted notes (50 connections); save + sign a note (8 writers); decryption share`,
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    const data = await scaleData(ctx);
    const { token, caseId, writeCase } = await counselorWithCases(ctx, api.baseUrl, data);
    const listed = await apiRequest(api.baseUrl, 'GET', `/cases/${caseId}/notes`, undefined, token);
    const notes = listed.notes?.length ?? 0;
    if (!(notes > 0)) throw new Error('the generated case lists no progress note');

    const raw = await rawSelectAlongside(ctx);
    const list = await measureHttp(`${api.baseUrl}/api/v1/cases/${caseId}/notes`, {
      ...httpLoadSettings(ctx),
      serverPid: api.child.pid,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    });
    const rows = httpRows(list, 'fastify-pg-select', raw).map((row) => ({
      ...row,
      metric: `list_${row.metric}`,
      ...(row.metric === 'requests_per_s' && { note: `${notes} notes, bodies decrypted` }),
    }));

    // Save + sign, in another case so the list above keeps its notes.
    const pairs = ctx.quick ? 100 : 1_000;
    const latencies = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < pairs) {
          next += 1;
          const t0 = performance.now();
          await saveAndSign(api.baseUrl, token, writeCase);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    rows.push(
      {
        metric: 'save_sign_per_s',
        value: latencies.length / seconds,
        unit: 'pairs/s',
        better: 'higher',
        compareWith: { scenario: 'fastify-pg-select', metric: 'requests_per_s' },
        note: 'POST note + POST signature, 8 writers',
      },
      {
        metric: 'save_sign_p99',
        value: percentile(latencies, 99),
        unit: 'ms',
        better: 'lower',
        compareWith: { scenario: 'fastify-pg-select', metric: 'latency_p99' },
      },
    );

    // The decryption a list request does, on the built code and the listed notes' ciphertexts, key cached.
    const { EnvelopeEncryption, fieldAad } = await ctx.importDist('libs/core/src/index.js');
    const envelope = new EnvelopeEncryption({
      id: process.env.MASTER_KEY_ID || 'k1',
      key: Buffer.from(benchMasterKey(ctx), 'base64'),
    });
    const sealed = await scaleQuery(
      ctx,
      `select n.id, n.body, k.version, k.wrapped_key from progress_notes n
         join clinic_data_keys k on k.clinic_id = n.clinic_id and k.version = n.key_version
        where n.clinic_id = $1 and n.case_id = $2`,
      [data.clinicId, caseId],
    );
    const key = envelope.unwrapDataKey(`${data.clinicId}~${sealed[0].version}`, sealed[0].wrapped_key);
    const aads = sealed.map((note) =>
      fieldAad(data.clinicId, { table: 'progress_notes', rowId: note.id, column: 'body' }),
    );
    const batches = [];
    for (let round = 0; round < 2_000; round += 1) {
      const t0 = performance.now();
      for (let index = 0; index < sealed.length; index += 1) envelope.decrypt(key, sealed[index].body, aads[index]);
      batches.push(performance.now() - t0);
    }
    const decryptP99 = percentile(batches, 99);
    rows.push(
      {
        metric: 'decrypt_list_p99',
        value: decryptP99,
        unit: 'ms',
        better: 'lower',
        note: `${sealed.length} note bodies in-process, key cached`,
      },
      {
        metric: 'decrypt_share_of_list_p99',
        value: (100 * decryptP99) / list.latencyP99Ms,
        unit: '%',
        better: 'lower',
        note: 'target <= 20 %',
      },
    );
    return rows;
  },
};

async function saveAndSign(baseUrl, token, caseId) {
  const note = await apiRequest(
    baseUrl,
    'POST',
    `/cases/${caseId}/notes`,
    { template: 'soap', body: { subjective: SECTION, objective: SECTION, assessment: SECTION, plan: SECTION } },
    token,
  );
  await apiRequest(baseUrl, 'POST', `/cases/${caseId}/notes/${note.id}/signature`, undefined, token);
}

/**
 * A generated long-running couple case (another than the timeline's and the safety scenario's), its primary
 * counselor signed in with their second factor, and another active case of theirs to write notes in.
 */
async function counselorWithCases(ctx, baseUrl, data) {
  const [chosen] = await longCoupleCases(ctx, data, { offset: 2 });
  if (chosen === undefined) throw new Error('the generated clinic has too few active couple cases');
  const [other] = await scaleQuery(
    ctx,
    `select k.id from cases k join case_care_team t on t.clinic_id = k.clinic_id and t.case_id = k.id and t.is_primary
      where k.clinic_id = $1 and t.membership_id = $2 and k.status = 'active' and k.id <> $3
      order by k.created_at desc, k.id limit 1`,
    [data.clinicId, chosen.counselor_membership_id, chosen.case_id],
  );
  if (other === undefined) throw new Error('the counselor of the notes case has no other active case');
  const token = await signInScaleStaff(ctx, baseUrl, data, chosen.counselor_email);
  return { token, caseId: chosen.case_id, writeCase: other.id };
}
