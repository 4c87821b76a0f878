import { recordAudit } from '@mend/audit';
import type { TenantTransaction, UnitOfWork } from '@mend/core';
import { localDate } from '@mend/repair-plans';

import { changeOccurrenceStatus } from './assignment.service.js';

/** No timezone is ahead of UTC+14: a due date on or after that day there cannot have passed anywhere. */
const LATEST_ZONE = 'Etc/GMT-14';

/**
 * Records `overdue` on every occurrence of the clinic whose recipient's LOCAL day
 * (clients.timezone, else the clinic's) is past its due date, with a dated status
 * change by nobody (the system). Idempotent: an occurrence already overdue,
 * completed or cancelled is left alone. Returns how many moved.
 */
export async function markOverdueOccurrences(tx: TenantTransaction, now: Date): Promise<number> {
  const latestToday = localDate(now, LATEST_ZONE);
  const rows = await tx.query<{ id: string; due_on: string; timezone: string }>(
    `select o.id, o.due_on::text as due_on, coalesce(c.timezone, k.timezone, 'UTC') as timezone
       from assignment_occurrences o
       join clinics k on k.id = o.clinic_id
       left join clients c on c.clinic_id = o.clinic_id and c.id = o.client_id
      where o.clinic_id = $1 and o.status in ('assigned', 'in_progress') and o.due_on < $2::date
      for update of o skip locked`,
    [tx.clinicId, latestToday],
  );
  const lapsed = rows.filter((row) => localDate(now, row.timezone) > row.due_on).map((row) => row.id);
  if (lapsed.length === 0) return 0;
  await changeOccurrenceStatus(tx, lapsed, 'overdue', now, null);
  await recordAudit(tx, {
    action: 'homework.occurrence.overdue',
    targetType: 'clinic',
    targetId: tx.clinicId,
    actorUserId: null,
    actorMembershipId: null,
    metadata: { occurrences: lapsed.length },
  });
  return lapsed.length;
}

/** Clinics that may have lapsed occurrences (read without a tenant through a security-definer function). */
export async function clinicsWithLapsedOccurrences(unitOfWork: UnitOfWork, now: Date): Promise<string[]> {
  const rows = await unitOfWork.runWithoutClinic((tx) =>
    tx.query<{ clinic_id: string }>('select clinic_id from homework_clinics_with_lapsed_occurrences($1::date)', [
      localDate(now, LATEST_ZONE),
    ]),
  );
  return rows.map((row) => row.clinic_id);
}

/** One pass over every clinic, each in its own unit of work; a failing clinic does not stop the others. */
export async function markOverdueEverywhere(
  unitOfWork: UnitOfWork,
  now: Date,
): Promise<{
  readonly clinics: number;
  readonly marked: number;
  readonly failed: readonly { clinicId: string; error: unknown }[];
}> {
  const clinics = await clinicsWithLapsedOccurrences(unitOfWork, now);
  let marked = 0;
  const failed: { clinicId: string; error: unknown }[] = [];
  for (const clinicId of clinics) {
    try {
      marked += await unitOfWork.run(clinicId, (tx) => markOverdueOccurrences(tx, now));
    } catch (error) {
      failed.push({ clinicId, error });
    }
  }
  return { clinics: clinics.length, marked, failed };
}
