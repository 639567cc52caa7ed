// What each block accepts, and a one-line explanation of every keyword: the
// shared vocabulary of completion, hover and quick fixes.
import type { DeclarationKind } from '../model/ast';

export type BlockKind = 'kpi' | 'sop' | 'process' | 'step' | 'objective' | 'scorecard' | 'thresholds' | 'checklist';

/** How a property's value is written; drives the completion state machine. */
export type ValueShape =
  | 'refs' // Ref, Ref…
  | 'ref' // one Ref
  | 'word' // one keyword value
  | 'string'
  | 'strings' // String, String…
  | 'unit' // String or Id
  | 'target' // Comparator Number | String
  | 'actual' // Period Number
  | 'review' // every Number Unit
  | 'date'
  | 'exception' // String -> String
  | 'block' // { … }
  | 'step' // Id String? { … }
  | 'keyResult' // result Ref
  | 'band'; // Comparator Number

export interface PropertyInfo {
  shape: ValueShape;
  repeatable?: boolean;
  doc: string;
}

export const BLOCK_PROPERTIES: Record<BlockKind, Record<string, PropertyInfo>> = {
  kpi: {
    outcome: { shape: 'string', doc: 'The result the KPI measures, worded as an outcome, not an activity.' },
    owner: { shape: 'refs', doc: 'The one accountable role, who has control over the result.' },
    step: { shape: 'refs', doc: 'The process step(s) where the result is created, written Process.Step.' },
    perspective: { shape: 'word', doc: 'The Balanced Scorecard perspective: financial, customer, internal or learning.' },
    supports: { shape: 'refs', doc: 'The objective(s) this KPI serves: the why.' },
    why: { shape: 'string', doc: 'The purpose in words, where no objective exists.' },
    levers: { shape: 'strings', doc: 'What the owner controls to move the KPI.' },
    unit: { shape: 'unit', doc: 'The unit of the values, such as "%", hours or "INR lakh".' },
    target: { shape: 'target', doc: 'The goal, as a comparator and a number (target >= 20).' },
    thresholds: { shape: 'block', doc: 'Status bands: { green >= 20  amber >= 12 }; below amber is red.' },
    frequency: { shape: 'word', doc: 'How often it is measured: daily, weekly, monthly, quarterly or yearly.' },
    checkpoint: { shape: 'word', doc: 'An interim review cadence, finer than the frequency.' },
    indicator: { shape: 'word', doc: 'leading (tells what will happen) or lagging (tells what did).' },
    visibility: { shape: 'string', doc: 'Where the KPI is shown (dashboards, review meetings).' },
    motivation: { shape: 'string', doc: 'What makes people care (incentives, recognition).' },
    depends: { shape: 'refs', doc: 'KPIs this one needs from others: the hand-offs.' },
    actual: { shape: 'actual', repeatable: true, doc: 'One measured value: actual <period> <value>.' },
    data: { shape: 'string', doc: 'A CSV file (header period,value), relative to this file, inside the workspace.' },
  },
  sop: {
    objective: { shape: 'string', doc: 'What following the SOP achieves.' },
    owner: { shape: 'refs', doc: 'The one role accountable for the SOP.' },
    trigger: { shape: 'string', doc: 'The event that starts the procedure.' },
    roles: { shape: 'refs', doc: 'The roles or teams that take part.' },
    steps: { shape: 'block', doc: 'The checklist, in order: steps { "…" "…" }.' },
    exception: { shape: 'exception', repeatable: true, doc: 'When this happens -> do that.' },
    tools: { shape: 'strings', doc: 'Where the SOP lives (CRM app, form).' },
    review: { shape: 'review', doc: 'The review cadence: review every 2 weeks.' },
    reviewed: { shape: 'date', doc: 'The date of the last review (YYYY-MM-DD).' },
  },
  process: {
    owner: { shape: 'refs', doc: 'The process owner (one role).' },
    step: { shape: 'step', repeatable: true, doc: 'A step: step Id "Title" { owner Role  sop Sop  next Step }.' },
  },
  step: {
    owner: { shape: 'refs', doc: 'The one role that performs the step.' },
    sop: { shape: 'ref', doc: 'The SOP that tells how to do the step.' },
    next: { shape: 'refs', doc: 'The steps that follow (hand-offs when the owners differ).' },
  },
  objective: {
    owner: { shape: 'refs', doc: 'The one role accountable for the objective.' },
    perspective: { shape: 'word', doc: 'The Balanced Scorecard perspective of the objective.' },
    due: { shape: 'date', doc: 'When the objective is due (YYYY-MM-DD).' },
    key: { shape: 'keyResult', repeatable: true, doc: 'key result Kpi: a KPI that measures the objective.' },
  },
  scorecard: {
    financial: { shape: 'refs', doc: 'Financial KPIs.' },
    customer: { shape: 'refs', doc: 'Customer KPIs.' },
    internal: { shape: 'refs', doc: 'Internal process KPIs.' },
    learning: { shape: 'refs', doc: 'Learning & growth KPIs.' },
  },
  thresholds: {
    green: { shape: 'band', doc: 'The green band: green >= 90.' },
    amber: { shape: 'band', doc: 'The amber band, between green and red: amber >= 75.' },
  },
  checklist: {},
};

export const DECLARATION_DOCS: Record<DeclarationKind, string> = {
  function: 'A department (Sales, Service, Finance, Engineering).',
  role: 'One accountable position; the only kind of declaration that can own things.',
  team: 'A group of people: can take part in an SOP, can never own anything.',
  objective: 'A goal, measured by its key results and the KPIs that support it.',
  process: 'A process: its owner and its steps, connected by next.',
  kpi: 'A key performance indicator: an outcome with one owner, a target and a linked process step.',
  sop: 'A standard operating procedure: objective, trigger, roles, checklist, exceptions and review cadence.',
  scorecard: 'A Balanced Scorecard: KPIs in the four perspectives.',
};

export const WORD_VALUES: Record<string, readonly string[]> = {
  perspective: ['financial', 'customer', 'internal', 'learning'],
  frequency: ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'],
  checkpoint: ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'],
  indicator: ['leading', 'lagging'],
};

export const REVIEW_UNIT_WORDS = ['days', 'weeks', 'months', 'quarters', 'years'];

/** The block a declaration keyword opens. */
export function blockOfDeclaration(kind: DeclarationKind): BlockKind | undefined {
  return kind === 'function' || kind === 'role' || kind === 'team' ? undefined : kind;
}
