// The trend and projection (LANGUAGE.md 4.2), the at-risk decision and an
// objective's status (4.1). Every expected number is worked out by hand in
// the comments beside it (day differences, sums, means, slope, projection);
// none comes from the code under test.
import * as assert from 'node:assert/strict';
import { objectiveStatus, type Band, type KpiStatusKind } from '../server/src/language/model/objectiveStatus';
import { cadencePeriodContaining, parseDate, parsePeriod, type Cadence, type Day, type Period } from '../server/src/language/model/periods';
import { computeTrend, describeSlope, isAtRisk, isWithinPeriodsAfter, projectionAtDue, roundForPeople, roundInBand, trendValueAt, type MeasuredValue, type Trend, type TrendInput } from '../server/src/language/model/trend';
import type { KpiDecl } from '../server/src/language/model/ast';
import { allDiagnostics, createWorkspace } from '../server/src/language/service';
import type { DeclEntry } from '../server/src/language/workspace/workspace';
import { MemoryFileSystem } from './support/memory-fs';

/** Floating-point sums are close to, not exactly, the hand-worked fractions. */
function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);
}

function period(text: string): Period {
  const parsed = parsePeriod(text);
  assert.ok(parsed !== undefined && typeof parsed !== 'string', `${text} is a period`);
  return parsed;
}

function day(text: string): Day {
  return parseDate(text)!;
}

/** Actuals in the order section 7 gives them (the tests write them oldest first). */
function series(...pairs: [string, number][]): MeasuredValue[] {
  return pairs.map(([text, value]) => ({ period: period(text), value }));
}

/** green >= 20, amber >= 12, else red (higher is better, like SellOutGrowth). */
const higherIsBetter = (value: number): Band => (value >= 20 ? 'green' : value >= 12 ? 'amber' : 'red');
/** green <= 2, amber <= 4, else red (lower is better, like a complaint rate). */
const lowerIsBetter = (value: number): Band => (value <= 2 ? 'green' : value <= 4 ? 'amber' : 'red');

function trendOf(frequency: Cadence | undefined, actuals: MeasuredValue[], more: Partial<TrendInput> = {}): Trend | undefined {
  return computeTrend({ series: actuals, frequency, classify: higherIsBetter, stale: false, ...more });
}

function mustTrend(frequency: Cadence, actuals: MeasuredValue[], more: Partial<TrendInput> = {}): Trend {
  const trend = trendOf(frequency, actuals, more);
  assert.ok(trend, 'a trend');
  return trend;
}

// The worked example used by several tests: a monthly KPI with actuals for
// 2026-07 … 2026-10. Each period ends on its last day; measured from
// 2026-10-31 (x = 0):
//   2026-07-31: -92 (Jul 31 → Aug 31 is 31 days, → Sep 30 is 30, → Oct 31 is 31: 31+30+31 = 92)
//   2026-08-31: -61
//   2026-09-30: -31
//   2026-10-31:   0
// sum x = -184, mean x = -46; x - mean: -46, -15, 15, 46
// sum (x - mean)² = 2116 + 225 + 225 + 2116 = 4682
// With values 26, 24, 23, 21: sum y = 94, mean y = 23.5; y - mean: 2.5, 0.5, -0.5, -2.5
// sum (x - mean)(y - mean) = -115 - 7.5 - 7.5 - 115 = -245
// slope = -245 / 4682 a day
// November (the next period) ends 2026-11-30, x = 30, which is 30 + 46 = 76 days after mean x:
// projected = 23.5 + 76 × (-245 / 4682) = 23.5 - 18620 / 4682 ≈ 19.523 (amber)
// per period: November has 30 days, slope × 30 = -7350 / 4682 ≈ -1.570
const SLOPE = -245 / 4682;
const monthlyFalling = (values: [number, number, number, number]) =>
  series(['2026-07', values[0]], ['2026-08', values[1]], ['2026-09', values[2]], ['2026-10', values[3]]);

describe('trend and projection', () => {
  it('is a least-squares line through the actuals, projected to the end of the next period', () => {
    const trend = mustTrend('monthly', monthlyFalling([26, 24, 23, 21]));
    assert.equal(trend.method, 'a straight line through the latest 4 actuals');
    assert.equal(trend.actuals, 4);
    near(trend.slopePerDay, SLOPE, 'slope a day');
    near(trend.slopePerPeriod, -7350 / 4682, 'slope a month');
    assert.equal(trend.lastDay, day('2026-10-31'));
    assert.equal(trend.projected.period, '2026-11');
    assert.equal(trend.projected.date, day('2026-11-30'));
    near(trend.projected.value, 23.5 - 18620 / 4682, 'projected value');
    assert.equal(trend.projected.status, 'amber');
    // The line on 2026-10-31 is 46 days after mean x: 23.5 - 46 × 245 / 4682 = 23.5 - 11270 / 4682;
    // adding the slope a month (-7350 / 4682) gives the projection (23.5 - 18620 / 4682).
    near(trendValueAt(trend, day('2026-10-31')), 23.5 - 11270 / 4682, 'line at the latest actual');
  });

  it('has no trend with two actuals, without a frequency, without a way to score, or with a stale latest actual', () => {
    assert.equal(trendOf('monthly', series(['2026-09', 20], ['2026-10', 21])), undefined);
    assert.equal(trendOf(undefined, monthlyFalling([26, 24, 23, 21])), undefined);
    assert.equal(trendOf('monthly', monthlyFalling([26, 24, 23, 21]), { classify: undefined }), undefined);
    assert.equal(trendOf('monthly', monthlyFalling([26, 24, 23, 21]), { stale: true }), undefined);
    assert.equal(trendOf('monthly', []), undefined);
  });

  it('has no trend when three actuals end on one day, and one when an earlier actual joins them', () => {
    // 2026-05-31 is a Sunday: the month 2026-05, the week 2026-W22 (May 25–31) and the day all end on it.
    const sameDay = series(['2026-05', 12], ['2026-W22', 12], ['2026-05-31', 12]);
    assert.equal(trendOf('weekly', sameDay), undefined);
    // With 2026-04 (ends Apr 30, x = -31 from May 31) at 10: x = -31, 0, 0, 0; mean x = -7.75;
    // x - mean: -23.25, 7.75, 7.75, 7.75; sum of squares = 540.5625 + 3 × 60.0625 = 720.75.
    // y = 10, 12, 12, 12; mean 11.5; y - mean: -1.5, 0.5, 0.5, 0.5;
    // sum of products = 34.875 + 3 × 3.875 = 46.5; slope = 46.5 / 720.75 = 2/31 a day
    // (the line through (-31, 10) and (0, 12)). Weekly: the next period holds Jun 1, 2026-W23,
    // ending Sunday 2026-06-07 (x = 7): 12 + 7 × 2/31 = 12 + 14/31; a week is 7 days: 14/31.
    const trend = mustTrend('weekly', [...series(['2026-04', 10]), ...sameDay]);
    assert.equal(trend.actuals, 4);
    near(trend.slopePerDay, 2 / 31, 'slope a day');
    near(trend.slopePerPeriod, 14 / 31, 'slope a week');
    assert.equal(trend.projected.period, '2026-W23');
    assert.equal(trend.projected.date, day('2026-06-07'));
    near(trend.projected.value, 12 + 14 / 31, 'projected value');
  });

  it('uses only the latest 6 actuals', () => {
    // 2026-01 and 2026-02 are far off the line; if they counted, the slope would not be 0.1.
    // The latest six lie on y = 10 + 0.1 × (days after 2026-03-31):
    //   2026-03 (Mar 31): 0 → 10;  2026-04 (Apr 30): 30 → 13;  2026-05 (May 31): 61 → 16.1
    //   2026-06 (Jun 30): 91 → 19.1;  2026-07 (Jul 31): 122 → 22.2;  2026-08 (Aug 31): 153 → 25.3
    // so the least-squares line is that line: slope 0.1 a day. The next period is 2026-09,
    // ending Sep 30, day 183: 10 + 18.3 = 28.3 (green); September has 30 days: 0.1 × 30 = 3.
    const actuals = series(['2026-01', 500], ['2026-02', -500], ['2026-03', 10], ['2026-04', 13], ['2026-05', 16.1], ['2026-06', 19.1], ['2026-07', 22.2], ['2026-08', 25.3]);
    const trend = mustTrend('monthly', actuals);
    assert.equal(trend.actuals, 6);
    assert.equal(trend.method, 'a straight line through the latest 6 actuals');
    near(trend.slopePerDay, 0.1, 'slope a day');
    near(trend.slopePerPeriod, 3, 'slope a month');
    assert.equal(trend.projected.period, '2026-09');
    assert.equal(trend.projected.date, day('2026-09-30'));
    near(trend.projected.value, 28.3, 'projected value');
    assert.equal(trend.projected.status, 'green');
  });

  it('lower is better: a rising line lands in a worse band', () => {
    // Weekly, 2026-W44 … 2026-W47 end Nov 1, 8, 15, 22; from Nov 22: x = -21, -14, -7, 0;
    // mean x = -10.5; x - mean: -10.5, -3.5, 3.5, 10.5; sum of squares = 110.25 + 12.25 + 12.25 + 110.25 = 245.
    // y = 1.0, 1.2, 1.6, 1.8; mean 5.6 / 4 = 1.4; y - mean: -0.4, -0.2, 0.2, 0.4;
    // sum of products = 4.2 + 0.7 + 0.7 + 4.2 = 9.8; slope = 9.8 / 245 = 0.04 a day, 0.28 a week.
    // 2026-W48 ends Sunday Nov 29, x = 7, 17.5 days after mean x: 1.4 + 17.5 × 0.04 = 2.1 — amber (over 2).
    const trend = mustTrend('weekly', series(['2026-W44', 1.0], ['2026-W45', 1.2], ['2026-W46', 1.6], ['2026-W47', 1.8]), { classify: lowerIsBetter });
    near(trend.slopePerDay, 0.04, 'slope a day');
    near(trend.slopePerPeriod, 0.28, 'slope a week');
    assert.equal(trend.projected.period, '2026-W48');
    assert.equal(trend.projected.date, day('2026-11-29'));
    near(trend.projected.value, 2.1, 'projected value');
    assert.equal(trend.projected.status, 'amber');
    assert.equal(lowerIsBetter(1.8), 'green');
    assert.equal(isAtRisk('green', trend), true);
  });

  it('uses the merged actuals: a data row replaces an actual line on the same period', () => {
    // The `actual 2026-09 99` line is replaced by the file's 23, and the file adds 2026-07 26:
    // the series is 26, 24, 23, 21 for 2026-07 … 2026-10, the worked example above.
    const files = {
      'k.kpi': 'kpi K { target >= 20 thresholds { green >= 20 amber >= 12 } frequency monthly data "d.csv"\n  actual 2026-08 24 actual 2026-09 99 actual 2026-10 21 }',
      'd.csv': 'period,value\n2026-09,23\n2026-07,26\n',
    };
    const fsys = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/ws/${k}`, v])));
    const workspace = createWorkspace({ root: '/ws', fs: fsys, today: () => day('2026-11-22'), files: [{ key: 'k.kpi', path: '/ws/k.kpi', text: files['k.kpi'] }] });
    const status = workspace.status(workspace.declarations('K')[0] as DeclEntry<KpiDecl>);
    assert.equal(status.status, 'green');
    assert.equal(status.stale, false);
    const trend = mustTrend('monthly', status.series);
    assert.deepEqual(status.series.map((a) => a.value), [26, 24, 23, 21]);
    near(trend.slopePerDay, SLOPE, 'slope a day');
    near(trend.projected.value, 23.5 - 18620 / 4682, 'projected value');
    assert.equal(isAtRisk(status.status, trend), true);
  });

  it('a week among months: a monthly KPI whose latest actual is 2026-W47 projects to the end of November', () => {
    // Ends: Aug 31, Sep 30, Oct 31, Nov 22 (W47). From Nov 22: Oct 31 is -22, Sep 30 is -53 (-22 - 31),
    // Aug 31 is -83 (-53 - 30). x = -83, -53, -22, 0; sum -158, mean -39.5;
    // x - mean: -43.5, -13.5, 17.5, 39.5; squares 1892.25 + 182.25 + 306.25 + 1560.25 = 3941.
    // y = 10, 12, 14, 15; mean 51 / 4 = 12.75; y - mean: -2.75, -0.75, 1.25, 2.25;
    // products 119.625 + 10.125 + 21.875 + 88.875 = 240.5; slope = 240.5 / 3941 a day.
    // Next period: the month holding Nov 23 — November, ending Nov 30, x = 8, 47.5 after mean x:
    // 12.75 + 47.5 × 240.5 / 3941 = 12.75 + 11423.75 / 3941 ≈ 15.649 (amber); November's 30 days:
    // slope a month = 240.5 × 30 / 3941 = 7215 / 3941.
    const trend = mustTrend('monthly', series(['2026-08', 10], ['2026-09', 12], ['2026-10', 14], ['2026-W47', 15]));
    near(trend.slopePerDay, 240.5 / 3941, 'slope a day');
    near(trend.slopePerPeriod, 7215 / 3941, 'slope a month');
    assert.equal(trend.projected.period, '2026-11');
    assert.equal(trend.projected.date, day('2026-11-30'));
    near(trend.projected.value, 12.75 + 11423.75 / 3941, 'projected value');
    assert.equal(trend.projected.status, 'amber');
  });

  // Values are the days after the first actual's last day, so the line is y = x + constant:
  // slope 1 a day, the slope a period is the projected period's length in days, and the
  // projected value is the projected date's distance from the first actual's last day.
  const nextPeriods: { frequency: Cadence; actuals: [string, number][]; period: string; date: string; value: number; perPeriod: number }[] = [
    // Aug 31 → Sep 30: 30, → Oct 31: 61, → Nov 30: 91; November has 30 days.
    { frequency: 'monthly', actuals: [['2026-08', 0], ['2026-09', 30], ['2026-10', 61]], period: '2026-11', date: '2026-11-30', value: 91, perPeriod: 30 },
    // Across the year: Oct 31 → Nov 30: 30, → Dec 31: 61, → Jan 31: 92; January has 31 days.
    { frequency: 'monthly', actuals: [['2026-10', 0], ['2026-11', 30], ['2026-12', 61]], period: '2027-01', date: '2027-01-31', value: 92, perPeriod: 31 },
    // Into a leap February: Nov 30 → Dec 31: 31, → Jan 31: 62, → Feb 29: 91; 29 days.
    { frequency: 'monthly', actuals: [['2027-11', 0], ['2027-12', 31], ['2028-01', 62]], period: '2028-02', date: '2028-02-29', value: 91, perPeriod: 29 },
    // W45 ends Nov 8, W46 Nov 15, W47 Nov 22; W48 ends Sunday Nov 29: 21 days after Nov 8.
    { frequency: 'weekly', actuals: [['2026-W45', 0], ['2026-W46', 7], ['2026-W47', 14]], period: '2026-W48', date: '2026-11-29', value: 21, perPeriod: 7 },
    // 2026 has 53 ISO weeks (it starts on a Thursday): W52 (ends Dec 27) is followed by W53, Dec 28 – Jan 3.
    { frequency: 'weekly', actuals: [['2026-W50', 0], ['2026-W51', 7], ['2026-W52', 14]], period: '2026-W53', date: '2027-01-03', value: 21, perPeriod: 7 },
    // … and W53 by 2027-W01, Jan 4 – 10.
    { frequency: 'weekly', actuals: [['2026-W51', 0], ['2026-W52', 7], ['2026-W53', 14]], period: '2027-W01', date: '2027-01-10', value: 21, perPeriod: 7 },
    // 2024 has 52 weeks; 2025-W01 starts on Monday 2024-12-30 and ends Sunday 2025-01-05.
    { frequency: 'weekly', actuals: [['2024-W50', 0], ['2024-W51', 7], ['2024-W52', 14]], period: '2025-W01', date: '2025-01-05', value: 21, perPeriod: 7 },
    // Days with a weekly frequency: the day after 2027-01-02 is Sunday Jan 3, still in 2026-W53 (its Thursday is 2026-12-31).
    { frequency: 'weekly', actuals: [['2026-12-31', 0], ['2027-01-01', 1], ['2027-01-02', 2]], period: '2026-W53', date: '2027-01-03', value: 3, perPeriod: 7 },
    // Jun 30 → Sep 30: 92 (30 + 31 + 31), → Dec 31: 184 (+ 31 + 30 + 31); 2027-Q1 ends Mar 31: + 31 + 28 + 31 = 90 → 274.
    { frequency: 'quarterly', actuals: [['2026-Q2', 0], ['2026-Q3', 92], ['2026-Q4', 184]], period: '2027-Q1', date: '2027-03-31', value: 274, perPeriod: 90 },
    // 2025 and 2026 have 365 days each; 2027 too: 730 + 365 = 1095.
    { frequency: 'yearly', actuals: [['2024', 0], ['2025', 365], ['2026', 730]], period: '2027', date: '2027-12-31', value: 1095, perPeriod: 365 },
    // 2026 and 2027 have 365 days; 2028 is a leap year: 730 + 366 = 1096.
    { frequency: 'yearly', actuals: [['2025', 0], ['2026', 365], ['2027', 730]], period: '2028', date: '2028-12-31', value: 1096, perPeriod: 366 },
    { frequency: 'daily', actuals: [['2026-12-29', 0], ['2026-12-30', 1], ['2026-12-31', 2]], period: '2027-01-01', date: '2027-01-01', value: 3, perPeriod: 1 },
    // Monthly, latest the week 2026-W47 (ends Nov 22): Aug 31 → Nov 22 is 30 + 31 + 22 = 83; November again, Nov 30: 91.
    { frequency: 'monthly', actuals: [['2026-08', 0], ['2026-09', 30], ['2026-10', 61], ['2026-W47', 83]], period: '2026-11', date: '2026-11-30', value: 91, perPeriod: 30 },
    // Monthly, latest the week 2026-W53 (ends 2027-01-03): Oct 31 → Nov 30: 30, → Jan 3: 30 + 31 + 3 = 64;
    // the month holding Jan 4 is 2027-01, ending Jan 31: 64 + 28 = 92; January has 31 days.
    { frequency: 'monthly', actuals: [['2026-10', 0], ['2026-11', 30], ['2026-W53', 64]], period: '2027-01', date: '2027-01-31', value: 92, perPeriod: 31 },
  ];
  for (const c of nextPeriods) {
    it(`${c.frequency}, latest ${c.actuals[c.actuals.length - 1]![0]}: projected for ${c.period}, ${c.date}`, () => {
      const trend = mustTrend(c.frequency, series(...c.actuals));
      near(trend.slopePerDay, 1, 'slope a day');
      near(trend.slopePerPeriod, c.perPeriod, 'slope a period');
      assert.equal(trend.projected.period, c.period);
      assert.equal(trend.projected.date, day(c.date));
      near(trend.projected.value, c.value, 'projected value');
    });
  }

  it('names the period of a frequency that holds a day as a user writes it', () => {
    // 2027-01-02 is a Saturday of 2026-W53; 2024-12-30 is the Monday of 2025-W01.
    const cases: [Cadence, string, string, string, string][] = [
      ['weekly', '2027-01-02', '2026-W53', '2026-12-28', '2027-01-03'],
      ['weekly', '2024-12-30', '2025-W01', '2024-12-30', '2025-01-05'],
      ['monthly', '2028-02-10', '2028-02', '2028-02-01', '2028-02-29'],
      ['quarterly', '2026-11-22', '2026-Q4', '2026-10-01', '2026-12-31'],
      ['yearly', '2026-11-22', '2026', '2026-01-01', '2026-12-31'],
      ['daily', '2026-11-22', '2026-11-22', '2026-11-22', '2026-11-22'],
    ];
    for (const [cadence, inside, text, start, end] of cases) {
      assert.deepEqual(cadencePeriodContaining(cadence, day(inside)), { kind: period(text).kind, start: day(start), end: day(end), text });
    }
  });

  it('gives no trend rather than a number when the values are too large to compute with', () => {
    assert.equal(trendOf('monthly', series(['2026-08', 1e308], ['2026-09', 1e308], ['2026-10', 1e308])), undefined);
  });
});

describe('at-risk', () => {
  // Each series has the worked example's shape (y - mean: 2.5, 0.5, -0.5, -2.5), so the slope
  // is -245 / 4682 and the projection is mean y - 18620 / 4682 ≈ mean y - 3.977.
  it('is a green or amber KPI projected into a worse band', () => {
    // 26, 24, 23, 21: latest 21 green; projected 23.5 - 3.977 ≈ 19.52 amber.
    const greenToAmber = mustTrend('monthly', monthlyFalling([26, 24, 23, 21]));
    assert.equal(greenToAmber.projected.status, 'amber');
    assert.equal(isAtRisk('green', greenToAmber), true);
    // 18, 16, 15, 13: mean 62 / 4 = 15.5; latest 13 amber; projected 15.5 - 3.977 ≈ 11.52 red.
    const amberToRed = mustTrend('monthly', monthlyFalling([18, 16, 15, 13]));
    near(amberToRed.projected.value, 15.5 - 18620 / 4682, 'projected value');
    assert.equal(amberToRed.projected.status, 'red');
    assert.equal(isAtRisk('amber', amberToRed), true);
  });

  it('is not an already red KPI, nor one projected into the same or a better band', () => {
    // 16, 14, 13, 11: mean 54 / 4 = 13.5; latest 11 is red; projected 13.5 - 3.977 ≈ 9.52, red too.
    const red = mustTrend('monthly', monthlyFalling([16, 14, 13, 11]));
    near(red.projected.value, 13.5 - 18620 / 4682, 'projected value');
    assert.equal(red.projected.status, 'red');
    assert.equal(isAtRisk('red', red), false);
    // 30, 28, 27, 25: mean 27.5; latest 25 green; projected ≈ 23.52, still green.
    const stillGreen = mustTrend('monthly', monthlyFalling([30, 28, 27, 25]));
    assert.equal(stillGreen.projected.status, 'green');
    assert.equal(isAtRisk('green', stillGreen), false);
    // 21, 19, 18, 16: mean 18.5; latest 16 amber; projected ≈ 14.52, still amber.
    const stillAmber = mustTrend('monthly', monthlyFalling([21, 19, 18, 16]));
    assert.equal(stillAmber.projected.status, 'amber');
    assert.equal(isAtRisk('amber', stillAmber), false);
    // Rising from amber to green is good news, not a risk.
    assert.equal(isAtRisk('amber', { ...stillAmber, projected: { ...stillAmber.projected, status: 'green' } }), false);
    for (const status of ['no-data', 'unscored'] as const) assert.equal(isAtRisk(status, greenToRedTrend()), false);
    assert.equal(isAtRisk('green', undefined), false);
  });
});

describe('the at-risk rule in a workspace', () => {
  it("is computed with the KPI's status, and its message rounds for people", () => {
    // The worked example with a unit: 26, 24, 23, 21 % for 2026-07 … 2026-10, checked on 2026-11-22.
    const text =
      'role BranchManager "Branch manager"\nkpi SellOutGrowth "Growth" { owner BranchManager unit "%" target >= 20 thresholds { green >= 20 amber >= 12 } frequency monthly\n' +
      '  actual 2026-07 26 actual 2026-08 24 actual 2026-09 23 actual 2026-10 21 }\n';
    const workspace = createWorkspace({ root: '/ws', fs: new MemoryFileSystem({ '/ws/k.kpi': text }), today: () => day('2026-11-22'), files: [{ key: 'k.kpi', path: '/ws/k.kpi', text }] });
    const status = workspace.status(workspace.declarations('SellOutGrowth')[0] as DeclEntry<KpiDecl>);
    assert.ok(status.trend, 'the status carries the trend');
    near(status.trend.slopePerDay, SLOPE, 'slope a day');
    near(status.trend.projected.value, 23.5 - 18620 / 4682, 'projected value');
    const atRisk = allDiagnostics(workspace).filter((d) => d.code === 'at-risk');
    assert.equal(atRisk.length, 1);
    // 19.523 → 19.5 (with the unit "%"), -1.570 a month → -1.6, November ends 2026-11-30, 4 actuals.
    assert.equal(
      atRisk[0]!.message,
      'SellOutGrowth is green now, but a straight line through the latest 4 actuals (-1.6 a month) reaches 19.5%, amber, by 2026-11 (2026-11-30); decide in the next review what will turn it around before 2026-11 closes.',
    );
    assert.equal(atRisk[0]!.severity, 'warning');
  });

  it('keeps as many digits as it takes for the value shown to stay in its band', () => {
    const atLeastOne = (v: number): Band => (v >= 1 ? 'green' : 'red');
    assert.equal(roundInBand(0.9969, 'red', atLeastOne), 0.997, 'not 1, which would be green');
    assert.equal(roundInBand(0.99999999, 'red', atLeastOne), 0.99999999);
    assert.equal(roundInBand(19.523, 'amber', (v) => (v >= 20 ? 'green' : v >= 12 ? 'amber' : 'red')), 19.5, 'plain rounding where it stays in the band');
    // The at-risk message of the KPI the spec audit found: 5, 4, 1, 3 a month against >= 1 lands just under 1.
    const text = 'role R\nkpi M { owner R frequency monthly target >= 1 actual 2026-09 5 actual 2026-10 4 actual 2026-11 1 actual 2026-12 3 }\n';
    const workspace = createWorkspace({ root: '/ws', fs: new MemoryFileSystem({ '/ws/k.kpi': text }), today: () => day('2026-11-22'), files: [{ key: 'k.kpi', path: '/ws/k.kpi', text }] });
    const [risk] = allDiagnostics(workspace).filter((d) => d.code === 'at-risk');
    assert.match(risk!.message, /reaches 0\.997, red, by 2027-01/);
  });

  it('rounds to one decimal from 1 up and to two significant digits below', () => {
    assert.equal(roundForPeople(19.523), 19.5);
    assert.equal(roundForPeople(-1.5698), -1.6);
    assert.equal(roundForPeople(1234.56), 1234.6);
    assert.equal(roundForPeople(-0.05233), -0.052);
    assert.equal(roundForPeople(0.0004), 0.0004);
    assert.ok(Object.is(roundForPeople(-0.04), -0.04));
    assert.ok(Object.is(roundForPeople(-0.96), -0.96));
    assert.ok(Object.is(roundForPeople(-0.0), 0));
    // The period's noun comes from the frequency: weekly → week, quarterly → quarter.
    assert.equal(describeSlope({ slopePerPeriod: -1, frequency: 'weekly' }), '-1 a week');
    assert.equal(describeSlope({ slopePerPeriod: 2.04, frequency: 'quarterly' }), '2 a quarter');
  });
});

/** A trend projected into red, to show that statuses without a band are never at risk. */
function greenToRedTrend(): Trend {
  const trend = mustTrend('monthly', monthlyFalling([16, 14, 13, 11]));
  assert.equal(trend.projected.status, 'red');
  return trend;
}

describe('a key result at its objective\'s due day', () => {
  it('counts three periods of the frequency after the latest actual, the projected period first', () => {
    const lastOctober = day('2026-10-31');
    // Monthly from Oct 31: November, December, January — up to 2027-01-31.
    assert.equal(isWithinPeriodsAfter('monthly', lastOctober, day('2026-11-01'), 3), true);
    assert.equal(isWithinPeriodsAfter('monthly', lastOctober, day('2026-12-31'), 3), true);
    assert.equal(isWithinPeriodsAfter('monthly', lastOctober, day('2027-01-31'), 3), true);
    assert.equal(isWithinPeriodsAfter('monthly', lastOctober, day('2027-02-01'), 3), false);
    // A due day on or before the latest actual is no projection.
    assert.equal(isWithinPeriodsAfter('monthly', lastOctober, lastOctober, 3), false);
    assert.equal(isWithinPeriodsAfter('monthly', lastOctober, day('2026-06-30'), 3), false);
    // Weekly from 2026-W47 (Nov 22): W48, W49, W50 — up to Sunday Dec 13.
    assert.equal(isWithinPeriodsAfter('weekly', day('2026-11-22'), day('2026-12-13'), 3), true);
    assert.equal(isWithinPeriodsAfter('weekly', day('2026-11-22'), day('2026-12-14'), 3), false);
    // Monthly with data to Nov 22 (a week): November (the rest of it), December, January.
    assert.equal(isWithinPeriodsAfter('monthly', day('2026-11-22'), day('2027-01-31'), 3), true);
    assert.equal(isWithinPeriodsAfter('monthly', day('2026-11-22'), day('2027-02-01'), 3), false);
    // Quarterly from Sep 30: Q4, 2027-Q1, 2027-Q2 — up to 2027-06-30.
    assert.equal(isWithinPeriodsAfter('quarterly', day('2026-09-30'), day('2027-06-30'), 3), true);
    assert.equal(isWithinPeriodsAfter('quarterly', day('2026-09-30'), day('2027-07-01'), 3), false);
  });

  it('projects the key result at the due day, or not at all when it is further away', () => {
    const trend = mustTrend('monthly', monthlyFalling([26, 24, 23, 21]));
    // Due 2026-12-31: x = 61 from Oct 31 (30 + 31), 61 + 46 = 107 days after mean x:
    // 23.5 - 107 × 245 / 4682 = 23.5 - 26215 / 4682 ≈ 17.90 (amber), in 2026-12.
    const atDue = projectionAtDue(trend, day('2026-12-31'), higherIsBetter);
    assert.ok(atDue);
    assert.equal(atDue.period, '2026-12');
    assert.equal(atDue.date, day('2026-12-31'));
    near(atDue.value, 23.5 - 26215 / 4682, 'value at due');
    assert.equal(atDue.status, 'amber');
    assert.equal(projectionAtDue(trend, day('2027-03-31'), higherIsBetter), undefined);
  });
});

describe('objective status', () => {
  const cases: [KpiStatusKind[], KpiStatusKind[], string][] = [
    [['green', 'amber', 'red'], [], 'red'],
    [['green', 'amber'], [], 'amber'],
    [['green', 'green'], [], 'green'],
    // no-data and unscored KPIs do not count …
    [['no-data', 'green', 'unscored'], [], 'green'],
    // … and when none is left the objective has no data.
    [['no-data', 'unscored'], [], 'no-data'],
    [[], [], 'no-data'],
    // Key results take precedence over supporting KPIs …
    [['green'], ['red'], 'green'],
    [['no-data'], ['red'], 'no-data'],
    // … which measure an objective that has no key results.
    [[], ['amber', 'green', 'no-data'], 'amber'],
  ];
  for (const [keyResults, supporters, expected] of cases) {
    it(`key results [${keyResults.join(', ')}], supporters [${supporters.join(', ')}]: ${expected}`, () => {
      assert.equal(objectiveStatus(keyResults, supporters), expected);
    });
  }
});
