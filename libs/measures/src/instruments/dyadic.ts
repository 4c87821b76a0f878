import type { MeasureDefinition } from './measure-definition.js';
import { MeasuresError, MeasuresErrorCode } from './measures.errors.js';
import { changeOverTime, type Administration, type ChangeSeries } from './reliable-change.js';

export interface PartnerSeriesInput {
  /** Opaque id of the participant (client) the series belongs to. */
  readonly participantId: string;
  readonly administrations: readonly Administration[];
}

export interface DyadicGapPoint {
  /** When this comparison point arises (an administration of either partner). */
  readonly at: string;
  readonly first: { readonly administeredAt: string; readonly score: number };
  readonly second: { readonly administeredAt: string; readonly score: number };
  /** first − second, in the measure's units: the discrepancy is its own series. */
  readonly gap: number;
  readonly absoluteGap: number;
}

export interface DyadicView {
  readonly measureId: string;
  /** Each partner's own series, reliable change applied per individual (clinical.md §3.5). */
  readonly partners: readonly [
    { readonly participantId: string; readonly series: ChangeSeries },
    { readonly participantId: string; readonly series: ChangeSeries },
  ];
  readonly gap: readonly DyadicGapPoint[];
  /** How far apart two administrations may be to be compared. */
  readonly pairingWindowDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Both partners' series of one relationship measure side by side with their gap
 * (issue 6 item 3; clinical.md §3.5). Partners are never averaged: there is no couple
 * score. Symptom measures are refused, since one partner's symptoms are never shown to
 * the other. Who may see the view (consent settings) is the caller's check.
 *
 * Gap points: at each administration of either partner, the latest score of each, when
 * the two administrations are at most `pairingWindowDays` apart.
 */
export function dyadicView(
  definition: MeasureDefinition,
  first: PartnerSeriesInput,
  second: PartnerSeriesInput,
  options: { readonly pairingWindowDays?: number } = {},
): DyadicView {
  if (definition.domain !== 'relationship')
    throw new MeasuresError(
      MeasuresErrorCode.DyadicNotAllowed,
      'Only relationship measures have a dyadic view: symptom measures are never shown side by side',
    );
  if (first.participantId === second.participantId)
    throw new MeasuresError(MeasuresErrorCode.DyadicNotAllowed, 'A dyadic view compares two different participants');
  const pairingWindowDays = options.pairingWindowDays ?? 7;
  const firstSeries = changeOverTime(definition, first.administrations);
  const secondSeries = changeOverTime(definition, second.administrations);

  const events = [
    ...firstSeries.points.map((point) => ({ who: 0 as const, point, time: Date.parse(point.administeredAt) })),
    ...secondSeries.points.map((point) => ({ who: 1 as const, point, time: Date.parse(point.administeredAt) })),
  ].sort((a, b) => a.time - b.time || a.who - b.who);

  const latest: [(typeof events)[number] | undefined, (typeof events)[number] | undefined] = [undefined, undefined];
  const gap: DyadicGapPoint[] = [];
  for (const event of events) {
    latest[event.who] = event;
    const [a, b] = latest;
    if (a === undefined || b === undefined) continue;
    if (Math.abs(a.time - b.time) > pairingWindowDays * DAY_MS) continue;
    const difference = a.point.score - b.point.score;
    gap.push({
      at: event.point.administeredAt,
      first: { administeredAt: a.point.administeredAt, score: a.point.score },
      second: { administeredAt: b.point.administeredAt, score: b.point.score },
      gap: difference,
      absoluteGap: Math.abs(difference),
    });
  }
  return {
    measureId: definition.id,
    partners: [
      { participantId: first.participantId, series: firstSeries },
      { participantId: second.participantId, series: secondSeries },
    ],
    gap,
    pairingWindowDays,
  };
}
