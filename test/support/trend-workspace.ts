// A small workspace with trends to check by hand (test/scorecard-trend.test.ts
// works out every number) and to show in a browser: a green KPI at risk, an
// amber one heading for red, one without a trend, and objectives whose `due`
// is near and far.
import { parseDate } from '../../server/src/language/model/periods';
import { createWorkspace } from '../../server/src/language/service';
import { MemoryFileSystem } from './memory-fs';

export const TREND_TODAY = parseDate('2026-11-22')!;

/**
 * SellOutGrowth is the worked example of docs/rules/at-risk.md: monthly, the
 * last days 2026-07-31, 08-31, 09-30, 10-31 are −92, −61, −31, 0 days from
 * 2026-10-31; values 26, 24, 23, 21. Mean day −46 (2026-09-15), mean value
 * 23.5; distances −46, −15, 15, 46 and 2.5, 0.5, −0.5, −2.5; slope
 * (−115 − 7.5 − 7.5 − 115) / (2116 + 225 + 225 + 2116) = −245 / 4682 a day.
 *
 * ComplaintRate is weekly, lower is better: 2026-W43 … W47 end on the
 * Sundays 10-25, 11-01, 11-08, 11-15, 11-22 (−28, −21, −14, −7, 0 days from
 * 11-22); values 1.8, 2.0, 2.3, 2.6, 2.9. Mean day −14 (2026-11-08), mean
 * value 11.6 / 5 = 2.32; distances −14, −7, 0, 7, 14 and −0.52, −0.32, −0.02,
 * 0.28, 0.58; slope (7.28 + 2.24 + 0 + 1.96 + 8.12) / (196 + 49 + 0 + 49 + 196)
 * = 19.6 / 490 = 0.04 a day, 0.28 a week.
 */
const KPIS = `kpi SellOutGrowth "A+ outlet monthly sell-out growth" {
  perspective financial
  target      >= 20
  thresholds  { green >= 20  amber >= 12 }
  unit        "%"
  frequency   monthly
  supports    Delight, Ghost
  actual 2026-07 26
  actual 2026-08 24
  actual 2026-09 23
  actual 2026-10 21
}

kpi ComplaintRate "Post-sale complaint rate" {
  perspective customer
  target      <= 2
  thresholds  { green <= 2  amber <= 3 }
  unit        "%"
  frequency   weekly
  supports    Delight
  actual 2026-W43 1.8
  actual 2026-W44 2.0
  actual 2026-W45 2.3
  actual 2026-W46 2.6
  actual 2026-W47 2.9
}

kpi Training "Promoters certified" {
  perspective learning
  target      >= 90
  thresholds  { green >= 90  amber >= 75 }
  frequency   monthly
  actual 2026-09 80
  actual 2026-10 84
}

kpi Unmeasured "Not measured yet" {
  target      >= 1
  frequency   monthly
}
`;

const OBJECTIVES = `objective GrowAPlus "Grow sell-out in A+ outlets" {
  perspective financial
  due         2026-12-31
  key result  SellOutGrowth
  key result  Training
}

objective FixComplaints "Fewer complaints" {
  perspective customer
  due         2026-12-13
  key result  ComplaintRate
}

objective LateFix "Fewer complaints, later" {
  due         2026-12-14
  key result  ComplaintRate
}

objective Delight "Customers get what they were promised" {
  due         2026-12-31
}

objective Ghost "Measured by a name that is no KPI" {
  key result  Missing
}

objective Quiet "Nothing scored yet" {
  key result  Unmeasured
}
`;

export function trendWorkspace() {
  const files = { 'kpis.kpi': KPIS, 'strategy.kpi': OBJECTIVES };
  const fs = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/ws/${k}`, v])));
  return createWorkspace({ root: '/ws', fs, today: () => TREND_TODAY, files: Object.entries(files).map(([key, text]) => ({ key, path: `/ws/${key}`, text })) });
}
