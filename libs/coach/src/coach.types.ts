/**
 * The I-statement coach of clinical.md §6: an explainable rule set. Every hint
 * names its rule, the exact span of the writer's text it matched, why the phrase
 * can backfire and a scaffold to rewrite it. Pure: no I/O, no network, no ML.
 */

/** Exercise coach modes (clinical.md §2.1, §6.1). */
export const COACH_MODES = ['on', 'accountability', 'gentle', 'off'] as const;
export type CoachMode = (typeof COACH_MODES)[number];

/** The rule families of clinical.md §6.2. */
export const COACH_FAMILIES = ['ABS', 'LBL', 'BLM', 'MND', 'PSI', 'EVF', 'SRC', 'DMD', 'KSK', 'NAP', 'MIN'] as const;
export type CoachFamily = (typeof COACH_FAMILIES)[number];

/** info < suggest < strong-suggest (§6.2, suppression rule 5). */
export const COACH_SEVERITIES = ['info', 'suggest', 'strong-suggest'] as const;
export type CoachSeverity = (typeof COACH_SEVERITIES)[number];

/** Why a hint is shown at a lower severity than its rule's. */
export const DOWNGRADE_REASONS = ['reported_speech', 'gentle_mode', 'info_marker'] as const;
export type DowngradeReason = (typeof DOWNGRADE_REASONS)[number];

/**
 * A span of the text as given (before quote normalisation, which keeps offsets):
 * `start`/`end` are JavaScript string indices (UTF-16 code units), end exclusive,
 * and `text === input.slice(start, end)`.
 */
export interface CoachSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface CoachHint {
  /** Stable rule id, e.g. `ABS-1` (family + number of the pattern in §6.2). */
  readonly ruleId: string;
  readonly family: CoachFamily;
  readonly familyName: string;
  readonly severity: CoachSeverity;
  /** Present when shown below the rule's own severity. */
  readonly downgradedBecause: DowngradeReason | null;
  readonly span: CoachSpan;
  /** One line: why this phrasing can backfire. */
  readonly why: string;
  /** A reframe to fill in, never a silent rewrite. */
  readonly scaffold: string;
  /** Further markers of the same family in the same sentence folded into this hint (SRC: "one flag shown"). */
  readonly extraMarkers: number;
}

/**
 * Safety precedence (§6.2 rule 4): the text matched a threat or abuse-disclosure
 * pattern, so the coach offers no rewrite at all. The coach is not a safety system:
 * the separate risk scan (§4.3) runs on every saved free-text field whatever the coach says.
 */
export interface CoachSafetyPause {
  readonly ruleIds: readonly string[];
}

export interface CoachResult {
  readonly mode: CoachMode;
  /** At most three, highest severity first, then in text order. */
  readonly hints: readonly CoachHint[];
  /** Hints found beyond the three shown. */
  readonly withheld: number;
  /** Non-null when safety precedence paused all coaching of this text. */
  readonly safetyPause: CoachSafetyPause | null;
}
