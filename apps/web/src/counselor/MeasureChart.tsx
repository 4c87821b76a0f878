/**
 * Charts of measure scores drawn as SVG from the data (no chart library): one
 * or two series over time, the clinical range shaded from the measure's cutoff,
 * and each administration's reliable-change label marked by shape (▲ reliable
 * improvement or recovered, ▼ reliable deterioration). The SVG is an image with
 * a title and a description; the data table beside it carries every number.
 */
import { useId } from 'react';

import type { ChangePoint, ChangeSeries } from './clinical-queries';

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly ChangePoint[];
}

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { top: 16, right: 32, bottom: 40, left: 44 };

function shortDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' }).format(new Date(iso));
}

export function rciMark(label: ChangePoint['label']): string {
  if (label === 'reliable improvement' || label === 'recovered') return '▲';
  if (label === 'reliable deterioration') return '▼';
  return '';
}

/** The clinical range [from, to] in score units, from the cutoff rule. */
function clinicalRange(
  cutoff: ChangeSeries['cutoff'],
  range: { min: number; max: number },
): { from: number; to: number } | null {
  if (cutoff === null) return null;
  if (cutoff.clinicalWhen === 'gte' || cutoff.clinicalWhen === 'gt') return { from: cutoff.value, to: range.max };
  return { from: range.min, to: cutoff.value };
}

export function ScoreChart({
  title,
  description,
  series,
  range,
  cutoff,
}: {
  readonly title: string;
  readonly description: string;
  readonly series: readonly ChartSeries[];
  readonly range: { readonly min: number; readonly max: number };
  readonly cutoff: ChangeSeries['cutoff'];
}) {
  const id = useId();
  const all = series.flatMap((s) => s.points.map((p) => Date.parse(p.administeredAt)));
  const first = Math.min(...all);
  const last = Math.max(...all);
  const span = last - first || 1;
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (iso: string) =>
    all.length <= 1 || last === first ? PAD.left + innerW / 2 : PAD.left + ((Date.parse(iso) - first) / span) * innerW;
  const y = (score: number) => PAD.top + innerH - ((score - range.min) / (range.max - range.min || 1)) * innerH;
  const band = clinicalRange(cutoff, range);
  const ticks = [range.min, Math.round((range.min + range.max) / 2), range.max];
  return (
    <figure className="mc-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="mc-chart__svg"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {band !== null && (
          <g className="mc-chart__band">
            <rect x={PAD.left} width={innerW} y={y(band.to)} height={Math.max(0, y(band.from) - y(band.to))} />
            <line x1={PAD.left} x2={PAD.left + innerW} y1={y(cutoff?.value ?? 0)} y2={y(cutoff?.value ?? 0)} />
            <text x={PAD.left + innerW - 4} y={y(band.to) + 14} textAnchor="end">
              clinical range
            </text>
          </g>
        )}
        <g className="mc-chart__axis">
          <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + innerH} />
          <line x1={PAD.left} x2={PAD.left + innerW} y1={PAD.top + innerH} y2={PAD.top + innerH} />
          {ticks.map((tick) => (
            <text key={tick} x={PAD.left - 6} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          ))}
          {series[0]?.points.map((point) => (
            <text key={point.administeredAt} x={x(point.administeredAt)} y={HEIGHT - 14} textAnchor="middle">
              {shortDate(point.administeredAt)}
            </text>
          ))}
        </g>
        {series.map((s, index) => (
          <g key={s.name} className={`mc-chart__series mc-chart__series--${index}`}>
            <polyline fill="none" points={s.points.map((p) => `${x(p.administeredAt)},${y(p.score)}`).join(' ')} />
            {s.points.map((p) => {
              const mark = rciMark(p.label);
              return (
                <g key={p.administeredAt}>
                  {index === 0 ? (
                    <circle cx={x(p.administeredAt)} cy={y(p.score)} r={5} />
                  ) : (
                    <rect x={x(p.administeredAt) - 5} y={y(p.score) - 5} width={10} height={10} />
                  )}
                  {mark !== '' && (
                    <text
                      x={x(p.administeredAt)}
                      y={y(p.score) - 10}
                      textAnchor="middle"
                      className={mark === '▲' ? 'mc-chart__better' : 'mc-chart__worse'}
                    >
                      {mark}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption className="mc-chart__legend">
        {series.length > 1 &&
          series.map((s, index) => (
            <span key={s.name} className={`mc-legend mc-legend--${index}`}>
              <span aria-hidden="true">{index === 0 ? '●' : '■'}</span> {s.name}
            </span>
          ))}
        {band !== null && (
          <span className="mc-legend mc-legend--band">
            <span aria-hidden="true">▮</span> clinical range ({cutoff?.description})
          </span>
        )}
        <span className="mc-legend">▲ reliable improvement or recovered · ▼ reliable deterioration</span>
      </figcaption>
    </figure>
  );
}
