import { isoWeekOf, isoWeekStart } from './homework-overview.js';

describe('ISO weeks of the homework overview', () => {
  it.each([
    ['2026-06-10', '2026-W24', '2026-06-08'],
    ['2026-06-14', '2026-W24', '2026-06-08'],
    ['2026-06-15', '2026-W25', '2026-06-15'],
    // Year boundaries: the ISO week-year is the year of the week's Thursday.
    ['2026-01-01', '2026-W01', '2025-12-29'],
    ['2027-01-01', '2026-W53', '2026-12-28'],
    ['2027-01-04', '2027-W01', '2027-01-04'],
    ['2024-12-30', '2025-W01', '2024-12-30'],
    ['2021-01-03', '2020-W53', '2020-12-28'],
  ])('%s is in %s, which starts on %s', (day, week, monday) => {
    expect(isoWeekOf(day)).toBe(week);
    expect(isoWeekStart(day)).toBe(monday);
  });
});
