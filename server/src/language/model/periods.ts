// Calendar arithmetic for dates and periods (LANGUAGE.md sections 2 and 4).
// A day is a whole number of days since 1970-01-01 (UTC), so comparisons are
// plain number comparisons and nothing depends on the machine's time zone.

export type Day = number;

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** First day of the period. */
  start: Day;
  /** Last day of the period (inclusive). */
  end: Day;
  /** The period as written, normalised (`2026-10`, `2026-W05`). */
  text: string;
}

const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date. A month or day past
 * its range carries over, as JavaScript's dates do (month 13 is January of
 * the next year, day 0 the last day of the month before). Computed by
 * arithmetic in the range any text or cadence gives (a Date object per call
 * cost a noticeable share of loading a folder, where every actual, due date
 * and review is read); anything else goes through a Date, which also gives
 * NaN past the range it can represent.
 */
export function dayFromYmd(year: number, month: number, day: number): Day {
  if (Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) && year >= 0 && year <= 100_000 && Math.abs(month) <= 12_000 && Math.abs(day) <= 1_000_000) {
    const carried = year + Math.floor((month - 1) / 12);
    return daysFromCivil(carried, month - 1 - (carried - year) * 12 + 1) + day - 1;
  }
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / MS_PER_DAY);
}

export function ymdFromDay(day: Day): { year: number; month: number; day: number } {
  if (Number.isInteger(day) && Math.abs(day) <= 50_000_000) return civilFromDays(day);
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/*
 * The two conversions below count in 400-year eras of 146,097 days, with
 * years starting on March 1 so that the leap day falls at the end of one
 * (the well-known civil-calendar algorithms; 719,468 days lie between
 * 0000-03-01 and 1970-01-01).
 */

/** The first day of a month (1–12) of any year as days since 1970-01-01. */
function daysFromCivil(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5);
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1 };
}

export function formatDay(day: Day): string {
  const { year, month, day: d } = ymdFromDay(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return ymdFromDay(dayFromYmd(year, month + 1, 1) - 1).day;
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
function isoWeekday(day: Day): number {
  // 1970-01-01 was a Thursday.
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Monday of ISO week 1 of `year`: the week that holds the year's first Thursday. */
function isoWeekOneMonday(year: number): Day {
  const jan4 = dayFromYmd(year, 1, 4);
  return jan4 - (isoWeekday(jan4) - 1);
}

function isoWeeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

/** Parses `YYYY-MM-DD`; undefined when it is not a real calendar date. */
export function parseDate(text: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromYmd(year, month, day);
}

/**
 * Parses any period form: `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYY-Qn`, `YYYY`.
 * Returns a string describing the problem when the text has a period's form
 * but is not a real calendar value, and undefined when it has no period form.
 */
export function parsePeriod(text: string): Period | string | undefined {
  // Each form is tried only when the length (and the letter after the year) can match:
  // a folder's actuals are mostly months, which would otherwise fail three patterns first.
  const length = text.length;
  const letter = text.charAt(5);
  let m: RegExpExecArray | null;
  if (length === 10 && (m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) {
    const day = parseDate(text);
    if (day === undefined) return `${text} is not a calendar date`;
    return { kind: 'day', start: day, end: day, text };
  }
  if (length === 8 && letter === 'W' && (m = /^(\d{4})-W(\d{2})$/.exec(text))) {
    const [year, week] = [Number(m[1]), Number(m[2])];
    const weeks = isoWeeksInYear(year);
    if (week < 1 || week > weeks) return `${year} has ISO weeks W01 to W${weeks}, not W${m[2]}`;
    const start = isoWeekOneMonday(year) + (week - 1) * 7;
    return { kind: 'week', start, end: start + 6, text };
  }
  if (length === 7 && letter === 'Q' && (m = /^(\d{4})-Q(\d)$/.exec(text))) {
    const [year, quarter] = [Number(m[1]), Number(m[2])];
    if (quarter < 1 || quarter > 4) return `a quarter is Q1 to Q4, not Q${m[2]}`;
    const firstMonth = (quarter - 1) * 3 + 1;
    return { kind: 'quarter', start: dayFromYmd(year, firstMonth, 1), end: dayFromYmd(year, firstMonth + 3, 1) - 1, text };
  }
  if (length === 7 && letter !== 'Q' && (m = /^(\d{4})-(\d{2})$/.exec(text))) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12) return `a month is 01 to 12, not ${m[2]}`;
    return { kind: 'month', start: dayFromYmd(year, month, 1), end: dayFromYmd(year, month + 1, 1) - 1, text };
  }
  if (length === 4 && (m = /^(\d{4})$/.exec(text))) {
    const year = Number(m[1]);
    return { kind: 'year', start: dayFromYmd(year, 1, 1), end: dayFromYmd(year + 1, 1, 1) - 1, text };
  }
  return undefined;
}

export type Cadence = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export const CADENCE_ORDER: Record<Cadence, number> = { daily: 0, weekly: 1, monthly: 2, quarterly: 3, yearly: 4 };

/** The period of `cadence` that contains `day`. */
function periodContaining(cadence: Cadence, day: Day): { start: Day; end: Day } {
  const { year, month } = ymdFromDay(day);
  switch (cadence) {
    case 'daily':
      return { start: day, end: day };
    case 'weekly': {
      const start = day - (isoWeekday(day) - 1);
      return { start, end: start + 6 };
    }
    case 'monthly':
      return { start: dayFromYmd(year, month, 1), end: dayFromYmd(year, month + 1, 1) - 1 };
    case 'quarterly': {
      const first = Math.floor((month - 1) / 3) * 3 + 1;
      return { start: dayFromYmd(year, first, 1), end: dayFromYmd(year, first + 3, 1) - 1 };
    }
    case 'yearly':
      return { start: dayFromYmd(year, 1, 1), end: dayFromYmd(year + 1, 1, 1) - 1 };
  }
}

/** The last period of `cadence` that ends before `today` (the last complete one). */
export function lastCompletePeriod(cadence: Cadence, today: Day): { start: Day; end: Day } {
  const current = periodContaining(cadence, today);
  // The period holding today is complete only after today; step back one.
  return periodContaining(cadence, current.start - 1);
}

/** LANGUAGE.md section 4: stale when the latest actual ends before the last complete period starts. */
export function isStale(latest: Period, cadence: Cadence, today: Day): boolean {
  return latest.end < lastCompletePeriod(cadence, today).start;
}

/** `day` plus `count` calendar months; a day past the month's end becomes its last day. */
export function addMonths(day: Day, count: number): Day {
  const { year, month, day: d } = ymdFromDay(day);
  const total = year * 12 + (month - 1) + count;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return dayFromYmd(y, m, Math.min(d, daysInMonth(y, m)));
}

/** What `reviewDue` reads of an SOP: its `review every N unit` cadence and its `reviewed` date. */
export interface ReviewSchedule {
  review?: { every: number; unit: 'day' | 'week' | 'month' | 'quarter' | 'year' };
  reviewed?: { date: Day };
}

/**
 * The day an SOP's next review is due: `reviewed` plus the cadence (months
 * and quarters are calendar months, clamped to the month's last day:
 * LANGUAGE.md section 7). Undefined without a cadence or a last review. The
 * check, the hover and the scorecard all ask here.
 */
export function reviewDue(sop: ReviewSchedule): Day | undefined {
  return sop.review && sop.reviewed ? addReview(sop.reviewed.date, sop.review.every, sop.review.unit) : undefined;
}

function addReview(day: Day, every: number, unit: 'day' | 'week' | 'month' | 'quarter' | 'year'): Day {
  switch (unit) {
    case 'day':
      return day + every;
    case 'week':
      return day + every * 7;
    case 'month':
      return addMonths(day, every);
    case 'quarter':
      return addMonths(day, every * 3);
    case 'year':
      return addMonths(day, every * 12);
  }
}

/** Orders periods for "latest": the later end wins; on the same end, the shorter period. */
export function comparePeriods(a: Period, b: Period): number {
  return a.end - b.end || a.start - b.start;
}

/** Today as a day, from `YYYY-MM-DD` or the real clock (the machine's local date, as the user sees it). */
export function todayFrom(text: string | undefined, now: Date = new Date()): Day | undefined {
  if (text !== undefined) return parseDate(text);
  return dayFromYmd(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** The period one step of a cadence spans: `monthly` → `month`. */
export const KIND_OF_CADENCE: Record<Cadence, PeriodKind> = { daily: 'day', weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' };

/**
 * The period of `cadence` that contains `day`, written as a user writes it
 * (`2026-11-30`, `2026-W48`, `2026-11`, `2026-Q4`, `2026`). A week is named
 * by its ISO week-year, the year of its Thursday: 2027-01-02 is in 2026-W53.
 */
export function cadencePeriodContaining(cadence: Cadence, day: Day): Period {
  const { start, end } = periodContaining(cadence, day);
  const first = formatDay(start);
  const year = first.slice(0, -6);
  let text: string;
  switch (cadence) {
    case 'daily':
      text = first;
      break;
    case 'weekly': {
      const weekYear = ymdFromDay(start + 3).year;
      const week = (start - isoWeekOneMonday(weekYear)) / 7 + 1;
      text = `${String(weekYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
      break;
    }
    case 'monthly':
      text = first.slice(0, -3);
      break;
    case 'quarterly':
      text = `${year}-Q${Math.floor((ymdFromDay(start).month - 1) / 3) + 1}`;
      break;
    case 'yearly':
      text = year;
      break;
  }
  return { kind: KIND_OF_CADENCE[cadence], start, end, text };
}
