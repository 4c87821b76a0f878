import { createLogger } from '@mend/core';
import { connectAs, testConfig } from '@mend/testing';

import { DEMO_CLINIC_ID, seedDemoCommand } from '../../../apps/cli/src/commands/clinic.commands.js';
import { DEMO_CASE_ID, DEMO_CLIENT_IDS } from '../../../apps/cli/src/commands/demo-cases.js';

/** seed:demo's clients and couple case: linked to the portal members, idempotent. */
describe('seed:demo clients, couple case, repair work and homework', () => {
  it('seeds the couple case once, with both partners, the primary counselor and an unsigned policy', async () => {
    const run = () =>
      seedDemoCommand.run({
        config: testConfig(),
        logger: createLogger('silent', 'test'),
        options: { password: 'synthetic-demo-passphrase-2026' },
        print: () => undefined,
      });
    expect(await run()).toBe(0);
    expect(await run()).toBe(0);
    const admin = await connectAs('admin');
    try {
      const clients = await admin.query<{ id: string; linked: boolean }>(
        'select id, membership_id is not null as linked from clients where clinic_id = $1 order by id',
        [DEMO_CLINIC_ID],
      );
      expect(clients.rows).toEqual([
        { id: DEMO_CLIENT_IDS.client1, linked: true },
        { id: DEMO_CLIENT_IDS.client2, linked: true },
      ]);
      const participants = await admin.query<{ client_id: string; role: string }>(
        'select client_id, role from case_participants where clinic_id = $1 and case_id = $2 order by role',
        [DEMO_CLINIC_ID, DEMO_CASE_ID],
      );
      expect(participants.rows).toEqual([
        { client_id: DEMO_CLIENT_IDS.client1, role: 'harmed' },
        { client_id: DEMO_CLIENT_IDS.client2, role: 'harming' },
      ]);
      const [row] = (
        await admin.query<{ status: string; version: number; team: number; changes: number }>(
          `select k.status, k.secrets_policy_version as version,
                  (select count(*)::int from case_care_team t where t.clinic_id = k.clinic_id and t.case_id = k.id and t.is_primary) as team,
                  (select count(*)::int from case_status_changes s where s.clinic_id = k.clinic_id and s.case_id = k.id) as changes
             from cases k where k.clinic_id = $1 and k.id = $2`,
          [DEMO_CLINIC_ID, DEMO_CASE_ID],
        )
      ).rows;
      expect(row).toEqual({ status: 'active', version: 1, team: 1, changes: 2 });
      // The repair work: a plan in P1 (written once, however often the seed runs), three weeks of
      // ledger entries by both partners with confirmations and one dispute, and a completed boundary event.
      const [work] = (
        await admin.query<{
          phase: string;
          revision: number;
          commitments: number;
          casey: number;
          jordan: number;
          disputes: number;
          confirmations: number;
          events: number;
        }>(
          `select p.phase, p.current_revision as revision,
                  jsonb_array_length(r.document -> 'commitments') as commitments,
                  (select count(*)::int from commitment_check_ins c
                    where c.clinic_id = p.clinic_id and c.case_id = p.case_id and c.participant_client_id = $3) as casey,
                  (select count(*)::int from commitment_check_ins c
                    where c.clinic_id = p.clinic_id and c.case_id = p.case_id and c.participant_client_id = $4) as jordan,
                  (select count(*)::int from commitment_check_in_responses x
                    where x.clinic_id = p.clinic_id and x.case_id = p.case_id and x.response = 'disputed') as disputes,
                  (select count(*)::int from commitment_check_in_responses x
                    where x.clinic_id = p.clinic_id and x.case_id = p.case_id and x.response = 'confirmed') as confirmations,
                  (select count(*)::int from boundary_events b
                    where b.clinic_id = p.clinic_id and b.case_id = p.case_id and b.completed_at is not null) as events
             from repair_plans p
             join repair_plan_revisions r on r.clinic_id = p.clinic_id and r.case_id = p.case_id and r.revision = p.current_revision
            where p.clinic_id = $1 and p.case_id = $2`,
          [DEMO_CLINIC_ID, DEMO_CASE_ID, DEMO_CLIENT_IDS.client2, DEMO_CLIENT_IDS.client1],
        )
      ).rows;
      expect(work).toEqual({
        phase: 'P1',
        revision: 1,
        commitments: 2,
        casey: 20,
        jordan: 10,
        disputes: 1,
        confirmations: 5,
        events: 1,
      });
      // Reminders (issue 7): clinic defaults, a delivered reminder in each partner's and the counselor's
      // notification centre (unread), written once however often the seed runs.
      const reminders = await admin.query<{ kind: string; n: number }>(
        `select kind, count(*)::int as n from notifications
          where clinic_id = $1 and kind like 'reminder.%' and read_at is null group by kind order by kind`,
        [DEMO_CLINIC_ID],
      );
      expect(reminders.rows).toEqual([
        { kind: 'reminder.assignment_due_soon', n: 1 },
        { kind: 'reminder.check_in', n: 2 },
        { kind: 'reminder.note_unsigned', n: 1 },
      ]);
      const settings = await admin.query('select channels from clinic_reminder_settings where clinic_id = $1', [
        DEMO_CLINIC_ID,
      ]);
      expect(settings.rows).toEqual([{ channels: ['in_app', 'email'] }]);
      // Homework (written once through the services): four assignments, paired E07 weekly, E20 with parts,
      // an E08 reveal (both revealed), an E11 draft; answers encrypted at rest.
      const assignments = await admin.query<{
        exercise_ref: string;
        visibility: string;
        paired: boolean;
        occurrences: number;
      }>(
        `select a.exercise_ref, a.visibility, a.paired,
                (select count(*)::int from assignment_occurrences o where o.clinic_id = a.clinic_id and o.assignment_id = a.id) as occurrences
           from assignments a where a.clinic_id = $1 and a.case_id = $2 order by a.exercise_ref`,
        [DEMO_CLINIC_ID, DEMO_CASE_ID],
      );
      expect(assignments.rows).toEqual([
        { exercise_ref: 'E07', visibility: 'shared', paired: true, occurrences: 8 },
        { exercise_ref: 'E08', visibility: 'reveal', paired: true, occurrences: 2 },
        { exercise_ref: 'E11', visibility: 'shared', paired: false, occurrences: 1 },
        { exercise_ref: 'E20', visibility: 'shared', paired: true, occurrences: 2 },
      ]);
      const submissions = await admin.query<{
        exercise_ref: string;
        status: string;
        n: number;
        revealed: number;
        plain: number;
      }>(
        `select a.exercise_ref, s.status, count(*)::int as n, count(s.revealed_at)::int as revealed,
                count(*) filter (where s.answers like '%{%')::int as plain
           from submissions s
           join assignment_occurrences o on o.clinic_id = s.clinic_id and o.id = s.occurrence_id
           join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
          where s.clinic_id = $1 and s.case_id = $2
          group by a.exercise_ref, s.status order by a.exercise_ref, s.status`,
        [DEMO_CLINIC_ID, DEMO_CASE_ID],
      );
      expect(submissions.rows).toEqual([
        { exercise_ref: 'E07', status: 'submitted', n: 5, revealed: 0, plain: 0 },
        { exercise_ref: 'E08', status: 'submitted', n: 2, revealed: 2, plain: 0 },
        { exercise_ref: 'E11', status: 'draft', n: 1, revealed: 0, plain: 0 },
        { exercise_ref: 'E20', status: 'submitted', n: 2, revealed: 0, plain: 0 },
      ]);
      const [extras] = (
        await admin.query<{ pairs: number; parts: string; feedback: number; reveals: number; audited: number }>(
          `select (select count(distinct pair_id)::int from assignment_occurrences
                    where clinic_id = $1 and case_id = $2 and pair_id is not null) as pairs,
                  (select string_agg(part, ',' order by part) from assignment_occurrences
                    where clinic_id = $1 and case_id = $2 and part is not null) as parts,
                  (select count(*)::int from submission_feedback where clinic_id = $1 and case_id = $2) as feedback,
                  (select count(*)::int from disclosures where clinic_id = $1 and case_id = $2
                    and item_type = 'homework.reveal') as reveals,
                  (select count(*)::int from audit_events where clinic_id = $1 and action = 'homework.submit') as audited`,
          [DEMO_CLINIC_ID, DEMO_CASE_ID],
        )
      ).rows;
      expect(extras).toEqual({ pairs: 6, parts: 'asker,responder', feedback: 1, reveals: 2, audited: 9 });
    } finally {
      await admin.end();
    }
  });
});
