// An objective's status (LANGUAGE.md section 4.1): the worst band among the
// KPIs that measure it. Pure: it takes the KPIs' statuses, however they were
// computed, so it depends on nothing but this file.

/** The three bands a scored value falls in, best first. */
export type Band = 'green' | 'amber' | 'red';

/** A KPI's status as section 4 computes it: a band, or no band to count. */
export type KpiStatusKind = Band | 'no-data' | 'unscored';

export type ObjectiveStatusKind = Band | 'no-data';

const BAND_RANK: Record<Band, number> = { green: 0, amber: 1, red: 2 };

export function isBand(status: string): status is Band {
  return status === 'green' || status === 'amber' || status === 'red';
}

/** True when `band` is strictly worse than `than` (red is worse than amber, amber than green). */
export function isWorseBand(band: Band, than: Band): boolean {
  return BAND_RANK[band] > BAND_RANK[than];
}

/** The worst band among `statuses`; `no-data` when none of them is a band. */
export function worstBand(statuses: readonly KpiStatusKind[]): ObjectiveStatusKind {
  let worst: Band | undefined;
  for (const status of statuses) {
    if (isBand(status) && (worst === undefined || isWorseBand(status, worst))) worst = status;
  }
  return worst ?? 'no-data';
}

/**
 * The objective's status from the statuses of its key results (the KPIs its
 * `key result` lines resolve to) and of the KPIs that `supports` it. When the
 * objective has key results they alone measure it, even when none of them is
 * scored yet: supporters do not stand in for a key result that has no data,
 * because the objective's owner chose the key results as the measure.
 */
export function objectiveStatus(keyResults: readonly KpiStatusKind[], supporters: readonly KpiStatusKind[]): ObjectiveStatusKind {
  return worstBand(keyResults.length > 0 ? keyResults : supporters);
}
