import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reminder_claim` with the function body of migration 1764547200000, except
 * for the generation it claims a reminder under (`generation`: its expression).
 */
function claimFunction(generation: string): string {
  return `
      create or replace function reminder_claim(batch_size integer, lease_seconds integer)
        returns table (id uuid, clinic_id uuid, generation integer, claims integer, fire_at timestamptz)
        language sql volatile security definer
        set search_path = public, pg_temp
        as $$
          with due as (
            select r.clinic_id, r.id from reminders r
             where r.status = 'pending' and r.fire_at <= now()
             order by r.fire_at
             limit least(greatest(batch_size, 1), 5000)
             for update skip locked
          ), lapsed as (
            select r.clinic_id, r.id from reminders r
             where r.status = 'queued' and r.claimed_until < now()
             order by r.claimed_until
             limit least(greatest(batch_size, 1), 5000)
             for update skip locked
          )
          update reminders o
             set status = 'queued',
                 generation = ${generation},
                 claim_token = gen_random_uuid(),
                 claimed_at = now(),
                 claimed_until = now() + make_interval(secs => least(greatest(lease_seconds, 5), 3600)),
                 claims = o.claims + 1,
                 job_id = 'reminder-' || o.id::text || '-' || (${generation})::text,
                 updated_at = now()
           where (o.clinic_id, o.id) in (select d.clinic_id, d.id from due d union all select l.clinic_id, l.id from lapsed l)
          returning o.id, o.clinic_id, o.generation, o.claims, o.fire_at
        $$;`;
}

/**
 * A reminder that goes back to `pending` after it was enqueued (deferred to
 * the end of quiet hours at delivery, released after a failed add, retried by
 * an admin after it failed) must be enqueued again under a new job id: BullMQ
 * keeps the job of the previous claim (completed jobs for a week, failed ones
 * too), and adding a job id it still stores is a no-op, so the reminder would
 * stay `queued` for ever. Each of those three paths bumped the generation
 * itself; now the claim does it, so no future path back to `pending` can
 * forget it: a `pending` row that carries a job id (it was enqueued before)
 * is claimed under the next generation. The reconciler's re-claim of a
 * `queued` row whose lease ran out keeps its generation — re-adding the same
 * id is what makes a second enqueue of a job still waiting a no-op.
 *
 * REVIEWED (sudo-level): the same function as before in every other respect —
 * claims up to batch_size due reminders of any clinic and re-claims lapsed
 * queued ones, FOR UPDATE SKIP LOCKED; returns ids, clinic ids, the generation
 * and times only. (In an UPDATE's SET list, `o.status` and `o.job_id` are the
 * row's values before the update.)
 */
export class ReminderClaimGeneration1764788000000 implements MigrationInterface {
  name = 'ReminderClaimGeneration1764788000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      claimFunction(
        `case when o.status = 'pending' and o.job_id is not null then o.generation + 1 else o.generation end`,
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(claimFunction('o.generation'));
  }
}
