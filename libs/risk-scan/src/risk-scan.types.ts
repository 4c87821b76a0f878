/**
 * The shapes of the free-text risk scan (clinical.md §4.3): explainable like the
 * I-statement coach (§6.1) — every match names its rule, category, tier and span.
 */

/** What a rule looks for. `coercion` covers stalking, monitoring and control (§4.3 tier 2). */
export type RiskCategory = 'suicide' | 'self_harm' | 'violence' | 'threat' | 'weapon' | 'not_safe' | 'coercion';

/**
 * 1 = immediate (explicit intent, plan or means; threats to kill or harm; violence now;
 * "not safe now"); 2 = same day (passive ideation, disclosure of violence, coercion or
 * stalking, fear of a partner, access to a firearm); 3 = next session (mentions without
 * intent, and negated statements: a denial is kept at a lower tier rather than dropped).
 */
export type RiskTier = 1 | 2 | 3;

export interface RiskRule {
  /** Stable id, e.g. `SUI-KILL-SELF`; stored with every match. */
  readonly id: string;
  readonly category: RiskCategory;
  readonly tier: RiskTier;
  /** Case-insensitive; applied to the whole text after quote normalisation. Keep every gap bounded. */
  readonly pattern: RegExp;
  /**
   * `before`: a negation cue right before the match ("I would never …") lowers it to tier 3;
   * `before_and_inside`: also a negation inside the match ("he would never hurt me");
   * `none`: the pattern itself contains the negation ("I don't feel safe").
   */
  readonly negation: 'before' | 'before_and_inside' | 'none';
  /** One line for the clinician: why this rule exists. Never repeats the matched text. */
  readonly why: string;
}

/** A common figure of speech that suppresses matches of the listed categories it overlaps. */
export interface IdiomRule {
  readonly id: string;
  readonly categories: readonly RiskCategory[];
  readonly pattern: RegExp;
  /** An example the idiom is meant for (documentation and tests). */
  readonly example: string;
}

export interface RiskSpan {
  /** UTF-16 offsets into the original text, end exclusive (`text.slice(start, end)`). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface RiskMatch {
  readonly ruleId: string;
  readonly category: RiskCategory;
  /** The tier after negation handling. */
  readonly tier: RiskTier;
  /** The rule's own tier (differs from `tier` only when a negation lowered it). */
  readonly ruleTier: RiskTier;
  readonly span: RiskSpan;
  /** The negation cue found, if any (`tier` is then 3). */
  readonly negation: { readonly detected: boolean; readonly cue?: string };
  /**
   * Whether idiom suppression was considered for this match (some idiom covers its
   * category) and which idioms were checked; a reported match was never suppressed.
   */
  readonly idiomSuppression: { readonly considered: boolean; readonly idiomIds: readonly string[] };
  readonly why: string;
}

/** A rule match dropped because an idiom covered it; kept so that the decision is explainable. */
export interface SuppressedRiskMatch {
  readonly ruleId: string;
  readonly category: RiskCategory;
  readonly ruleTier: RiskTier;
  readonly span: RiskSpan;
  readonly idiomId: string;
  readonly idiomSpan: RiskSpan;
}

export interface RiskScanResult {
  /** Store with the result: a later rule change must not silently reinterpret old scans. */
  readonly rulesetVersion: string;
  /** The most urgent tier among the matches (1 is the most urgent), or null when none. */
  readonly highestTier: RiskTier | null;
  /** Sorted by start offset, then tier. */
  readonly matches: readonly RiskMatch[];
  readonly suppressed: readonly SuppressedRiskMatch[];
}
