import type { ReportModel } from '../model/report.types.js';

/**
 * The tabular parts of a report, shared by the CSV files and the PDF's tables:
 * one definition of each table, read from the model only. Cells are strings or
 * numbers (null prints empty).
 */
export interface ReportTable {
  /** The CSV file name (`homework-weeks.csv`). */
  readonly name: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | boolean | null)[])[];
}

export function tablesOf(model: ReportModel): ReportTable[] {
  switch (model.kind) {
    case 'case':
    case 'client_summary': {
      const tables: ReportTable[] = [];
      if (model.homework !== null) {
        tables.push({
          name: 'homework-weeks.csv',
          title: 'Homework per participant per week',
          columns: ['participant', 'role', 'week', 'starts_on', 'assigned', 'completed', 'on_time'],
          rows: model.homework.flatMap(({ participant, weeks }) =>
            weeks.map((week) => [
              participant.label,
              participant.role,
              week.week,
              week.startsOn,
              week.assigned,
              week.completed,
              week.onTime,
            ]),
          ),
        });
      }
      if (model.ledger !== null) {
        tables.push({
          name: 'ledger-weeks.csv',
          title: 'Trust ledger per participant per week',
          columns: [
            'participant',
            'role',
            'week',
            'starts_on',
            'kept',
            'partly_kept',
            'missed',
            'disputed',
            'consistency',
          ],
          rows: model.ledger.flatMap(({ participant, weeks }) =>
            weeks.map((week) => [
              participant.label,
              participant.role,
              week.week,
              week.startsOn,
              week.kept,
              week.partlyKept,
              week.missed,
              week.disputed,
              week.consistency,
            ]),
          ),
        });
      }
      if (model.boundaryEvents !== null) {
        tables.push({
          name: 'boundary-events.csv',
          title: 'Boundary events',
          columns: ['occurred_on', 'severity', 'repair_completed', 'completed_on'],
          rows: model.boundaryEvents.events.map((event) => [
            event.occurredOn,
            event.severity,
            event.repairCompleted,
            event.completedOn,
          ]),
        });
      }
      if (model.measures !== null) {
        tables.push({
          name: 'measures.csv',
          title: 'Outcome measures',
          columns: ['participant', 'measure', 'date', 'score', 'baseline', 'in_clinical_range', 'reliable_change'],
          rows: model.measures.flatMap(({ participant, series }) =>
            series.flatMap((one) =>
              one.points.map((point) => [
                participant.label,
                one.name,
                point.date,
                point.score,
                point.isBaseline,
                point.inClinicalRange,
                point.label,
              ]),
            ),
          ),
        });
      }
      return tables;
    }
    case 'caseload':
      return [
        {
          name: 'cases.csv',
          title: 'Cases',
          columns: [
            'case',
            'participants',
            'status',
            'phase',
            'homework_assigned',
            'homework_completed',
            'homework_on_time',
            'completion_rate',
            'ledger_consistency',
            'boundary_events',
            'open_alerts',
            'unsigned_notes',
            'reliable_improvements',
            'reliable_deteriorations',
          ],
          rows: model.cases.map((row) => [
            row.caseTitle,
            row.participants.join('; '),
            row.status,
            row.phase,
            row.homework.assigned,
            row.homework.completed,
            row.homework.onTime,
            row.homework.completionRate,
            row.ledgerConsistency,
            row.boundaryEvents,
            row.openAlerts,
            row.unsignedNotes,
            row.reliableImprovements,
            row.reliableDeteriorations,
          ]),
        },
      ];
    case 'clinic':
      return [
        {
          name: 'summary.csv',
          title: 'Clinic figures',
          columns: ['metric', 'value'],
          rows: [
            ['active_cases', model.cases.activeAtEnd],
            ...Object.entries(model.cases.byPhase).map(([phase, n]): [string, number] => [`active_cases_${phase}`, n]),
            ['cases_on_safety_hold', model.cases.onSafetyHold],
            ['cases_opened', model.cases.opened],
            ['cases_closed', model.cases.closed],
            ['clients_with_active_case', model.clients.withActiveCase],
            ['homework_assigned', model.homework.assigned],
            ['homework_completed', model.homework.completed],
            ['homework_on_time', model.homework.onTime],
            ['homework_completion_rate', model.homework.completionRate],
            ['homework_on_time_rate', model.homework.onTimeRate],
            ['alerts_raised', model.alerts.raised],
            ['alerts_tier1', model.alerts.byTier.tier1],
            ['alerts_tier2', model.alerts.byTier.tier2],
            ['alerts_tier3', model.alerts.byTier.tier3],
            ['alerts_acknowledged', model.alerts.acknowledged],
            ['alerts_open_at_end', model.alerts.openAtEnd],
            ['alerts_median_minutes_to_acknowledge', model.alerts.medianMinutesToAcknowledge],
            ['alerts_p90_minutes_to_acknowledge', model.alerts.p90MinutesToAcknowledge],
            ['notes_unsigned_at_end', model.notes.unsignedAtEnd],
            ['notes_signed_in_period', model.notes.signedInPeriod],
            ['sessions_completed', model.sessions.completed],
            ['sessions_cancelled', model.sessions.cancelled],
            ['sessions_no_show', model.sessions.noShow],
            ['sessions_scheduled', model.sessions.scheduled],
          ],
        },
        {
          name: 'measures.csv',
          title: 'Reliable change per measure',
          columns: [
            'measure',
            'clients_measured',
            'reliable_improvement',
            'recovered',
            'no_reliable_change',
            'reliable_deterioration',
            'improvement_share',
            'deterioration_share',
          ],
          rows: model.measures.map((row) => [
            row.name,
            row.clientsMeasured,
            row.reliableImprovement,
            row.recovered,
            row.noReliableChange,
            row.reliableDeterioration,
            row.improvementShare,
            row.deteriorationShare,
          ]),
        },
        {
          name: 'counselors.csv',
          title: 'Per-counselor breakdown',
          columns: [
            'counselor',
            'active_cases',
            'homework_assigned',
            'homework_completed',
            'completion_rate',
            'alerts_raised',
            'alerts_acknowledged',
            'median_minutes_to_acknowledge',
            'unsigned_notes',
          ],
          rows: model.counselors.map((row) => [
            row.name,
            row.activeCases,
            row.homework.assigned,
            row.homework.completed,
            row.homework.completionRate,
            row.alerts.raised,
            row.alerts.acknowledged,
            row.alerts.medianMinutesToAcknowledge,
            row.unsignedNotes,
          ]),
        },
      ];
  }
}
