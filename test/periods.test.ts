// Calendar arithmetic (model/periods.ts): days are counted by arithmetic, not
// through a Date object, so the arithmetic is held to known days worked out
// by hand and to JavaScript's own dates (which it replaced) over a wide range,
// carried months and days included.
import * as assert from 'node:assert/strict';
import { dayFromYmd, formatDay, parsePeriod, ymdFromDay } from '../server/src/language/model/periods';

const MS_PER_DAY = 86_400_000;

/** What the core computed before: a Date set to the year, month and day. */
function dayByDate(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / MS_PER_DAY);
}

describe('calendar arithmetic', () => {
  it('counts known days from 1970-01-01', () => {
    assert.equal(dayFromYmd(1970, 1, 1), 0);
    // 1970–1999: 30 years with 7 leap days = 10,957 days; then January (31) and February 2000 (29).
    assert.equal(dayFromYmd(2000, 3, 1), 11_017);
    // 1969-12-31 is the day before.
    assert.equal(dayFromYmd(1969, 12, 31), -1);
    // Year 0 (proleptic Gregorian, not 1900 as Date.UTC would read it): 0000-03-01 is 719,468 days before.
    assert.equal(dayFromYmd(0, 3, 1), -719_468);
  });

  it('carries months and days past their range, as dates do', () => {
    assert.equal(dayFromYmd(2026, 13, 1), dayFromYmd(2027, 1, 1));
    assert.equal(dayFromYmd(2026, 0, 1), dayFromYmd(2025, 12, 1));
    assert.equal(formatDay(dayFromYmd(2024, 3, 0)), '2024-02-29');
    assert.equal(formatDay(dayFromYmd(2023, 3, 0)), '2023-02-28');
    assert.equal(formatDay(dayFromYmd(2026, 1, 32)), '2026-02-01');
  });

  it('gives what a Date gives for every month of years 0 to 2100, and past the end of the range', () => {
    const mismatches: string[] = [];
    for (let year = 0; year <= 2100; year++) {
      for (let month = -14; month <= 26; month++) {
        for (const day of [-1, 0, 1, 28, 29, 30, 31, 32]) {
          const expected = dayByDate(year, month, day);
          if (dayFromYmd(year, month, day) !== expected) mismatches.push(`${year}/${month}/${day}`);
          const back = new Date(expected * MS_PER_DAY);
          const ymd = ymdFromDay(expected);
          if (ymd.year !== back.getUTCFullYear() || ymd.month !== back.getUTCMonth() + 1 || ymd.day !== back.getUTCDate()) mismatches.push(`day ${expected}`);
        }
      }
    }
    assert.deepEqual(mismatches.slice(0, 5), []);
    // Beyond what a Date can hold, both give NaN.
    assert.ok(Number.isNaN(dayFromYmd(300_000, 1, 1)));
    assert.ok(Number.isNaN(ymdFromDay(200_000_000).year));
  });

  it('parses each period form, and not a form of the wrong length', () => {
    assert.deepEqual(parsePeriod('2026-10'), { kind: 'month', start: dayFromYmd(2026, 10, 1), end: dayFromYmd(2026, 10, 31), text: '2026-10' });
    assert.equal((parsePeriod('2026-Q4') as { kind: string }).kind, 'quarter');
    assert.equal((parsePeriod('2026-W05') as { kind: string }).kind, 'week');
    assert.equal((parsePeriod('2026-10-31') as { kind: string }).kind, 'day');
    assert.equal((parsePeriod('2026') as { kind: string }).kind, 'year');
    assert.equal(parsePeriod('2026-Q5'), 'a quarter is Q1 to Q4, not Q5');
    assert.equal(parsePeriod('2026-13'), 'a month is 01 to 12, not 13');
    assert.equal(parsePeriod('2026-1'), undefined);
    assert.equal(parsePeriod('2026-10-1'), undefined);
  });
});
