import { inClinicalRange, type MeasureDefinition, type ReliableChange } from './measure-definition.js';
import { MeasuresError, MeasuresErrorCode } from './measures.errors.js';

/** Minimum baseline sample for a platform-computed value (clinical.md §3.3: "once N ≥ ~100"). */
export const MIN_PLATFORM_RCI_SAMPLE = 100;

/** Jacobson & Truax (1991): 1.96 × S_diff, S_diff = SD × √(2(1 − r)) (clinical.md §3.3). */
export function reliableChangeThreshold(sd: number, r: number): number {
  if (!(sd > 0) || !(r > 0 && r < 1))
    throw new MeasuresError(MeasuresErrorCode.DefinitionInvalid, 'SD must be positive and r between 0 and 1');
  return 1.96 * sd * Math.sqrt(2 * (1 - r));
}

/**
 * A clinic's platform-computed reliable-change value with its provenance, for a measure
 * without a published one (clinical.md §3.3, §7 item 9). The threshold is rounded up to
 * two decimals, so rounding never makes it more lenient.
 */
export function platformComputedReliableChange(input: {
  readonly n: number;
  readonly sd: number;
  readonly r: number;
  readonly reliability: 'test_retest' | 'internal_consistency';
}): ReliableChange {
  if (!Number.isInteger(input.n) || input.n < MIN_PLATFORM_RCI_SAMPLE)
    throw new MeasuresError(
      MeasuresErrorCode.DefinitionInvalid,
      `A platform-computed reliable-change value needs at least ${MIN_PLATFORM_RCI_SAMPLE} baseline administrations`,
    );
  const threshold = Math.ceil(reliableChangeThreshold(input.sd, input.r) * 100) / 100;
  const reliabilityName = input.reliability === 'test_retest' ? 'test-retest r' : 'internal consistency (alpha) as r';
  return {
    kind: 'platform_computed',
    threshold,
    n: input.n,
    sd: input.sd,
    r: input.r,
    reliability: input.reliability,
    source: `platform-computed from N = ${input.n}, SD = ${input.sd}, r = ${input.r} (${reliabilityName}); Jacobson & Truax 1991`,
  };
}

export type ReliableChangeLabel =
  'reliable improvement' | 'reliable deterioration' | 'no reliable change' | 'recovered';

export interface Administration {
  readonly administeredAt: string;
  readonly score: number;
  /** The instrument version scored; must be the definition's version when given. */
  readonly version?: string;
}

export interface ChangePoint {
  readonly administeredAt: string;
  readonly score: number;
  /** score − baseline score (raw, in the measure's units). */
  readonly changeFromBaseline: number;
  /** The same change signed so that positive is better, whatever the measure's direction. */
  readonly improvement: number;
  readonly inClinicalRange: boolean | null;
  /** Absent for the baseline itself and for measures without a reliable-change value. */
  readonly label?: ReliableChangeLabel;
}

export interface ChangeSeries {
  readonly measureId: string;
  readonly version: string;
  readonly direction: MeasureDefinition['direction'];
  readonly cutoff: MeasureDefinition['cutoff'];
  /** The threshold used and its provenance, or null with the reason no label is given. */
  readonly reliableChange: { readonly threshold: number; readonly source: string } | null;
  readonly labelAbsentReason: string | null;
  readonly baseline: ChangePoint | null;
  readonly latest: ChangePoint | null;
  /** Oldest first; the first point is the baseline. */
  readonly points: readonly ChangePoint[];
  /** Raw direction of the latest score against baseline, shown with or without a label. */
  readonly trend: 'improving' | 'worsening' | 'unchanged' | null;
}

/** Absorbs floating-point noise of mean-scored measures (e.g. 0.1 + 0.2). */
const EPSILON = 1e-9;

function label(
  definition: MeasureDefinition,
  threshold: number,
  baselineScore: number,
  score: number,
): ReliableChangeLabel {
  const change = score - baselineScore;
  if (Math.abs(change) + EPSILON < threshold) return 'no reliable change';
  const better = definition.direction === 'higher_is_worse' ? change < 0 : change > 0;
  if (!better) return 'reliable deterioration';
  const crossed = inClinicalRange(definition, baselineScore) === true && inClinicalRange(definition, score) === false;
  return crossed ? 'recovered' : 'reliable improvement';
}

function checkedTime(administration: Administration, index: number): number {
  const time = Date.parse(administration.administeredAt);
  if (Number.isNaN(time))
    throw new MeasuresError(MeasuresErrorCode.SeriesInvalid, 'An administration date is not a valid date', [
      { field: `administrations[${index}].administeredAt`, rule: 'invalid-date', message: 'must be an ISO 8601 date' },
    ]);
  return time;
}

/**
 * Change over time for one person and one measure (issue 6 item 3, clinical.md §3.3):
 * the first administration is the baseline; each later one gets its change from baseline
 * and, when the measure has a reliable-change value, `reliable improvement`, `reliable
 * deterioration`, `no reliable change` or `recovered` (reliable improvement that also
 * crosses the cut-off out of the clinical range). |change| ≥ threshold counts as reliable.
 */
export function changeOverTime(
  definition: MeasureDefinition,
  administrations: readonly Administration[],
): ChangeSeries {
  const timed = administrations.map((administration, index) => {
    if (administration.version !== undefined && administration.version !== definition.version)
      throw new MeasuresError(MeasuresErrorCode.SeriesInvalid, 'Administrations of another instrument version', [
        {
          field: `administrations[${index}].version`,
          rule: 'version-mismatch',
          message: `must be version ${definition.version} of ${definition.name}`,
        },
      ]);
    return { administration, time: checkedTime(administration, index), index };
  });
  timed.sort((a, b) => a.time - b.time || a.index - b.index);

  const rci = definition.reliableChange;
  const threshold = rci.kind === 'none' ? null : rci.threshold;
  const baselineScore = timed[0]?.administration.score;
  const points = timed.map(({ administration }, position): ChangePoint => {
    const base = baselineScore;
    const change = administration.score - base;
    const improvement = definition.direction === 'higher_is_worse' ? -change : change;
    const point: ChangePoint = {
      administeredAt: administration.administeredAt,
      score: administration.score,
      changeFromBaseline: change,
      improvement: improvement === 0 ? 0 : improvement,
      inClinicalRange: inClinicalRange(definition, administration.score),
    };
    return position === 0 || threshold === null
      ? point
      : { ...point, label: label(definition, threshold, base, administration.score) };
  });

  const latest = points.at(-1) ?? null;
  const trend =
    points.length < 2 || latest === null
      ? null
      : Math.abs(latest.improvement) < EPSILON
        ? 'unchanged'
        : latest.improvement > 0
          ? 'improving'
          : 'worsening';
  return {
    measureId: definition.id,
    version: definition.version,
    direction: definition.direction,
    cutoff: definition.cutoff,
    reliableChange: rci.kind === 'none' ? null : { threshold: rci.threshold, source: rci.source },
    labelAbsentReason: rci.kind === 'none' ? rci.reason : null,
    baseline: points[0] ?? null,
    latest,
    points,
    trend,
  };
}
