import type { ParticipantLedger, ParticipantMeasures } from '../model/report.types.js';
import { includedSections, sectionsFor } from '../model/sections.js';
import { pdfSafe } from '../render/pdf.js';
import { caseloadPatterns, casePatterns } from './patterns.js';

const you = { clientId: 'a', label: 'You', role: 'harmed' };
const partner = { clientId: 'b', label: 'Sam', role: 'harming' };

function ledger(who: typeof you, weeks: [number, number, number][], disputed = 0): ParticipantLedger {
  const rows = weeks.map(([kept, partlyKept, missed], index) => ({
    week: `2026-W0${index + 1}`,
    startsOn: '2026-01-05',
    kept,
    partlyKept,
    missed,
    disputed: 0,
    consistency: null,
  }));
  const totals = rows.reduce(
    (sum, row) => ({
      kept: sum.kept + row.kept,
      partlyKept: sum.partlyKept + row.partlyKept,
      missed: sum.missed + row.missed,
      disputed,
    }),
    { kept: 0, partlyKept: 0, missed: 0, disputed },
  );
  const entries = totals.kept + totals.partlyKept + totals.missed;
  return {
    participant: who,
    weeks: rows,
    totals,
    consistency: entries === 0 ? null : Math.round((totals.kept / entries) * 10_000) / 10_000,
    currentKeptRun: 0,
    longestKeptRun: 3,
  };
}

const series = (who: typeof you, scores: number[], labels: (string | null)[]): ParticipantMeasures => ({
  participant: who,
  series: [
    {
      measureId: 'csi-4',
      name: 'CSI-4',
      domain: 'relationship',
      direction: 'higher_is_better',
      range: { min: 0, max: 21 },
      cutoff: { value: 13.5, clinicalWhen: 'lt' },
      reliableChangeThreshold: null,
      points: scores.map((score, index) => ({
        date: `2026-01-0${index + 1}`,
        score,
        isBaseline: index === 0,
        inClinicalRange: score < 13.5,
        label: labels[index],
      })),
      change: scores.length < 2 ? null : (scores.at(-1) ?? 0) - scores[0],
      latestLabel: labels.at(-1) ?? null,
    },
  ],
});

describe('favourable patterns and lingering concerns (documented rules)', () => {
  it('needs enough data before it says anything', () => {
    const out = casePatterns({
      homework: [
        {
          participant: you,
          weeks: [],
          totals: { assigned: 3, completed: 3, onTime: 3, completionRate: 1, onTimeRate: 1 },
        },
      ],
      ledger: [
        ledger(you, [
          [2, 0, 0],
          [2, 0, 0],
        ]),
      ],
      boundaryEvents: null,
      measures: null,
      openAlerts: null,
      comparePartners: false,
    });
    expect(out).toEqual({ favourable: [], concerns: [] });
  });

  it('speaks to the reader of their own copy in the second person', () => {
    const out = casePatterns({
      homework: null,
      ledger: [
        ledger(
          you,
          [
            [0, 1, 2],
            [1, 1, 1],
            [3, 0, 0],
            [3, 0, 0],
          ],
          2,
        ),
      ],
      boundaryEvents: { total: 0, repairCompleted: 0 },
      measures: null,
      openAlerts: null,
      comparePartners: false,
    });
    expect(out.favourable.map((s) => s.text)).toEqual([
      'Your share of commitments kept rose from 17% in the first half of the period to 100% in the second.',
      'No boundary was crossed in the period, over 12 ledger entries.',
    ]);
    expect(out.concerns.map((s) => s.text)).toEqual([
      '2 ledger entries recorded for you were disputed by another participant.',
    ]);
  });

  it('compares partners only when asked (the care team), never averaging them', () => {
    const input = {
      homework: null,
      ledger: null,
      boundaryEvents: null,
      measures: [series(you, [10, 12], [null, null]), series(partner, [18, 17], [null, null])],
      openAlerts: null,
    };
    expect(casePatterns({ ...input, comparePartners: false }).concerns.map((s) => s.rule)).toEqual(['clinical_range']);
    const compared = casePatterns({ ...input, comparePartners: true }).concerns;
    expect(compared.map((s) => s.rule)).toEqual(['clinical_range', 'partner_gap']);
    expect(compared[1].basis).toEqual({ measure: 'CSI-4', first: 12, second: 17, gap: 5, limit: 4.2 });
  });

  it('counts cases, not people, in a caseload', () => {
    const row = {
      caseId: 'c',
      caseTitle: 't',
      participants: [],
      status: 'active',
      phase: 'P1',
      homework: { assigned: 10, completed: 2, onTime: 2, completionRate: 0.2, onTimeRate: 0.2 },
      ledgerConsistency: null,
      boundaryEvents: 0,
      openAlerts: 2,
      unsignedNotes: 0,
      reliableImprovements: 0,
      reliableDeteriorations: 0,
    };
    expect(caseloadPatterns([row]).concerns.map((s) => s.text)).toEqual([
      '2 safety alerts are open at the end of the period, in 1 case.',
      '1 case completed less than half of the homework due.',
    ]);
  });
});

describe('sections by audience and PDF text', () => {
  it('gives the couple no measures or safety alerts and every case report its narrative', () => {
    expect(includedSections('client_summary', 'couple')).not.toContain('measures');
    expect(includedSections('client_summary', 'partner')).toContain('measures');
    expect(includedSections('client_summary', 'partner')).not.toContain('safety_alerts');
    expect(includedSections('case', 'care_team')).toContain('safety_alerts');
    expect(sectionsFor('clinic', 'clinic').find((s) => s.id === 'clinical_text')?.included).toBe(false);
    expect(() => sectionsFor('case', 'couple')).toThrow();
  });

  it('keeps every character the embedded font draws and marks the others', () => {
    expect(pdfSafe('Score ≥ 10 – “ok” → Ørjan, Ἀλέξης, Анна, שרה, Łukasz')).toBe(
      'Score ≥ 10 – “ok” → Ørjan, Ἀλέξης, Анна, שרה, Łukasz',
    );
    expect(pdfSafe('漢字\u0007\u0085x')).toBe('??  x');
  });
});
