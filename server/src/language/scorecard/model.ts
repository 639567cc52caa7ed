// The scorecard model: everything the preview panel and the exported reports
// show, as plain serialisable data (no spans, no classes). Built from the
// workspace by build.ts; rendered by render/ (HTML, CSV, Markdown); sent to the
// VS Code client as the answer of the `kpi/scorecard` request.
import type { Comparator, Perspective } from '../model/ast';
import type { Band, ObjectiveStatusKind } from '../model/objectiveStatus';
import type { Direction, StatusKind } from '../model/status';
import type { Agenda } from './agenda';

export const SCORECARD_MODEL_VERSION = 1;

/** Where a declaration is: workspace key and 0-based line/character of its name. */
export interface Where {
  file: string;
  line: number;
  character: number;
}

export interface Named {
  name: string;
  /** The title, or the name when there is none. */
  title: string;
}

export interface OwnerRef extends Named {
  /** Whether the name resolves to a role (a team or nothing are shown as problems). */
  kind: 'role' | 'team' | 'function' | 'unknown';
  function?: Named;
}

export interface Condition {
  op: Comparator;
  value: number;
}

export interface Measurement {
  period: string;
  value: number;
  source: 'actual' | 'data';
  /** First and last day of the period, YYYY-MM-DD. */
  start: string;
  end: string;
}

/** The trend line's value on one day, scored (LANGUAGE.md section 4.2). */
export interface ProjectedValue {
  /** The period of the KPI's frequency that holds `date`, written as in a `.kpi` file (`2026-11`, `2026-W48`). */
  period: string;
  /** YYYY-MM-DD. */
  date: string;
  /** Unrounded: round only where people read it. */
  value: number;
  /** The value as people read it: rounded, without leaving its band (`value` 0.9969 against `>= 1`: 0.997). */
  shown: number;
  status: Band;
}

/** A KPI's trend (LANGUAGE.md section 4.2): the straight line through its latest actuals and where it lands. */
export interface KpiTrend {
  /** How the line was drawn, in words: "a straight line through the latest 5 actuals". */
  method: string;
  /** How many actuals the line goes through (3 to 6). */
  actuals: number;
  /** The line's change over one period of the KPI's frequency (the projected period), unrounded. */
  slopePerPeriod: number;
  /** The line's value on the last day of the next period of the KPI's frequency. */
  projected: ProjectedValue;
}

/** A key result's trend read at its objective's `due` day (within three periods of its frequency). */
export interface DueProjection extends ProjectedValue {
  /** The key result: a KPI's name. */
  kpi: string;
}

export interface KpiCard extends Named {
  where: Where;
  outcome?: string;
  owner?: OwnerRef;
  perspective?: Perspective;
  /** The scorecard lines that list this kpi. */
  placements: { scorecard: string; perspective: Perspective }[];
  target?: Condition;
  /** A target written as a string (vague). */
  targetText?: string;
  thresholds?: { green: Condition; amber: Condition };
  unit?: string;
  actuals: Measurement[];
  latest?: Measurement;
  status: StatusKind;
  /** Why it has that status, in one sentence. */
  statusReason: string;
  stale: boolean;
  /** The line through the latest actuals and its projection; absent when the KPI has no trend. */
  trend?: KpiTrend;
  direction?: Direction;
  indicator?: 'leading' | 'lagging';
  frequency?: string;
  checkpoint?: string;
  steps: { process: string; step: string; title: string; sop?: string }[];
  supports: string[];
  why?: string;
  levers: string[];
  visibility?: string;
  motivation?: string;
  depends: string[];
  dependents: string[];
  data?: string;
}

export interface ObjectiveCard extends Named {
  where: Where;
  owner?: OwnerRef;
  perspective?: Perspective;
  due?: string;
  keyResults: string[];
  supportedBy: string[];
  /** The worst band among its key results, else among the KPIs that support it (LANGUAGE.md section 4.1). */
  status: ObjectiveStatusKind;
  /** Its key results' trends read at `due`, for those whose `due` is within three periods of their frequency, in key-result order. */
  dueProjections: DueProjection[];
  /** The objectives this one drives (LANGUAGE.md 3.5): the strategy map's arrows. */
  drives: string[];
}

export interface StepCard extends Named {
  where: Where;
  owner?: OwnerRef;
  sop?: string;
  next: string[];
  /** Next steps performed by another owner: the hand-offs. */
  handoffs: { to: string; from: string; owner: string }[];
  kpis: string[];
}

export interface ProcessCard extends Named {
  where: Where;
  owner?: OwnerRef;
  steps: StepCard[];
}

export interface SopCard extends Named {
  where: Where;
  owner?: OwnerRef;
  objective?: string;
  trigger?: string;
  roles: string[];
  checklist: string[];
  exceptions: { when: string; then: string }[];
  tools: string[];
  review?: { every: number; unit: string };
  reviewed?: string;
  /** When the next review is due (reviewed + cadence). */
  reviewDue?: string;
  overdue: boolean;
}

export interface OwnerCard extends Named {
  where: Where;
  kind: 'role' | 'team';
  function?: Named;
  kpis: string[];
  /** `Process.Step`. */
  steps: string[];
  processes: string[];
  sops: string[];
  objectives: string[];
}

export interface ScorecardCard extends Named {
  where: Where;
  perspectives: Record<Perspective, string[]>;
}

/** An amber or red kpi that depends on, or is depended on by, a kpi owned in another function. */
export interface JointReview {
  kpi: string;
  status: StatusKind;
  partner: string;
  relation: 'depends-on' | 'depended-on-by';
  owners: [{ role: string; function: Named }, { role: string; function: Named }];
}

export interface ScorecardModel {
  version: typeof SCORECARD_MODEL_VERSION;
  /** The date statuses and staleness were computed for, YYYY-MM-DD. */
  today: string;
  scope: { kind: 'workspace' } | { kind: 'file'; file: string };
  perspectives: { id: Perspective; label: string }[];
  scorecards: ScorecardCard[];
  kpis: KpiCard[];
  objectives: ObjectiveCard[];
  processes: ProcessCard[];
  sops: SopCard[];
  owners: OwnerCard[];
  functions: (Named & { where?: Where })[];
  jointReviews: JointReview[];
  /** Problems in the files shown, so a report can say it is built on a workspace with errors. */
  problems: { errors: number; warnings: number };
  /** The weekly review per owner (agenda.ts, docs/agenda.md); buildScorecardModel always fills it in. */
  agenda?: Agenda;
}

export const PERSPECTIVE_LABELS: Record<Perspective, string> = {
  financial: 'Financial',
  customer: 'Customer',
  internal: 'Internal Process',
  learning: 'Learning & Growth',
};
