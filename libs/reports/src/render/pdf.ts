import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

import type {
  CaseReportModel,
  CaseloadReportModel,
  ClinicReportModel,
  MeasureSeries,
  PatternSentence,
  ReportModel,
} from '../model/report.types.js';
import { sectionsFor } from '../model/sections.js';
import { tablesOf, type ReportTable } from './tables.js';

/**
 * The PDF, drawn from the model only (pdfkit, DejaVu Sans embedded as a subset
 * so that names in every Latin script, Greek, Cyrillic, Armenian and Georgian
 * print as written; text extractable; right-to-left scripts keep their letters
 * but pdfkit lays them out left to right). Charts are vector paths: axes, the
 * cutoff band, each participant's line, the baseline and reliable-change
 * markers; partners are drawn side by side on the same scale, never averaged.
 * Deterministic: the document dates are the report's as-of instant, so the same
 * model gives the same bytes.
 */

const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const INK = '#1f2933';
const MUTED = '#616e7c';
const LINE = '#cbd2d9';
const BAND = '#fde8e8';
const SERIES = ['#2f6fb0', '#b0562f', '#3d8b5a'];

/** DejaVu Sans (dejavu-fonts-ttf; Bitstream Vera licence, DejaVu changes public domain), read once. */
const FONT_FILES = (() => {
  const require = createRequire(import.meta.url);
  return {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
})();
/** The standard fonts (nothing embedded) for text they encode; the embedded face only for text they cannot. */
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const EMBEDDED_REGULAR = 'MendSans';
const EMBEDDED_BOLD = 'MendSans-Bold';
const COVERAGE = fontkit.create(FONT_FILES.regular) as fontkit.Font;

/**
 * Text as the embedded font can draw it: tabs and newlines kept, other control
 * characters become spaces, and a character the font has no glyph for (e.g.
 * Chinese, Japanese, Korean) becomes `?` rather than an empty box.
 */
export function pdfSafe(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 63;
    if (code === 9 || code === 10) out += char;
    else if (code < 32 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else out += COVERAGE.hasGlyphForCodePoint(code) ? char : '?';
  }
  return out;
}

/** The standard PDF fonts encode WinAnsi: Latin-1 and these few typographic characters. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const winAnsi = (text: string): boolean => {
  for (const char of text) {
    if ((char.codePointAt(0) ?? 0) > 255 && !WIN_ANSI_EXTRA.has(char)) return false;
  }
  return true;
};

/**
 * Sets the face for a piece of text — Helvetica when WinAnsi encodes it (most
 * reports: nothing embedded, small and fast), otherwise the embedded DejaVu Sans
 * (subset) — and returns the text as drawable (pdfSafe).
 */
function typeset(doc: PDFKit.PDFDocument, text: string, bold: boolean): string {
  const safe = pdfSafe(text);
  if (winAnsi(safe)) doc.font(bold ? BOLD : REGULAR);
  else doc.font(bold ? EMBEDDED_BOLD : EMBEDDED_REGULAR);
  return safe;
}

const pct = (rate: number | null): string => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);
const num = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : String(value));

class Writer {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  get y(): number {
    return this.doc.y;
  }

  ensure(height: number): void {
    if (this.doc.y + height > PAGE.height - PAGE.margin) {
      this.doc.addPage();
      this.doc.y = PAGE.margin;
    }
  }

  heading(text: string): void {
    this.ensure(90);
    this.doc.moveDown(0.6);
    this.doc
      .fontSize(13)
      .fillColor(INK)
      .text(typeset(this.doc, text, true), PAGE.margin, this.doc.y, {
        width: CONTENT_WIDTH,
      });
    const y = this.doc.y + 2;
    this.doc
      .moveTo(PAGE.margin, y)
      .lineTo(PAGE.margin + CONTENT_WIDTH, y)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke();
    this.doc.y = y + 6;
  }

  subheading(text: string): void {
    this.ensure(40);
    this.doc
      .fontSize(10.5)
      .fillColor(INK)
      .text(typeset(this.doc, text, true), PAGE.margin, this.doc.y, {
        width: CONTENT_WIDTH,
      });
    this.doc.moveDown(0.2);
  }

  paragraph(text: string, options: { muted?: boolean; size?: number } = {}): void {
    this.ensure(24);
    this.doc

      .fontSize(options.size ?? 9.5)
      .fillColor(options.muted === true ? MUTED : INK)
      .text(typeset(this.doc, text, false), PAGE.margin, this.doc.y, { width: CONTENT_WIDTH });
    this.doc.moveDown(0.25);
  }

  keyValues(pairs: readonly (readonly [string, string])[]): void {
    for (const [key, value] of pairs) {
      this.ensure(14);
      const y = this.doc.y;
      this.doc
        .fontSize(9)
        .fillColor(MUTED)
        .text(typeset(this.doc, key, true), PAGE.margin, y, { width: 170 });
      this.doc

        .fontSize(9)
        .fillColor(INK)
        .text(typeset(this.doc, value, false), PAGE.margin + 175, y, { width: CONTENT_WIDTH - 175 });
      this.doc.y = Math.max(this.doc.y, y + 12);
    }
    this.doc.moveDown(0.3);
  }

  /** A table drawn in columns; long tables continue on the next page with the header repeated. */
  table(table: Pick<ReportTable, 'columns' | 'rows'>, headers?: readonly string[], weights?: readonly number[]): void {
    const columns = headers ?? table.columns;
    const shares = columns.map((_, index) => weights?.[index] ?? 1);
    const unit = CONTENT_WIDTH / shares.reduce((sum, share) => sum + share, 0);
    const xs = shares.map(
      (_, index) => PAGE.margin + shares.slice(0, index).reduce((sum, share) => sum + share, 0) * unit,
    );
    const widths = shares.map((share) => share * unit - 4);
    const header = (): void => {
      const y = this.doc.y;
      columns.forEach((column, index) => {
        this.doc
          .fontSize(7.5)
          .fillColor(MUTED)
          .text(typeset(this.doc, column, true), xs[index], y, {
            width: widths[index],
            height: 9,
            lineBreak: false,
            ellipsis: true,
          });
      });
      this.doc.y = y + 11;
      this.doc
        .moveTo(PAGE.margin, this.doc.y - 1)
        .lineTo(PAGE.margin + CONTENT_WIDTH, this.doc.y - 1)
        .lineWidth(0.3)
        .strokeColor(LINE)
        .stroke();
    };
    this.ensure(30);
    header();
    for (const row of table.rows) {
      if (this.doc.y + 11 > PAGE.height - PAGE.margin) {
        this.doc.addPage();
        this.doc.y = PAGE.margin;
        header();
      }
      const y = this.doc.y;
      row.forEach((cell, index) => {
        const text = cell === null ? '-' : typeof cell === 'boolean' ? (cell ? 'yes' : 'no') : String(cell);
        this.doc
          .fontSize(7.5)
          .fillColor(INK)
          .text(typeset(this.doc, text, false), xs[index], y, {
            width: widths[index],
            height: 9,
            lineBreak: false,
            ellipsis: true,
          });
      });
      this.doc.y = y + 10;
    }
    this.doc.moveDown(0.4);
  }

  sentences(title: string, sentences: readonly PatternSentence[], empty: string): void {
    this.subheading(title);
    if (sentences.length === 0) {
      this.paragraph(empty, { muted: true });
      return;
    }
    for (const sentence of sentences) {
      this.ensure(20);
      this.doc

        .fontSize(9.5)
        .fillColor(INK)
        .text(typeset(this.doc, `- ${sentence.text}`, false), PAGE.margin + 6, this.doc.y, {
          width: CONTENT_WIDTH - 6,
        });
      this.doc

        .fontSize(7)
        .fillColor(MUTED)
        .text(typeset(this.doc, `rule ${sentence.rule}`, false), PAGE.margin + 14, this.doc.y, {
          width: CONTENT_WIDTH - 14,
        });
      this.doc.moveDown(0.2);
    }
  }
}

/**
 * One measure chart: y axis over the measure's range, the cutoff band (the
 * clinical side of the cutoff, shaded), the line through the points, the
 * baseline as a hollow square, reliable improvement / recovered as a filled
 * upward triangle, reliable deterioration as a filled downward triangle, other
 * points as dots. `x` spans the report period.
 */
function measureChart(
  doc: PDFKit.PDFDocument,
  box: { x: number; y: number; width: number; height: number },
  series: MeasureSeries,
  periodDays: { startMs: number; endMs: number },
  color: string,
  title: string,
): void {
  const plot = { x: box.x + 26, y: box.y + 14, width: box.width - 32, height: box.height - 30 };
  const { min, max } = series.range;
  const span = max - min || 1;
  const yOf = (score: number): number => plot.y + plot.height - ((score - min) / span) * plot.height;
  const firstMs = Math.min(periodDays.startMs, ...series.points.map((point) => Date.parse(`${point.date}T12:00:00Z`)));
  const xOf = (date: string): number =>
    plot.x + ((Date.parse(`${date}T12:00:00Z`) - firstMs) / Math.max(periodDays.endMs - firstMs, 1)) * plot.width;

  doc
    .fontSize(8)
    .fillColor(INK)
    .text(typeset(doc, title, true), box.x, box.y, {
      width: box.width,
      lineBreak: false,
      ellipsis: true,
    });
  if (series.cutoff !== null) {
    const clinicalAbove = series.cutoff.clinicalWhen === 'gte' || series.cutoff.clinicalWhen === 'gt';
    const cut = yOf(series.cutoff.value);
    const top = clinicalAbove ? plot.y : cut;
    const bottom = clinicalAbove ? cut : plot.y + plot.height;
    doc
      .rect(plot.x, top, plot.width, Math.max(bottom - top, 0))
      .fillColor(BAND)
      .fill();
    doc
      .moveTo(plot.x, cut)
      .lineTo(plot.x + plot.width, cut)
      .dash(2, { space: 2 })
      .lineWidth(0.6)
      .strokeColor('#c0392b')
      .stroke();
    doc.undash();
    doc
      .font(REGULAR)
      .fontSize(6)
      .fillColor('#c0392b')
      .text(`cutoff ${series.cutoff.value}`, plot.x + plot.width - 48, cut - 8, {
        width: 48,
        align: 'right',
        lineBreak: false,
      });
  }
  // Axes and range labels.
  doc
    .moveTo(plot.x, plot.y)
    .lineTo(plot.x, plot.y + plot.height)
    .lineTo(plot.x + plot.width, plot.y + plot.height)
    .lineWidth(0.6)
    .strokeColor(MUTED)
    .stroke();
  doc.font(REGULAR).fontSize(6).fillColor(MUTED);
  doc.text(String(max), box.x, plot.y - 3, { width: 22, align: 'right', lineBreak: false });
  doc.text(String(min), box.x, plot.y + plot.height - 4, { width: 22, align: 'right', lineBreak: false });
  // The line.
  series.points.forEach((point, index) => {
    const x = xOf(point.date);
    const y = yOf(point.score);
    if (index === 0) doc.moveTo(x, y);
    else doc.lineTo(x, y);
  });
  if (series.points.length > 1) doc.lineWidth(1.2).strokeColor(color).stroke();
  // Markers.
  for (const point of series.points) {
    const x = xOf(point.date);
    const y = yOf(point.score);
    if (point.isBaseline) {
      doc
        .rect(x - 2.5, y - 2.5, 5, 5)
        .lineWidth(0.8)
        .strokeColor(color)
        .stroke();
    } else if (point.label === 'reliable improvement' || point.label === 'recovered') {
      doc
        .polygon([x, y - 4], [x - 3.5, y + 2.5], [x + 3.5, y + 2.5])
        .fillColor('#2e7d32')
        .fill();
    } else if (point.label === 'reliable deterioration') {
      doc
        .polygon([x, y + 4], [x - 3.5, y - 2.5], [x + 3.5, y - 2.5])
        .fillColor('#c62828')
        .fill();
    } else {
      doc.circle(x, y, 1.8).fillColor(color).fill();
    }
  }
  doc.font(REGULAR).fontSize(6).fillColor(MUTED);
  const first = series.points[0];
  const last = series.points.at(-1);
  if (first !== undefined) doc.text(first.date, plot.x, plot.y + plot.height + 3, { width: 60, lineBreak: false });
  if (last !== undefined && last !== first)
    doc.text(last.date, plot.x + plot.width - 60, plot.y + plot.height + 3, {
      width: 60,
      align: 'right',
      lineBreak: false,
    });
  doc.fillColor(INK);
}

function measuresSection(w: Writer, model: CaseReportModel): void {
  if (model.measures === null) return;
  w.heading('Outcome measures');
  w.paragraph(
    "Each participant's own line; partners side by side on the same scale, never averaged. Shaded: the clinical " +
      'range beyond the cutoff. Square: baseline (first administration). Triangle up: reliable improvement; ' +
      'triangle down: reliable deterioration.',
    { muted: true, size: 8 },
  );
  const measureIds = [
    ...new Set(model.measures.flatMap((entry) => entry.series.map((series) => series.measureId))),
  ].sort();
  if (measureIds.length === 0) {
    w.paragraph('No measure was administered in the period.', { muted: true });
    return;
  }
  const doc = w.doc;
  const window = {
    startMs: Date.parse(`${model.period.start}T00:00:00Z`),
    endMs: Date.parse(`${model.period.end}T00:00:00Z`),
  };
  for (const measureId of measureIds) {
    const columns = model.measures.map((entry) => ({
      participant: entry.participant,
      series: entry.series.find((series) => series.measureId === measureId) ?? null,
    }));
    const named = columns.find((column) => column.series !== null)?.series;
    if (named === undefined || named === null) continue;
    const perRow = Math.min(columns.length, 2);
    const width = (CONTENT_WIDTH - (perRow - 1) * 12) / perRow;
    for (let start = 0; start < columns.length; start += perRow) {
      w.ensure(150);
      const top = doc.y;
      columns.slice(start, start + perRow).forEach((column, index) => {
        const box = { x: PAGE.margin + index * (width + 12), y: top, width, height: 120 };
        const title = `${named.name} - ${column.participant.label}`;
        if (column.series === null) {
          doc

            .fontSize(8)
            .fillColor(INK)
            .text(typeset(doc, title, true), box.x, box.y, { width, lineBreak: false });
          doc
            .font(REGULAR)
            .fontSize(7.5)
            .fillColor(MUTED)
            .text('Not administered in the period.', box.x, box.y + 16, { width });
        } else {
          measureChart(doc, box, column.series, window, SERIES[(start + index) % SERIES.length], title);
        }
      });
      doc.y = top + 128;
      // The numbers under each row of charts (the same as in the JSON).
      for (const column of columns.slice(start, start + perRow)) {
        if (column.series === null) continue;
        const s = column.series;
        w.paragraph(
          `${column.participant.label}, ${s.name}: ` +
            s.points
              .map(
                (point) =>
                  `${point.date} ${point.score}${point.isBaseline ? ' (baseline)' : ''}${point.label === null ? '' : ` [${point.label}]`}`,
              )
              .join('; ') +
            `. Change ${num(s.change)}; reliable-change threshold ${num(s.reliableChangeThreshold)}` +
            (s.cutoff === null ? '.' : `; cutoff ${s.cutoff.value}.`),
          { size: 7.5 },
        );
      }
    }
  }
}

function caseReport(w: Writer, model: CaseReportModel): void {
  const s = model.summary;
  const title = model.kind === 'case' ? 'Case progress report' : 'Progress summary';
  w.doc
    .fontSize(18)
    .fillColor(INK)
    .text(typeset(w.doc, title, true), PAGE.margin, PAGE.margin);
  w.doc.moveDown(0.3);
  const audience =
    model.audience === 'care_team'
      ? 'Care team (confidential clinical document)'
      : model.audience === 'couple'
        ? 'Both participants'
        : `${s.forParticipant?.label ?? 'One participant'} only`;
  w.keyValues([
    ['Clinic', model.clinicName],
    ['Period', `${model.period.start} to ${model.period.end} (end exclusive, ${model.period.timezone})`],
    ['Prepared for', audience],
    ...(s.caseTitle === null ? [] : [['Case', s.caseTitle] as const]),
    ['Case type and status', `${s.caseType}, ${s.status} at the end of the period`],
    ['Phase at the end', s.phaseAtEnd],
    ['Participants', s.participants.map((p) => `${p.label} (${p.role})`).join(', ')],
    ['Report', model.reportId],
  ]);

  if (model.phaseTimeline !== null) {
    w.heading('Phase timeline');
    w.table({
      columns: ['phase', 'from', 'to'],
      rows: model.phaseTimeline.spans.map((span) => [span.phase, span.from, span.to ?? 'end of period']),
    });
    w.paragraph(`Phase changes in the period: ${model.phaseTimeline.changesInPeriod}.`, { muted: true, size: 8 });
  }

  const tables = new Map(tablesOf(model).map((table) => [table.name, table]));
  if (model.homework !== null) {
    w.heading('Homework');
    for (const entry of model.homework) {
      w.paragraph(
        `${entry.participant.label}: ${entry.totals.completed} of ${entry.totals.assigned} completed (${pct(entry.totals.completionRate)}), ` +
          `${entry.totals.onTime} on time (${pct(entry.totals.onTimeRate)}).`,
      );
    }
    const table = tables.get('homework-weeks.csv');
    if (table !== undefined) w.table(table);
  }
  if (model.ledger !== null) {
    w.heading('Trust ledger');
    for (const entry of model.ledger) {
      w.paragraph(
        `${entry.participant.label}: kept ${entry.totals.kept}, partly kept ${entry.totals.partlyKept}, missed ${entry.totals.missed} ` +
          `(consistency ${pct(entry.consistency)}); disputed ${entry.totals.disputed}; current run kept ${entry.currentKeptRun}, ` +
          `longest run kept ${entry.longestKeptRun}.`,
      );
    }
    const table = tables.get('ledger-weeks.csv');
    if (table !== undefined) w.table(table);
  }
  if (model.boundaryEvents !== null) {
    w.heading('Boundary events');
    w.paragraph(
      `${model.boundaryEvents.total} boundary events in the period; restorative response completed for ${model.boundaryEvents.repairCompleted}.`,
    );
    const table = tables.get('boundary-events.csv');
    if (table !== undefined && table.rows.length > 0) w.table(table);
  }
  measuresSection(w, model);
  if (model.sessions !== null) {
    w.heading('Sessions');
    w.paragraph(
      model.audience === 'care_team'
        ? `Completed ${model.sessions.completed} (joint ${model.sessions.jointCompleted}), cancelled ${model.sessions.cancelled}, ` +
            `no-show ${model.sessions.noShow}, still scheduled ${model.sessions.scheduled}.`
        : `Joint sessions completed in the period: ${model.sessions.jointCompleted}.`,
    );
  }
  if (model.safetyAlerts !== null) {
    w.heading('Safety alerts');
    w.paragraph(
      `Raised in the period: ${model.safetyAlerts.raisedInPeriod}. Open at the end of the period: ${model.safetyAlerts.openAtEnd.length}.`,
    );
    if (model.safetyAlerts.openAtEnd.length > 0) {
      w.table({
        columns: ['raised on', 'tier', 'trigger', 'participant'],
        rows: model.safetyAlerts.openAtEnd.map((alert) => [
          alert.raisedOn,
          alert.tier,
          alert.trigger,
          alert.participantLabel,
        ]),
      });
    }
  }
  w.heading('Favourable patterns and lingering concerns');
  w.sentences(
    'Favourable patterns',
    model.patterns.favourable,
    'None of the documented rules found a favourable pattern in this period.',
  );
  w.sentences(
    'Lingering concerns',
    model.patterns.concerns,
    'None of the documented rules found a lingering concern in this period.',
  );
  if (model.sections.includes('narrative')) {
    w.heading("Counselor's narrative");
    w.paragraph(model.narrative ?? 'No narrative was written for this report.', { muted: model.narrative === null });
  }
}

function caseloadReport(w: Writer, model: CaseloadReportModel): void {
  w.doc.font(BOLD).fontSize(18).fillColor(INK).text('Caseload report', PAGE.margin, PAGE.margin);
  w.doc.moveDown(0.3);
  w.keyValues([
    ['Clinic', model.clinicName],
    ['Counselor', model.counselor.name],
    ['Period', `${model.period.start} to ${model.period.end} (end exclusive, ${model.period.timezone})`],
    ['Report', model.reportId],
  ]);
  w.heading('Caseload totals');
  w.keyValues([
    ['Open cases', String(model.totals.cases)],
    [
      'Homework',
      `${model.totals.homework.completed} of ${model.totals.homework.assigned} completed (${pct(model.totals.homework.completionRate)}), ${model.totals.homework.onTime} on time`,
    ],
    ['Open safety alerts', String(model.totals.openAlerts)],
    ['Unsigned notes', String(model.totals.unsignedNotes)],
    ['Boundary events', String(model.totals.boundaryEvents)],
  ]);
  w.heading('Cases');
  const [table] = tablesOf(model);
  w.table(
    {
      columns: table.columns,
      rows: model.cases.map((row) => [
        row.caseTitle,
        row.participants.join(', '),
        row.status,
        row.phase,
        row.homework.assigned,
        row.homework.completed,
        row.homework.onTime,
        pct(row.homework.completionRate),
        pct(row.ledgerConsistency),
        row.boundaryEvents,
        row.openAlerts,
        row.unsignedNotes,
        row.reliableImprovements,
        row.reliableDeteriorations,
      ]),
    },
    [
      'case',
      'people',
      'status',
      'phase',
      'due',
      'done',
      'on time',
      'rate',
      'ledger',
      'bound.',
      'alerts',
      'unsigned',
      'improv.',
      'deter.',
    ],
    [4, 4, 1.4, 1, 1, 1, 1.2, 1.2, 1.2, 1, 1, 1.3, 1.2, 1.2],
  );
  w.heading('Favourable patterns and lingering concerns');
  w.sentences(
    'Favourable patterns',
    model.patterns.favourable,
    'None of the documented rules found a favourable pattern.',
  );
  w.sentences('Lingering concerns', model.patterns.concerns, 'None of the documented rules found a lingering concern.');
}

function clinicReport(w: Writer, model: ClinicReportModel): void {
  w.doc.font(BOLD).fontSize(18).fillColor(INK).text('Clinic report', PAGE.margin, PAGE.margin);
  w.doc.moveDown(0.3);
  w.keyValues([
    ['Clinic', model.clinicName],
    ['Period', `${model.period.start} to ${model.period.end} (end exclusive, ${model.period.timezone})`],
    ['Prepared for', model.audience === 'clinic' ? 'Clinic administrators' : 'Supervisor (breakdown: supervisees)'],
    ['Report', model.reportId],
  ]);
  w.paragraph('Counts, rates, shares and response times only: no clinical text and no client names.', {
    muted: true,
    size: 8,
  });
  const tables = tablesOf(model);
  w.heading('Active cases by phase');
  w.keyValues([
    ['Active at the end', String(model.cases.activeAtEnd)],
    ...Object.entries(model.cases.byPhase).map(([phase, n]): [string, string] => [`Phase ${phase}`, String(n)]),
    ['On safety hold', String(model.cases.onSafetyHold)],
    ['Opened / closed in the period', `${model.cases.opened} / ${model.cases.closed}`],
    ['Clients with an active case', String(model.clients.withActiveCase)],
  ]);
  w.heading('Homework completion');
  w.keyValues([
    ['Assigned (due in the period)', String(model.homework.assigned)],
    ['Completed', `${model.homework.completed} (${pct(model.homework.completionRate)})`],
    ['On time', `${model.homework.onTime} (${pct(model.homework.onTimeRate)})`],
  ]);
  w.heading('Reliable change per measure');
  w.paragraph(
    "Clients with a baseline and a later administration in the period; each client's latest score in the period against their baseline.",
    { muted: true, size: 8 },
  );
  w.table(tables[1], undefined, [2.5, 1.4, 1.4, 1.2, 1.4, 1.4, 1.4, 1.4]);
  w.heading('Safety alerts and response times');
  w.keyValues([
    [
      'Raised in the period',
      `${model.alerts.raised} (tier 1: ${model.alerts.byTier.tier1}, tier 2: ${model.alerts.byTier.tier2}, tier 3: ${model.alerts.byTier.tier3})`,
    ],
    ['Acknowledged', String(model.alerts.acknowledged)],
    ['Open at the end', String(model.alerts.openAtEnd)],
    [
      'Minutes to acknowledge (median / 90th percentile)',
      `${num(model.alerts.medianMinutesToAcknowledge)} / ${num(model.alerts.p90MinutesToAcknowledge)}`,
    ],
  ]);
  w.heading('Notes and sessions');
  w.keyValues([
    ['Unsigned notes at the end', String(model.notes.unsignedAtEnd)],
    ['Notes signed in the period', String(model.notes.signedInPeriod)],
    [
      'Sessions completed / cancelled / no-show',
      `${model.sessions.completed} / ${model.sessions.cancelled} / ${model.sessions.noShow}`,
    ],
  ]);
  w.heading('Per-counselor breakdown');
  w.table(
    tables[2],
    ['counselor', 'active cases', 'due', 'done', 'rate', 'alerts', 'ack.', 'median min', 'unsigned'],
    [3, 1, 1, 1, 1, 1, 1, 1, 1],
  );
}

/** Renders the PDF of a model (deterministic: the document's dates are the as-of instant). */
export function renderPdf(model: ReportModel): Promise<Buffer> {
  const asOf = new Date(model.asOf);
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: false,
    info: {
      Title: `Mend ${model.kind.replace('_', ' ')} report ${model.period.start} to ${model.period.end}`,
      Author: 'Mend',
      Creator: 'Mend',
      Producer: 'Mend',
      CreationDate: asOf,
      ModDate: asOf,
    },
  });
  doc.registerFont(EMBEDDED_REGULAR, FONT_FILES.regular);
  doc.registerFont(EMBEDDED_BOLD, FONT_FILES.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const writer = new Writer(doc);
  switch (model.kind) {
    case 'case':
    case 'client_summary':
      caseReport(writer, model);
      break;
    case 'caseload':
      caseloadReport(writer, model);
      break;
    case 'clinic':
      clinicReport(writer, model);
      break;
  }
  const left = sectionsFor(model.kind, model.audience).filter((section) => !section.included);
  if (left.length > 0) {
    writer.heading('Not in this copy');
    for (const section of left) writer.paragraph(`${section.title}: ${section.note}`, { muted: true, size: 8 });
  }
  doc.end();
  return done;
}
