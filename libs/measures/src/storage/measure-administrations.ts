import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type TenantTransaction } from '@mend/core';

import { dyadicView, type DyadicView } from '../instruments/dyadic.js';
import { inClinicalRange, type MeasureDefinition } from '../instruments/measure-definition.js';
import { changeOverTime, type ChangeSeries } from '../instruments/reliable-change.js';
import { scoreAnswers, type ItemAnswers, type MeasureScore } from '../instruments/scoring.js';
import { clientSafetyResponse, type ClientSafetyResponse } from '../safety/client-safety-response.js';
import type { SafetyAlerts, SafetyClock, SafetyTier } from '../safety/safety-alerts.js';
import type { SafetySettings, SafetySettingsService } from '../safety/safety-settings.js';
import type { CatalogueEntry, MeasureCatalogue } from './measure-catalogue.js';

export class MeasureAdministrationNotFoundError extends DomainError {
  constructor() {
    super('not_found', 404, 'No such measure administration');
    this.name = 'MeasureAdministrationNotFoundError';
  }
}

export class MeasuresRuleError extends DomainError {
  constructor(code: string, detail: string, field?: string) {
    super(code, 422, detail, field === undefined ? undefined : [{ field, rule: code, message: detail }]);
    this.name = 'MeasuresRuleError';
  }
}

export interface AdministrationView {
  readonly id: string;
  readonly caseId: string;
  readonly clientId: string;
  readonly scheduleId: string | null;
  readonly occurrence: number | null;
  readonly measureId: string;
  readonly measureVersion: string;
  readonly status: 'due' | 'completed' | 'cancelled';
  readonly dueAt: Date | null;
  readonly answers: Record<string, number | null> | null;
  readonly score: MeasureScore | null;
  readonly administeredAt: Date | null;
  readonly recordedByKind: 'client' | 'care_team' | null;
}

export interface ScheduleInput {
  readonly clientId: string;
  readonly measureId: string;
  readonly version: string;
  /** The first local date (client timezone), `YYYY-MM-DD`. */
  readonly startDate: string;
  /** Local time `HH:MM` in the client's timezone. */
  readonly localTime: string;
  /** Null: once. */
  readonly intervalDays: number | null;
  /** How many administrations (recurring); null: until stopped. */
  readonly occurrences: number | null;
}

export interface SubmissionResult {
  readonly administration: AdministrationView;
  readonly alert: { readonly id: string; readonly tier: SafetyTier } | null;
  /** For the client's own submission: what to show now (tier 1: crisis resources, not monitored 24/7). */
  readonly safety: ClientSafetyResponse | null;
}

interface Row {
  id: string;
  case_id: string;
  client_id: string;
  schedule_id: string | null;
  occurrence: number | null;
  measure_id: string;
  measure_version: string;
  status: 'due' | 'completed' | 'cancelled';
  due_at: Date | null;
  answers: Record<string, number | null> | null;
  score: MeasureScore | null;
  total: number | null;
  administered_at: Date | null;
  recorded_by_kind: 'client' | 'care_team' | null;
}

const viewOf = (row: Row): AdministrationView => ({
  id: row.id,
  caseId: row.case_id,
  clientId: row.client_id,
  scheduleId: row.schedule_id,
  occurrence: row.occurrence,
  measureId: row.measure_id,
  measureVersion: row.measure_version,
  status: row.status,
  dueAt: row.due_at,
  answers: row.answers,
  score: row.score,
  administeredAt: row.administered_at,
  recordedByKind: row.recorded_by_kind,
});

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function offsetMs(instant: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant;
}

/**
 * The due time of occurrence `n` (1-based): the same local wall time in the client's
 * timezone every `intervalDays` days (so it stays at 18:00 local across DST changes).
 */
export function dueAtOf(
  schedule: { startDate: string; localTime: string; timezone: string; intervalDays: number | null },
  n: number,
): Date {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(schedule.startDate);
  const time = /^(\d{2}):(\d{2})$/.exec(schedule.localTime);
  let valid = date !== null && time !== null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: schedule.timezone });
  } catch {
    valid = false;
  }
  if (!valid || date === null || time === null)
    throw new MeasuresRuleError('schedule_invalid', 'The start date, time or timezone is not valid', 'startDate');
  const wall = Date.UTC(
    Number(date[1]),
    Number(date[2]) - 1,
    Number(date[3]) + (schedule.intervalDays ?? 0) * (n - 1),
    Number(time[1]),
    Number(time[2]),
  );
  let instant = wall - offsetMs(wall, schedule.timezone);
  instant = wall - offsetMs(instant, schedule.timezone);
  return new Date(instant);
}

/**
 * Administrations of outcome measures in a case (issue 6 items 1–3). A participant sees and
 * completes only their own (another participant's are 404, symptom or relationship alike);
 * a due administration is offered in the portal only while its measure is (catalogue
 * `administrable`: worded and, for the CSI, licence confirmed). The care team sees all,
 * records answers from a paper form (the CSI without a confirmation is scoreable this
 * way), schedules, and reads change over time and the
 * dyadic view. Scores are computed on the server by @mend/measures instruments.
 */
export class MeasureAdministrations {
  constructor(
    private readonly catalogue: MeasureCatalogue,
    private readonly alerts: SafetyAlerts,
    private readonly settings: SafetySettingsService,
    private readonly clock: SafetyClock,
  ) {}

  async schedule(
    tx: TenantTransaction,
    viewer: CaseViewer,
    input: ScheduleInput,
  ): Promise<{ scheduleId: string; first: AdministrationView }> {
    this.assertParticipant(viewer, input.clientId, 'clientId');
    await this.catalogue.resolve(tx, input.measureId, input.version);
    const client = await tx.query<{ timezone: string }>(
      'select timezone from clients where clinic_id = $1 and id = $2',
      [tx.clinicId, input.clientId],
    );
    const timezone = client[0]?.timezone ?? 'UTC';
    const schedule = { ...input, timezone };
    dueAtOf(schedule, 1);
    const scheduleId = randomUUID();
    await tx.query(
      `insert into measure_schedules (clinic_id, id, case_id, client_id, measure_id, measure_version, timezone, local_time,
          start_date, interval_days, occurrences, created_by_membership_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        tx.clinicId,
        scheduleId,
        viewer.case.caseId,
        input.clientId,
        input.measureId,
        input.version,
        timezone,
        input.localTime,
        input.startDate,
        input.intervalDays,
        input.intervalDays === null ? 1 : input.occurrences,
        viewer.principal.membershipId,
      ],
    );
    const firstId = await this.insertDue(
      tx,
      viewer.case.caseId,
      input.clientId,
      scheduleId,
      1,
      input.measureId,
      input.version,
      dueAtOf(schedule, 1),
    );
    await this.audit(tx, viewer, 'measure_schedule.create', scheduleId, {
      measureId: input.measureId,
      clientId: input.clientId,
    });
    return { scheduleId, first: viewOf(await this.row(tx, viewer.case.caseId, firstId)) };
  }

  async list(tx: TenantTransaction, viewer: CaseViewer): Promise<AdministrationView[]> {
    const rows = await tx.query<Row>(
      `select * from measure_administrations where clinic_id = $1 and case_id = $2 and ($3::uuid is null or client_id = $3)
        order by coalesce(administered_at, due_at, created_at), id`,
      [tx.clinicId, viewer.case.caseId, viewer.kind === 'participant' ? viewer.clientId : null],
    );
    let views = rows.map(viewOf);
    if (viewer.kind === 'participant') {
      const administrable = new Map<string, boolean>();
      for (const view of views.filter((entry) => entry.status === 'due')) {
        const key = `${view.measureId}@${view.measureVersion}`;
        if (!administrable.has(key))
          administrable.set(key, (await this.catalogue.resolve(tx, view.measureId, view.measureVersion)).administrable);
      }
      views = views.filter(
        (view) => view.status !== 'due' || administrable.get(`${view.measureId}@${view.measureVersion}`) === true,
      );
    }
    await this.audit(tx, viewer, 'measure_administration.list', viewer.case.caseId, { count: views.length });
    return views;
  }

  async get(
    tx: TenantTransaction,
    viewer: CaseViewer,
    id: string,
  ): Promise<{ administration: AdministrationView; measure: CatalogueEntry }> {
    const row = await this.row(tx, viewer.case.caseId, id);
    if (viewer.kind === 'participant' && !same(row.client_id, viewer.clientId))
      throw new MeasureAdministrationNotFoundError();
    const measure = await this.catalogue.resolve(tx, row.measure_id, row.measure_version);
    // As in the list: a due administration of a measure not offered in the portal (the CSI
    // without a licence confirmation) is not shown to the client, nor its wording.
    if (viewer.kind === 'participant' && row.status === 'due' && !measure.administrable)
      throw new MeasureAdministrationNotFoundError();
    await this.audit(tx, viewer, 'measure_administration.read', id, {});
    return { administration: viewOf(row), measure };
  }

  /** The care team records answers from a paper form: a new completed administration. */
  async record(
    tx: TenantTransaction,
    viewer: CaseViewer,
    input: { clientId: string; measureId: string; version: string; answers: ItemAnswers; administeredAt: Date | null },
  ): Promise<SubmissionResult> {
    this.assertParticipant(viewer, input.clientId, 'clientId');
    const measure = await this.catalogue.resolve(tx, input.measureId, input.version);
    const score = scoreAnswers(measure.definition, input.answers);
    const administeredAt = input.administeredAt ?? this.clock.now();
    if (administeredAt.getTime() > this.clock.now().getTime() + 60_000)
      throw new MeasuresRuleError(
        'administered_at_in_future',
        'administeredAt must not be in the future',
        'administeredAt',
      );
    const id = randomUUID();
    await tx.query(
      `insert into measure_administrations (clinic_id, id, case_id, client_id, measure_id, measure_version, status, answers, score,
          total, administered_at, recorded_by_membership_id, recorded_by_kind)
       values ($1, $2, $3, $4, $5, $6, 'completed', $7, $8, $9, $10, $11, 'care_team')`,
      [
        tx.clinicId,
        id,
        viewer.case.caseId,
        input.clientId,
        input.measureId,
        input.version,
        JSON.stringify(input.answers),
        JSON.stringify(score),
        score.total,
        administeredAt,
        viewer.principal.membershipId,
      ],
    );
    await this.audit(tx, viewer, 'measure_administration.record', id, {
      measureId: input.measureId,
      clientId: input.clientId,
    });
    const alert = await this.evaluate(tx, viewer.case.caseId, input.clientId, measure.definition, id, score);
    return { administration: viewOf(await this.row(tx, viewer.case.caseId, id)), alert, safety: null };
  }

  /** A participant completes their own due administration in the portal. */
  async complete(
    tx: TenantTransaction,
    viewer: CaseViewer,
    id: string,
    answers: ItemAnswers,
  ): Promise<SubmissionResult> {
    if (viewer.kind !== 'participant') throw new MeasureAdministrationNotFoundError();
    const row = await this.row(tx, viewer.case.caseId, id);
    if (!same(row.client_id, viewer.clientId)) throw new MeasureAdministrationNotFoundError();
    if (row.status !== 'due')
      throw new MeasuresRuleError(
        'measure_administration_not_due',
        'This administration is not due (already completed or cancelled)',
      );
    const measure = await this.catalogue.resolve(tx, row.measure_id, row.measure_version);
    if (!measure.administrable) throw new MeasureAdministrationNotFoundError();
    const score = scoreAnswers(measure.definition, answers);
    const now = this.clock.now();
    // The status read above took no lock: of two answers at once both read `due`, and the later update waits for
    // the earlier, then matches nothing. It is refused like any answer after completion (not a second 201 for
    // answers that were never stored, audited and scored for alerts as if they had been).
    const completed = await tx.query<{ id: string }>(
      `update measure_administrations set status = 'completed', answers = $3, score = $4, total = $5, administered_at = $6,
          recorded_by_membership_id = $7, recorded_by_kind = 'client'
        where clinic_id = $1 and id = $2 and status = 'due'
        returning id`,
      [
        tx.clinicId,
        id,
        JSON.stringify(answers),
        JSON.stringify(score),
        score.total,
        now,
        viewer.principal.membershipId,
      ],
    );
    if (completed.length === 0)
      throw new MeasuresRuleError(
        'measure_administration_not_due',
        'This administration is not due (already completed or cancelled)',
      );
    await this.audit(tx, viewer, 'measure_administration.complete', id, { measureId: row.measure_id });
    await this.scheduleNext(tx, row);
    const alert = await this.evaluate(tx, viewer.case.caseId, viewer.clientId, measure.definition, id, score);
    const safety = await clientSafetyResponse(tx, this.settings, viewer.clientId, alert?.tier ?? null);
    return { administration: viewOf(await this.row(tx, viewer.case.caseId, id)), alert: null, safety };
  }

  /** One person's series of one measure (a participant: only their own; another's is 404). */
  async change(
    tx: TenantTransaction,
    viewer: CaseViewer,
    clientId: string,
    measureId: string,
    version?: string,
  ): Promise<ChangeSeries> {
    if (viewer.kind === 'participant' && !same(clientId, viewer.clientId))
      throw new MeasureAdministrationNotFoundError();
    if (!viewer.case.participants.some((participant) => same(participant.clientId, clientId)))
      throw new MeasureAdministrationNotFoundError();
    const measure =
      version === undefined
        ? await this.catalogue.latest(tx, measureId)
        : await this.catalogue.resolve(tx, measureId, version);
    const series = changeOverTime(
      measure.definition,
      await this.completed(tx, viewer.case.caseId, clientId, measure.definition),
    );
    await this.audit(tx, viewer, 'measure_series.read', clientId, { measureId });
    return series;
  }

  /** Both partners' series of a relationship measure with their gap (care team only: a participant gets 404). */
  async dyadic(tx: TenantTransaction, viewer: CaseViewer, measureId: string, version?: string): Promise<DyadicView> {
    if (viewer.kind !== 'care_team') throw new MeasureAdministrationNotFoundError();
    const measure =
      version === undefined
        ? await this.catalogue.latest(tx, measureId)
        : await this.catalogue.resolve(tx, measureId, version);
    if (measure.definition.domain !== 'relationship')
      throw new MeasuresRuleError('measure_dyadic_not_allowed', 'Only relationship measures have a dyadic view');
    const [first, second] = viewer.case.participants;
    if (first === undefined || second === undefined)
      throw new MeasuresRuleError('measure_dyadic_needs_two', 'A dyadic view needs two participants');
    const view = dyadicView(
      measure.definition,
      {
        participantId: first.clientId,
        administrations: await this.completed(tx, viewer.case.caseId, first.clientId, measure.definition),
      },
      {
        participantId: second.clientId,
        administrations: await this.completed(tx, viewer.case.caseId, second.clientId, measure.definition),
      },
    );
    await this.audit(tx, viewer, 'measure_dyadic.read', viewer.case.caseId, { measureId });
    return view;
  }

  private async completed(tx: TenantTransaction, caseId: string, clientId: string, definition: MeasureDefinition) {
    const rows = await tx.query<{ administered_at: Date; total: number }>(
      `select administered_at, total from measure_administrations
        where clinic_id = $1 and case_id = $2 and client_id = $3 and measure_id = $4 and measure_version = $5 and status = 'completed'
        order by administered_at, created_at`,
      [tx.clinicId, caseId, clientId, definition.id, definition.version],
    );
    return rows.map((row) => ({
      administeredAt: row.administered_at.toISOString(),
      score: Number(row.total),
      version: definition.version,
    }));
  }

  /**
   * The safety triggers of one scored administration (clinical.md §4.3): PHQ-9 item 9 and
   * total with the clinic's thresholds (other measures: their own signal rules), reliable
   * deterioration (tier 3) and a relationship measure falling into its distress range
   * (tier 3). One alert at the most urgent tier, naming every rule that fired.
   */
  private async evaluate(
    tx: TenantTransaction,
    caseId: string,
    clientId: string,
    definition: MeasureDefinition,
    administrationId: string,
    score: MeasureScore,
  ): Promise<{ id: string; tier: SafetyTier } | null> {
    const settings = await this.settings.get(tx);
    const fired: { ruleId: string; tier: SafetyTier }[] =
      definition.id === 'phq-9'
        ? phq9Signals(settings, score)
        : score.safetySignals.map((signal) => ({ ruleId: signal.ruleId, tier: signal.tier }));
    const series = changeOverTime(definition, await this.completed(tx, caseId, clientId, definition));
    if (series.latest?.label === 'reliable deterioration') fired.push({ ruleId: 'reliable-deterioration', tier: 3 });
    if (
      definition.domain === 'relationship' &&
      definition.cutoff !== null &&
      inClinicalRange(definition, score.total) === true
    ) {
      const previous = series.points.at(-2);
      if (previous === undefined || previous.inClinicalRange !== true)
        fired.push({ ruleId: 'couple-distress-cutoff', tier: 3 });
    }
    if (fired.length === 0) return null;
    const tier = Math.min(...fired.map((entry) => entry.tier)) as SafetyTier;
    const trigger = fired.some(
      (entry) =>
        entry.tier === tier &&
        (entry.ruleId.startsWith('phq9') ||
          !['reliable-deterioration', 'couple-distress-cutoff'].includes(entry.ruleId)),
    )
      ? 'measure'
      : fired.find((entry) => entry.tier === tier)?.ruleId === 'reliable-deterioration'
        ? 'reliable_deterioration'
        : 'couple_distress';
    const { id } = await this.alerts.raise(tx, {
      caseId,
      subjectClientId: clientId,
      tier,
      trigger,
      ruleIds: fired.map((entry) => entry.ruleId),
      source: { type: 'measure_administration', id: administrationId },
      dedupeKey: `measure_administration:${administrationId}`,
    });
    return { id, tier };
  }

  private async scheduleNext(tx: TenantTransaction, row: Row): Promise<void> {
    if (row.schedule_id === null || row.occurrence === null) return;
    const schedules = await tx.query<{
      start_date: string;
      local_time: string;
      timezone: string;
      interval_days: number | null;
      occurrences: number | null;
      status: string;
    }>(
      `select to_char(start_date, 'YYYY-MM-DD') as start_date, local_time, timezone, interval_days, occurrences, status
         from measure_schedules where clinic_id = $1 and id = $2`,
      [tx.clinicId, row.schedule_id],
    );
    const schedule = schedules[0];
    if (schedule === undefined || schedule.status !== 'active' || schedule.interval_days === null) return;
    const next = row.occurrence + 1;
    if (schedule.occurrences !== null && next > schedule.occurrences) return;
    await this.insertDue(
      tx,
      row.case_id,
      row.client_id,
      row.schedule_id,
      next,
      row.measure_id,
      row.measure_version,
      dueAtOf(
        {
          startDate: schedule.start_date,
          localTime: schedule.local_time,
          timezone: schedule.timezone,
          intervalDays: schedule.interval_days,
        },
        next,
      ),
    );
  }

  private async insertDue(
    tx: TenantTransaction,
    caseId: string,
    clientId: string,
    scheduleId: string,
    occurrence: number,
    measureId: string,
    version: string,
    dueAt: Date,
  ): Promise<string> {
    const id = randomUUID();
    await tx.query(
      `insert into measure_administrations (clinic_id, id, case_id, client_id, schedule_id, occurrence, measure_id, measure_version, status, due_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'due', $9) on conflict do nothing`,
      [tx.clinicId, id, caseId, clientId, scheduleId, occurrence, measureId, version, dueAt],
    );
    return id;
  }

  private assertParticipant(viewer: CaseViewer, clientId: string, field: string): void {
    if (!viewer.case.participants.some((participant) => same(participant.clientId, clientId)))
      throw new MeasuresRuleError('not_a_participant', 'The client is not a participant of this case', field);
  }

  private async row(tx: TenantTransaction, caseId: string, id: string): Promise<Row> {
    const rows = await tx.query<Row>(
      'select * from measure_administrations where clinic_id = $1 and case_id = $2 and id = $3',
      [tx.clinicId, caseId, id],
    );
    if (rows[0] === undefined) throw new MeasureAdministrationNotFoundError();
    return rows[0];
  }

  private async audit(
    tx: TenantTransaction,
    viewer: CaseViewer,
    action: string,
    targetId: string,
    metadata: Record<string, string | number>,
  ) {
    await recordAudit(tx, {
      action,
      targetType: action.split('.')[0],
      targetId,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { caseId: viewer.case.caseId, ...metadata },
    });
  }
}

/** PHQ-9 item 9 and total with the clinic's thresholds (defaults: item 9 ≥ 2 tier 1, = 1 tier 2; total ≥ 20 tier 2). */
export function phq9Signals(settings: SafetySettings, score: MeasureScore): { ruleId: string; tier: SafetyTier }[] {
  const fired: { ruleId: string; tier: SafetyTier }[] = [];
  const item9 = score.separateItems.find((item) => item.itemId === 'phq9_9')?.value ?? null;
  if (item9 !== null && item9 >= settings.phq9Item9Tier1Min) fired.push({ ruleId: 'phq9-item9-tier1', tier: 1 });
  else if (item9 !== null && item9 >= 1) fired.push({ ruleId: 'phq9-item9-tier2', tier: 2 });
  if (score.total >= settings.phq9TotalTier2Min) fired.push({ ruleId: 'phq9-total-tier2', tier: 2 });
  return fired;
}
