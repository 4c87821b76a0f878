/**
 * One line of a case's timeline (GET /cases/:caseId/timeline). Each part of the
 * case (status changes, plan revisions and phase changes, ledger entries,
 * boundary events, readiness assessments, disclosures) lists its own entries,
 * already filtered by what the viewer may see; the timeline merges them in
 * order. `summary` is content-free (a label, never clinical text); `refs` holds
 * the ids a client follows to the record itself.
 */
export interface CaseTimelineEntry {
  readonly at: Date;
  /** e.g. `case.status_changed`, `plan.revised`, `plan.phase_changed`, `ledger.check_in`, `ledger.response`, `boundary.event`, `readiness.assessed`, `disclosure.made`. */
  readonly kind: string;
  /** Stable id of the underlying record (for ordering ties and links). */
  readonly id: string;
  readonly actorMembershipId: string | null;
  readonly summary: string;
  readonly refs: Readonly<Record<string, string | number | null>>;
}
