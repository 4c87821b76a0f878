/**
 * The definition format of an outcome measure (clinical.md §3): built-in instruments and
 * the measures a clinic adds under its own licence share it. Every number carries its
 * source; a value that is not published says so instead of being invented.
 */

export type MeasureDomain = 'symptom' | 'relationship';
export type ScoreDirection = 'higher_is_worse' | 'higher_is_better';
export type Comparison = 'gte' | 'gt' | 'lte' | 'lt';

export interface ResponseOption {
  readonly value: number;
  /** The exact label shown to the client; null while its verbatim wording is to be supplied. */
  readonly label: string | null;
}

/** The two poles of a semantic-differential item, exactly as printed to the left and right of its positions. */
export interface SemanticAnchors {
  readonly left: string;
  readonly right: string;
}

export interface MeasureItem {
  /** Stable key of the answer, e.g. `phq9_9`. */
  readonly id: string;
  /** 1-based position, as numbered in the instrument. */
  readonly number: number;
  /**
   * The exact item wording; null while it is to be supplied (never paraphrased). A
   * semantic-differential item (`anchors`) may have none: its wording is its two poles.
   */
  readonly text: string | null;
  /**
   * Options of this item when they differ from the measure's (CSI item 1: 0–6). Always
   * listed in the order the form prints them (left to right), each with its scored value:
   * a renderer shows them in array order and never sorts them.
   */
  readonly options?: readonly ResponseOption[];
  /** Scored as (lowest + highest option value) − answer. */
  readonly reverseKeyed?: boolean;
  /**
   * A semantic differential (CSI-16 items 11–16): the item's options are its positions from
   * the left pole to the right one, in array order, and may be unlabelled (label null: the
   * portal draws one plain choice per position). Each position's `value` is its score, so a
   * pair printed with its positive pole on the left lists its values descending.
   */
  readonly anchors?: SemanticAnchors;
  /**
   * Verbatim text the form prints above this item, shown once before it (the CSI-16's
   * instruction before its semantic differentials).
   */
  readonly introduction?: string;
}

export type PartialAnswerRule =
  | { readonly rule: 'reject'; readonly source: string }
  | {
      /** Sum measures: sum × items / answered; mean measures: mean of the answered items. */
      readonly rule: 'prorate';
      readonly maxMissing: number;
      readonly source: string;
    };

export interface Subscale {
  readonly id: string;
  readonly label: string;
  readonly itemIds: readonly string[];
  readonly method: 'sum' | 'mean';
}

export interface ScoreBand {
  readonly min: number;
  readonly max: number;
  readonly label: string;
}

export interface Cutoff {
  readonly value: number;
  /** A score is in the clinical range when `score <clinicalWhen> value`. */
  readonly clinicalWhen: Comparison;
  readonly description: string;
  readonly source: string;
}

export type ReliableChange =
  | { readonly kind: 'published'; readonly threshold: number; readonly source: string; readonly note?: string }
  | {
      readonly kind: 'platform_computed';
      /** 1.96 × SD × √(2(1 − r)) (Jacobson & Truax 1991; clinical.md §3.3). */
      readonly threshold: number;
      readonly n: number;
      readonly sd: number;
      readonly r: number;
      readonly reliability: 'test_retest' | 'internal_consistency';
      readonly source: string;
    }
  | { readonly kind: 'none'; readonly threshold: null; readonly reason: string; readonly source: string };

/** A rule that raises a safety signal from one item or the total (clinical.md §4.3). */
export interface SafetySignalRule {
  readonly id: string;
  /** Absent: the rule reads the total score. */
  readonly itemId?: string;
  readonly when: { readonly op: Comparison | 'eq'; readonly value: number };
  readonly tier: 1 | 2 | 3;
  readonly reason: string;
  readonly source: string;
}

export type LicenceVerdict = 'free_attribution_only' | 'free_from_authors_confirm_commercial' | 'clinic_licensed';

export interface MeasureDefinition {
  /** Stable id, e.g. `phq-9`; a clinic measure's id is unique within the clinic. */
  readonly id: string;
  /** The instrument version stored with every administration. */
  readonly version: string;
  readonly name: string;
  /** What the product shows (the PCL-5 shows "Betrayal-related stress symptoms", never PTSD). */
  readonly displayLabel: string;
  readonly domain: MeasureDomain;
  readonly recallPeriod: string | null;
  readonly attribution: string;
  readonly licence: { readonly verdict: LicenceVerdict; readonly note: string; readonly source: string };
  /**
   * `to_be_supplied`: some item or option wording is not yet held verbatim (not administrable).
   * `sources`: where the verbatim wording was checked (at least two independent copies for a built-in).
   */
  readonly wording: {
    readonly status: 'complete' | 'to_be_supplied';
    readonly note: string;
    readonly sources?: readonly string[];
  };
  /**
   * The instrument's own instructions and question stem shown above the items, verbatim
   * (paragraphs separated by a blank line); absent or null when the form has none or it is
   * not held verbatim.
   */
  readonly instructions?: string | null;
  readonly responseOptions: readonly ResponseOption[];
  readonly items: readonly MeasureItem[];
  readonly scoring: {
    readonly method: 'sum' | 'mean';
    readonly range: { readonly min: number; readonly max: number };
    readonly partialAnswers: PartialAnswerRule;
    readonly source: string;
  };
  readonly subscales: readonly Subscale[];
  readonly direction: ScoreDirection;
  readonly severityBands: { readonly bands: readonly ScoreBand[]; readonly source: string } | null;
  readonly cutoff: Cutoff | null;
  readonly reliableChange: ReliableChange;
  /** Items always reported on their own beside the total (PHQ-9 item 9). */
  readonly separatelyReportedItems: readonly string[];
  readonly safetySignals: readonly SafetySignalRule[];
}

export function optionsOf(definition: MeasureDefinition, item: MeasureItem): readonly ResponseOption[] {
  return item.options ?? definition.responseOptions;
}

export function compare(score: number, op: Comparison | 'eq', value: number): boolean {
  switch (op) {
    case 'gte':
      return score >= value;
    case 'gt':
      return score > value;
    case 'lte':
      return score <= value;
    case 'lt':
      return score < value;
    case 'eq':
      return score === value;
  }
}

/** Whether a score lies in the clinical range of the measure's cut-off (null without one). */
export function inClinicalRange(definition: MeasureDefinition, score: number): boolean | null {
  return definition.cutoff === null ? null : compare(score, definition.cutoff.clinicalWhen, definition.cutoff.value);
}

/** Whether an item's wording is held verbatim: its text and option labels, or a semantic differential's poles. */
export function isItemWorded(definition: MeasureDefinition, item: MeasureItem): boolean {
  if (item.anchors !== undefined) return item.anchors.left.trim() !== '' && item.anchors.right.trim() !== '';
  return item.text !== null && optionsOf(definition, item).every((option) => option.label !== null);
}

/** Whether the measure's wording is complete: every item (and option label) held verbatim. */
export function isAdministrable(definition: MeasureDefinition): boolean {
  return definition.wording.status === 'complete' && definition.items.every((item) => isItemWorded(definition, item));
}

/**
 * Whether a clinic must record that it accepts or holds the rights holder's terms before
 * the measure is offered to clients in the portal (the CSI: free from its authors, but
 * commercial embedding is to be confirmed, clinical.md §3.1, §7 item 1). The care team can
 * still score it from a paper form.
 */
export function requiresLicenceConfirmation(definition: MeasureDefinition): boolean {
  return definition.licence.verdict === 'free_from_authors_confirm_commercial';
}
