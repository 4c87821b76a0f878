import { round } from './stats.mjs';

export const RATIO_DEFINITION =
  'ratio = performance relative to the raw baseline of the same metric, measured in the same run: ' +
  'value / baseline for throughput, baseline / value for latency. Higher is better in both cases; ' +
  '1 means as good as the raw baseline, 0.25 means a quarter of its throughput or four times its latency.';

export const ALONGSIDE_DEFINITION =
  'alongside (* in the table) = the baseline measured again right before that figure, after its scenario had made ' +
  "its data, and used for its ratio instead of the run's first measurement of the baseline.";

/**
 * Fills each row's `baseline` (the value of the referenced scenario's metric)
 * and `ratio`, and rounds for display. A missing baseline leaves both null.
 */
export function resolveBaselines(rows) {
  const byKey = new Map(rows.map((row) => [`${row.scenario}/${row.metric}`, row]));
  return rows.map((row) => {
    const reference = row.compareWith;
    const baseRow = reference === undefined ? undefined : byKey.get(`${reference.scenario}/${reference.metric}`);
    // A baseline measured alongside (right before this figure) carries its own value.
    const baseline = reference?.value ?? baseRow?.value ?? null;
    let ratio = null;
    if (baseline !== null && Number.isFinite(baseline) && Number.isFinite(row.value) && baseline > 0 && row.value > 0) {
      ratio = row.better === 'lower' ? baseline / row.value : row.value / baseline;
    }
    return {
      scenario: row.scenario,
      metric: row.metric,
      value: round(row.value),
      unit: row.unit,
      baseline: round(baseline),
      ratio: ratio === null ? null : Number(ratio.toPrecision(3)),
      better: row.better,
      baselineScenario: baseline === null ? null : reference.scenario,
      ...(reference?.alongside === true && { baselineMeasured: 'alongside' }),
      ...(row.note !== undefined && { note: row.note }),
      ...(row.warning !== undefined && { warning: row.warning }),
    };
  });
}

export function formatTable(rows) {
  const headers = ['scenario', 'metric', 'value', 'unit', 'baseline', 'vs', 'ratio', 'note'];
  const cells = rows.map((row) => [
    row.scenario,
    row.metric,
    formatNumber(row.value),
    row.unit,
    formatNumber(row.baseline),
    row.baselineScenario === null ? '' : `${row.baselineScenario}${row.baselineMeasured === 'alongside' ? '*' : ''}`,
    row.ratio === null ? '' : `${row.ratio}×`,
    [row.warning && `WARNING: ${row.warning}`, row.note].filter(Boolean).join('; '),
  ]);
  const numeric = new Set([2, 4, 6]);
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((line) => line[i].length)));
  const line = (values) =>
    values
      .map((value, i) => (numeric.has(i) ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

/** A short markdown summary: the run, each figure compared with a baseline, and failures. */
export function markdownSummary(rows, { mode, seconds, failures, environment }) {
  const compared = rows.filter((row) => row.baselineScenario !== null);
  const lines = [`## Benchmark (${mode}, ${Math.round(seconds)} s)`, '', environment, ''];
  if (compared.length > 0) {
    lines.push('| scenario | metric | value | baseline | ratio |', '|---|---|---:|---:|---:|');
    for (const row of compared) {
      lines.push(
        `| ${row.scenario} | ${row.metric} | ${formatNumber(row.value)} ${row.unit} | ${formatNumber(row.baseline)} ${row.unit} (${row.baselineScenario}${row.baselineMeasured === 'alongside' ? ', alongside' : ''}) | ${row.ratio ?? 'n/a'} |`,
      );
    }
    lines.push('', `_${RATIO_DEFINITION}_`);
    if (compared.some((row) => row.baselineMeasured === 'alongside')) lines.push('', `_${ALONGSIDE_DEFINITION}_`);
  }
  const warnings = rows.filter((row) => row.warning !== undefined);
  if (warnings.length > 0) {
    lines.push('', '**Warnings:**', ...warnings.map((row) => `- ${row.scenario} ${row.metric}: ${row.warning}`));
  }
  if (failures.length > 0) {
    lines.push(
      '',
      '**Failed scenarios:**',
      ...failures.map((failure) => `- ${failure.scenario}: ${firstLines(failure.message)}`),
    );
  }
  return lines.join('\n');
}

function formatNumber(value) {
  if (value === null || value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);
}

/** The message's first line and, when it only introduces a log, the log's first error line. */
function firstLines(message) {
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  const detail = lines.slice(1).find((line) => /error/i.test(line));
  return detail === undefined ? lines[0] : `${lines[0]} ${detail.trim()}`;
}
