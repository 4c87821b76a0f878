import { randomUUID } from 'node:crypto';

import { enqueueJob, type TenantTransaction, type UnitOfWork } from '@mend/core';
import { addDays, isoWeek, isoWeekStart, localDate } from '@mend/repair-plans';

import { reportAsOf, startOfLocalDay } from '../model/period.js';
import { REPORT_BUILD_JOB } from './report.service.js';

export interface SchedulePassResult {
  readonly clinics: number;
  readonly created: number;
  readonly failed: readonly { readonly clinicId: string; readonly error: unknown }[];
}

/** The first day of the month before the one holding `day`, and the first of `day`'s month. */
function previousMonth(day: string): { start: string; end: string; key: string } {
  const end = `${day.slice(0, 7)}-01`;
  const date = new Date(`${end}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - 1);
  const start = date.toISOString().slice(0, 10);
  return { start, end, key: start.slice(0, 7) };
}

async function scheduleOne(
  tx: TenantTransaction,
  input: {
    readonly key: string;
    readonly kind: 'clinic' | 'caseload';
    readonly audience: 'clinic' | 'counselor';
    readonly start: string;
    readonly end: string;
    readonly timezone: string;
    readonly counselorMembershipId: string | null;
    readonly now: Date;
  },
): Promise<boolean> {
  const id = randomUUID();
  const asOf = reportAsOf({ endsAt: startOfLocalDay(input.end, input.timezone).toISOString() }, input.now);
  const rows = await tx.query<{ id: string }>(
    `insert into report_requests (clinic_id, id, kind, audience, period_start, period_end, timezone, as_of,
                                  counselor_membership_id, schedule_key)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (clinic_id, schedule_key) where schedule_key is not null do nothing
     returning id`,
    [
      tx.clinicId,
      id,
      input.kind,
      input.audience,
      input.start,
      input.end,
      input.timezone,
      asOf,
      input.counselorMembershipId,
      input.key,
    ],
  );
  if (rows.length === 0) return false;
  await enqueueJob(tx, REPORT_BUILD_JOB, { reportId: id });
  return true;
}

/**
 * Scheduled reports, in each clinic's timezone: the monthly clinic report (the
 * previous calendar month, from the 1st) and the weekly caseload digest of
 * every active counselor (the previous ISO week, from Monday). Each has a
 * schedule key unique per clinic, so passes run by several workers, or again
 * after a restart, make each report once; only the latest period is made (no
 * backfill of the months before a clinic existed). The reports are built by
 * the ordinary `reports.build` job; who reads them follows their kind
 * (clinic admins; the counselor and their supervisors).
 */
export async function scheduleDueReports(
  unitOfWork: UnitOfWork,
  now: Date,
  options: { readonly onlyClinicIds?: readonly string[] } = {},
): Promise<SchedulePassResult> {
  const all = await unitOfWork.runWithoutClinic((tx) =>
    tx.query<{ clinic_id: string }>('select clinic_id from report_schedule_clinics()'),
  );
  const only = options.onlyClinicIds?.map((id) => id.toLowerCase());
  const clinics = only === undefined ? all : all.filter((row) => only.includes(row.clinic_id.toLowerCase()));
  let created = 0;
  const failed: { clinicId: string; error: unknown }[] = [];
  for (const { clinic_id: clinicId } of clinics) {
    try {
      created += await unitOfWork.run(clinicId, async (tx) => {
        const [clinic] = await tx.query<{ timezone: string; created_at: Date }>(
          'select timezone, created_at from clinics where id = $1',
          [clinicId],
        );
        const today = localDate(now, clinic.timezone);
        let made = 0;
        const month = previousMonth(today);
        if (startOfLocalDay(month.end, clinic.timezone) > clinic.created_at) {
          if (
            await scheduleOne(tx, {
              key: `clinic-monthly:${month.key}`,
              kind: 'clinic',
              audience: 'clinic',
              start: month.start,
              end: month.end,
              timezone: clinic.timezone,
              counselorMembershipId: null,
              now,
            })
          )
            made += 1;
        }
        const weekEnd = isoWeekStart(today);
        const weekStart = addDays(weekEnd, -7);
        const counselors = await tx.query<{ id: string }>(
          `select id from memberships where clinic_id = $1 and status = 'active' and 'counselor' = any(roles)
              and created_at < $2 order by id`,
          [clinicId, startOfLocalDay(weekEnd, clinic.timezone)],
        );
        for (const counselor of counselors) {
          if (
            await scheduleOne(tx, {
              key: `caseload-weekly:${counselor.id.toLowerCase()}:${isoWeek(weekStart).toLowerCase()}`,
              kind: 'caseload',
              audience: 'counselor',
              start: weekStart,
              end: weekEnd,
              timezone: clinic.timezone,
              counselorMembershipId: counselor.id,
              now,
            })
          )
            made += 1;
        }
        return made;
      });
    } catch (error) {
      failed.push({ clinicId, error });
    }
  }
  return { clinics: clinics.length, created, failed };
}
