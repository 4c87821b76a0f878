/**
 * The report kinds, audiences and the models the generator builds. A model is
 * built FOR an audience (see sections.ts): what the audience may not receive is
 * never read from the database, so no template or renderer can leak it. The
 * JSON file is the model itself; the PDF and CSV files are drawn from it only,
 * so every number in the PDF is in the JSON.
 */

export const REPORT_KINDS = ['case', 'client_summary', 'caseload', 'clinic'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * - `care_team`: a case report, for the care team and the supervisors of its members;
 * - `couple`: a client summary for every participant of the case;
 * - `partner`: a client summary for one participant;
 * - `counselor`: a caseload report, for the counselor and their supervisors;
 * - `clinic`: the clinic report for clinic admins (every counselor in the breakdown);
 * - `supervisor`: the clinic report for a supervisor (their supervisees in the breakdown).
 */
export const REPORT_AUDIENCES = ['care_team', 'couple', 'partner', 'counselor', 'clinic', 'supervisor'] as const;
export type ReportAudience = (typeof REPORT_AUDIENCES)[number];

export const AUDIENCES_OF_KIND: Readonly<Record<ReportKind, readonly ReportAudience[]>> = {
  case: ['care_team'],
  client_summary: ['couple', 'partner'],
  caseload: ['counselor'],
  clinic: ['clinic', 'supervisor'],
};

export const REPORT_STATUSES = ['queued', 'building', 'ready', 'failed', 'cancelled'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Local dates `[start, end)` in `timezone` (the clinic's), and the instants they begin and end. */
export interface ReportPeriod {
  readonly start: string;
  /** Exclusive. */
  readonly end: string;
  readonly timezone: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly days: number;
}

/**
 * A sentence of the favourable patterns or lingering concerns: the rule that
 * produced it (rules/patterns.ts documents each) and the numbers it rests on.
 */
export interface PatternSentence {
  readonly rule: string;
  readonly text: string;
  readonly basis: Readonly<Record<string, number | string | null>>;
}

export interface ParticipantRef {
  readonly clientId: string;
  /** Name as the audience sees it ("You" for the partner a summary is for). */
  readonly label: string;
  readonly role: string;
}

export interface HomeworkWeek {
  readonly week: string;
  readonly startsOn: string;
  /** Occurrences due that week (not cancelled). */
  readonly assigned: number;
  /** Of those, submitted by the report's as-of instant. */
  readonly completed: number;
  /** Of those, submitted on or before the due day (the participant's local day). */
  readonly onTime: number;
}

export interface HomeworkTotals {
  readonly assigned: number;
  readonly completed: number;
  readonly onTime: number;
  /** completed / assigned, 4 decimals; null when nothing was assigned. */
  readonly completionRate: number | null;
  readonly onTimeRate: number | null;
}

export interface ParticipantHomework {
  readonly participant: ParticipantRef;
  readonly weeks: readonly HomeworkWeek[];
  readonly totals: HomeworkTotals;
}

export interface LedgerWeekRow {
  readonly week: string;
  readonly startsOn: string;
  readonly kept: number;
  readonly partlyKept: number;
  readonly missed: number;
  readonly disputed: number;
  /** kept / (kept + partly kept + missed), 4 decimals; null for a week without entries. */
  readonly consistency: number | null;
}

export interface ParticipantLedger {
  readonly participant: ParticipantRef;
  readonly weeks: readonly LedgerWeekRow[];
  readonly totals: {
    readonly kept: number;
    readonly partlyKept: number;
    readonly missed: number;
    readonly disputed: number;
  };
  readonly consistency: number | null;
  /** Consecutive `kept` entries at the end of the period (any commitment, in date order). */
  readonly currentKeptRun: number;
  readonly longestKeptRun: number;
}

export interface BoundaryEventRow {
  readonly occurredOn: string;
  readonly severity: string;
  readonly repairCompleted: boolean;
  readonly completedOn: string | null;
}

export interface MeasurePoint {
  readonly date: string;
  readonly score: number;
  /** True for the baseline (the first administration ever, which may precede the period). */
  readonly isBaseline: boolean;
  readonly inClinicalRange: boolean | null;
  /** Reliable-change label against the baseline; null for the baseline or without a published threshold. */
  readonly label: string | null;
}

export interface MeasureSeries {
  readonly measureId: string;
  readonly name: string;
  readonly domain: 'symptom' | 'relationship';
  readonly direction: 'higher_is_worse' | 'higher_is_better';
  readonly range: { readonly min: number; readonly max: number };
  readonly cutoff: { readonly value: number; readonly clinicalWhen: string } | null;
  readonly reliableChangeThreshold: number | null;
  readonly points: readonly MeasurePoint[];
  /** Latest score minus baseline score; null with fewer than two points. */
  readonly change: number | null;
  /** The latest point's label (null: no threshold, or a single point). */
  readonly latestLabel: string | null;
}

export interface ParticipantMeasures {
  readonly participant: ParticipantRef;
  readonly series: readonly MeasureSeries[];
}

export interface SafetyAlertRow {
  readonly raisedOn: string;
  readonly tier: number;
  readonly trigger: string;
  readonly participantLabel: string | null;
  readonly status: 'open' | 'acknowledged';
}

export interface PhaseSpan {
  readonly phase: string;
  readonly from: string;
  /** Exclusive; null while current at the end of the period. */
  readonly to: string | null;
}

export interface SessionCounts {
  readonly completed: number;
  readonly cancelled: number;
  readonly noShow: number;
  readonly scheduled: number;
}

/** The `case` and `client_summary` kinds. */
export interface CaseReportModel {
  readonly schema: 'mend.report.case/1';
  readonly kind: 'case' | 'client_summary';
  readonly audience: 'care_team' | 'couple' | 'partner';
  readonly reportId: string;
  readonly clinicName: string;
  readonly period: ReportPeriod;
  readonly asOf: string;
  /** The section ids this audience receives, in order (sections.ts). */
  readonly sections: readonly string[];
  readonly summary: {
    readonly caseTitle: string | null;
    readonly caseType: string;
    readonly status: string;
    readonly phaseAtEnd: string;
    readonly participants: readonly ParticipantRef[];
    /** For a partner's copy: the participant it is for. */
    readonly forParticipant: ParticipantRef | null;
  };
  readonly phaseTimeline: { readonly spans: readonly PhaseSpan[]; readonly changesInPeriod: number } | null;
  readonly homework: readonly ParticipantHomework[] | null;
  readonly ledger: readonly ParticipantLedger[] | null;
  readonly boundaryEvents: {
    readonly total: number;
    readonly repairCompleted: number;
    readonly events: readonly BoundaryEventRow[];
  } | null;
  readonly measures: readonly ParticipantMeasures[] | null;
  readonly sessions: (SessionCounts & { readonly jointCompleted: number }) | null;
  readonly safetyAlerts: {
    readonly openAtEnd: readonly SafetyAlertRow[];
    readonly raisedInPeriod: number;
  } | null;
  readonly patterns: {
    readonly favourable: readonly PatternSentence[];
    readonly concerns: readonly PatternSentence[];
  };
  readonly narrative: string | null;
}

export interface CaseloadRow {
  readonly caseId: string;
  readonly caseTitle: string;
  readonly participants: readonly string[];
  readonly status: string;
  readonly phase: string;
  readonly homework: HomeworkTotals;
  readonly ledgerConsistency: number | null;
  readonly boundaryEvents: number;
  readonly openAlerts: number;
  readonly unsignedNotes: number;
  readonly reliableImprovements: number;
  readonly reliableDeteriorations: number;
}

export interface CaseloadReportModel {
  readonly schema: 'mend.report.caseload/1';
  readonly kind: 'caseload';
  readonly audience: 'counselor';
  readonly reportId: string;
  readonly clinicName: string;
  readonly period: ReportPeriod;
  readonly asOf: string;
  readonly sections: readonly string[];
  readonly counselor: { readonly membershipId: string; readonly name: string };
  readonly totals: {
    readonly cases: number;
    readonly homework: HomeworkTotals;
    readonly openAlerts: number;
    readonly unsignedNotes: number;
    readonly boundaryEvents: number;
  };
  readonly cases: readonly CaseloadRow[];
  readonly patterns: {
    readonly favourable: readonly PatternSentence[];
    readonly concerns: readonly PatternSentence[];
  };
}

export interface MeasureOutcomeRow {
  readonly measureId: string;
  readonly name: string;
  /** Clients with a baseline and at least one later administration within the period. */
  readonly clientsMeasured: number;
  readonly reliableImprovement: number;
  readonly recovered: number;
  readonly noReliableChange: number;
  readonly reliableDeterioration: number;
  /** (reliable improvement + recovered) / clients measured, 4 decimals. */
  readonly improvementShare: number | null;
  readonly deteriorationShare: number | null;
  /** Null when the measure has no reliable-change threshold (no labels are given). */
  readonly hasThreshold: boolean;
}

export interface AlertResponse {
  readonly raised: number;
  readonly acknowledged: number;
  readonly openAtEnd: number;
  readonly byTier: { readonly tier1: number; readonly tier2: number; readonly tier3: number };
  /** Minutes from raised to acknowledged, of the alerts raised in the period and acknowledged by the as-of instant. */
  readonly medianMinutesToAcknowledge: number | null;
  readonly p90MinutesToAcknowledge: number | null;
}

export interface CounselorBreakdownRow {
  readonly membershipId: string;
  readonly name: string;
  readonly activeCases: number;
  readonly homework: HomeworkTotals;
  readonly alerts: AlertResponse;
  readonly unsignedNotes: number;
}

export interface ClinicReportModel {
  readonly schema: 'mend.report.clinic/1';
  readonly kind: 'clinic';
  readonly audience: 'clinic' | 'supervisor';
  readonly reportId: string;
  readonly clinicName: string;
  readonly period: ReportPeriod;
  readonly asOf: string;
  readonly sections: readonly string[];
  readonly cases: {
    readonly activeAtEnd: number;
    readonly byPhase: Readonly<Record<string, number>>;
    readonly onSafetyHold: number;
    readonly opened: number;
    readonly closed: number;
  };
  readonly clients: { readonly withActiveCase: number };
  readonly homework: HomeworkTotals;
  readonly measures: readonly MeasureOutcomeRow[];
  readonly alerts: AlertResponse;
  readonly notes: { readonly unsignedAtEnd: number; readonly signedInPeriod: number };
  readonly sessions: SessionCounts;
  readonly counselors: readonly CounselorBreakdownRow[];
}

export type ReportModel = CaseReportModel | CaseloadReportModel | ClinicReportModel;
