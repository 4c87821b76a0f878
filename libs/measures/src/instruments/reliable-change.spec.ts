import { CSI_16, CSI_4, GAD_7, PCL_5, PHQ_9 } from './built-in-measures.js';
import { dyadicView } from './dyadic.js';
import { MeasuresError } from './measures.errors.js';
import {
  changeOverTime,
  platformComputedReliableChange,
  reliableChangeThreshold,
  type Administration,
} from './reliable-change.js';
import { CLINIC_TRUST_CHECK } from './testing/clinic-measure.fixture.js';

const series = (...scores: number[]): Administration[] =>
  scores.map((score, index) => ({ administeredAt: `2025-01-${String(1 + 14 * index).padStart(2, '0')}`, score }));
const latestLabel = (definition: typeof PHQ_9, ...scores: number[]) =>
  changeOverTime(definition, series(...scores)).latest?.label;

describe('reliable change (Jacobson & Truax; clinical.md §3.3)', () => {
  it('computes the worked illustration: SD 10, r .90 → 8.77', () => {
    expect(reliableChangeThreshold(10, 0.9)).toBeCloseTo(8.765, 3);
    expect(platformComputedReliableChange({ n: 100, sd: 10, r: 0.9, reliability: 'test_retest' })).toEqual({
      kind: 'platform_computed',
      threshold: 8.77,
      n: 100,
      sd: 10,
      r: 0.9,
      reliability: 'test_retest',
      source: 'platform-computed from N = 100, SD = 10, r = 0.9 (test-retest r); Jacobson & Truax 1991',
    });
  });

  it('refuses a platform-computed value from fewer than 100 administrations or impossible inputs', () => {
    expect(() => platformComputedReliableChange({ n: 99, sd: 10, r: 0.9, reliability: 'test_retest' })).toThrow(
      MeasuresError,
    );
    expect(() => reliableChangeThreshold(10, 1)).toThrow(MeasuresError);
    expect(() => reliableChangeThreshold(0, 0.5)).toThrow(MeasuresError);
  });

  describe('PHQ-9 (threshold 6, cutoff 10), at and around the threshold', () => {
    it.each([
      [[14, 9], 'no reliable change'], // −5
      [[16, 10], 'reliable improvement'], // −6, stays ≥ 10
      [[15, 9], 'recovered'], // −6 and crosses from ≥ 10 to < 10
      [[15, 8], 'recovered'],
      [[9, 3], 'reliable improvement'], // −6 but started below the cutoff: nothing to recover from
      [[8, 13], 'no reliable change'], // +5
      [[8, 14], 'reliable deterioration'], // +6
      [[12, 12], 'no reliable change'],
    ] as const)('%p → %p', (scores, expected) => {
      expect(latestLabel(PHQ_9, ...scores)).toBe(expected);
    });
  });

  it('GAD-7 (threshold 4) and PCL-5 (threshold 10, cutoff 33)', () => {
    expect(latestLabel(GAD_7, 12, 9)).toBe('no reliable change');
    expect(latestLabel(GAD_7, 12, 8)).toBe('recovered');
    expect(latestLabel(GAD_7, 7, 11)).toBe('reliable deterioration');
    expect(latestLabel(PCL_5, 45, 36)).toBe('no reliable change');
    expect(latestLabel(PCL_5, 45, 35)).toBe('reliable improvement');
    expect(latestLabel(PCL_5, 42, 32)).toBe('recovered');
  });

  it('higher-is-better measures: a rise is improvement (clinic measure, mean scores, threshold 0.86)', () => {
    expect(latestLabel(CLINIC_TRUST_CHECK, 2.5, 3.36)).toBe('recovered'); // exactly +0.86 (float noise absorbed), crosses out of < 3
    expect(latestLabel(CLINIC_TRUST_CHECK, 2.0, 2.85)).toBe('no reliable change');
    expect(latestLabel(CLINIC_TRUST_CHECK, 3.0, 3.9)).toBe('reliable improvement');
    expect(latestLabel(CLINIC_TRUST_CHECK, 3.5, 2.6)).toBe('reliable deterioration');
  });

  it('gives the series, the change from baseline and the improvement sign', () => {
    const result = changeOverTime(PHQ_9, [
      { administeredAt: '2025-03-01', score: 11 },
      { administeredAt: '2025-02-01', score: 18, version: '1' },
      { administeredAt: '2025-02-15', score: 14 },
    ]);
    expect(result.baseline).toEqual({
      administeredAt: '2025-02-01',
      score: 18,
      changeFromBaseline: 0,
      improvement: 0,
      inClinicalRange: true,
    });
    expect(
      result.points.map((point) => [point.score, point.changeFromBaseline, point.improvement, point.label]),
    ).toEqual([
      [18, 0, 0, undefined],
      [14, -4, 4, 'no reliable change'],
      [11, -7, 7, 'reliable improvement'],
    ]);
    expect(result.reliableChange).toEqual({ threshold: 6, source: PHQ_9.reliableChange.source });
    expect(result.labelAbsentReason).toBeNull();
    expect(result.trend).toBe('improving');
  });

  it('CSI: no label, the reason, and the trend only', () => {
    for (const measure of [CSI_4, CSI_16]) {
      const result = changeOverTime(measure, series(10, 12, 16));
      expect(result.points.every((point) => point.label === undefined)).toBe(true);
      expect(result.reliableChange).toBeNull();
      expect(result.labelAbsentReason).toMatch(/No published reliable-change value/);
      expect(result.trend).toBe('improving');
      expect(result.latest).toMatchObject({ changeFromBaseline: 6, improvement: 6 });
      expect(result.latest?.inClinicalRange).toBe(measure === CSI_16); // 16 < 51.5 but not < 13.5
    }
  });

  it('rejects another instrument version and invalid dates, naming the administration', () => {
    let failure: unknown;
    try {
      changeOverTime(PHQ_9, [{ administeredAt: '2025-01-01', score: 3, version: '2' }]);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(MeasuresError);
    expect((failure as MeasuresError).errors).toEqual([
      expect.objectContaining({ field: 'administrations[0].version' }),
    ]);
    expect(() => changeOverTime(PHQ_9, [{ administeredAt: 'soon', score: 3 }])).toThrow(MeasuresError);
    expect(changeOverTime(PHQ_9, [])).toMatchObject({ baseline: null, latest: null, points: [], trend: null });
  });
});

describe('dyadic view (clinical.md §3.5)', () => {
  const partnerA = {
    participantId: 'client-a',
    administrations: [
      { administeredAt: '2025-01-01', score: 10 },
      { administeredAt: '2025-01-08', score: 12 },
      { administeredAt: '2025-02-20', score: 17 },
    ],
  };
  const partnerB = {
    participantId: 'client-b',
    administrations: [
      { administeredAt: '2025-01-03', score: 16 },
      { administeredAt: '2025-01-09', score: 15 },
    ],
  };

  it('shows both series side by side with their gap, never an average', () => {
    const view = dyadicView(CSI_4, partnerA, partnerB);
    expect(view.partners.map((partner) => partner.participantId)).toEqual(['client-a', 'client-b']);
    expect(view.partners[0].series.points.map((point) => point.score)).toEqual([10, 12, 17]);
    expect(view.partners[1].series.points.map((point) => point.score)).toEqual([16, 15]);
    expect(view.gap.map((point) => [point.at, point.first.score, point.second.score, point.gap])).toEqual([
      ['2025-01-03', 10, 16, -6],
      ['2025-01-08', 12, 16, -4],
      ['2025-01-09', 12, 15, -3],
      // 2025-02-20: partner B's latest is 42 days old, beyond the 7-day window: no gap point
    ]);
    expect(JSON.stringify(view)).not.toMatch(/mean|average|couple/i);
  });

  it('applies reliable change per individual', () => {
    const view = dyadicView(
      CLINIC_TRUST_CHECK,
      {
        participantId: 'a',
        administrations: series(2, 3.5),
      },
      { participantId: 'b', administrations: series(4, 3.9) },
    );
    expect(view.partners[0].series.latest?.label).toBe('recovered');
    expect(view.partners[1].series.latest?.label).toBe('no reliable change');
  });

  it('refuses symptom measures and a participant compared with themself', () => {
    expect(() => dyadicView(PHQ_9, partnerA, partnerB)).toThrow(MeasuresError);
    expect(() => dyadicView(PCL_5, partnerA, partnerB)).toThrow(/symptom measures are never shown/);
    expect(() => dyadicView(CSI_16, partnerA, { ...partnerB, participantId: 'client-a' })).toThrow(MeasuresError);
  });
});
