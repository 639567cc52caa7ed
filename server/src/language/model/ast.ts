// The plain-data model of one .kpi document: what the declarations say, with
// the offsets every diagnostic, hover and rename needs. Built defensively from
// the syntax tree by build.ts: with recovery on, any part may be missing.
//
// A property's field here is the `field` of its row in the grammar table
// (../syntax/grammar.ts), and its type is the one its value kind builds;
// spans.ts finds every Span by that same table, so a span-bearing field
// outside the table's value kinds must be added there too.
import { CADENCE_WORDS, INDICATOR_WORDS, PERSPECTIVE_WORDS, type DeclarationKind } from '../syntax/grammar';
import type { Period, Day } from './periods';

export type { DeclarationKind };

/** Half-open range of offsets [start, end) in the document's text. */
export interface Span {
  start: number;
  end: number;
}

export interface Name {
  text: string;
  span: Span;
}

export interface Str {
  value: string;
  span: Span;
}

/** A name that refers to a declaration; `member` is the `Step` of `Process.Step`. */
export interface Ref {
  name: string;
  span: Span;
  member?: Name;
}

/** A property whose keyword is kept for ranges (`duplicate-property`, `thresholds`). */
export interface Prop {
  keyword: Span;
}

export interface RefsProp extends Prop {
  refs: Ref[];
}

export interface StrProp extends Prop {
  value: Str;
}

export interface StrsProp extends Prop {
  values: Str[];
}

/** A keyword-valued property (`perspective financial`); `value` is validated by the builder. */
export interface WordProp<T extends string> extends Prop {
  value: T;
  span: Span;
}

export type Comparator = '>=' | '<=' | '>' | '<' | '=';

export interface Comparison {
  op: Comparator;
  value: number;
  span: Span;
}

export interface TargetProp extends Prop {
  /** Present when the target is `Comparator Number`. */
  comparison?: Comparison;
  /** Present when the target is a (vague) string. */
  text?: Str;
}

export interface ThresholdsProp extends Prop {
  green?: Comparison;
  amber?: Comparison;
}

export interface Actual {
  period: Period;
  periodSpan: Span;
  value: number;
  span: Span;
}

export const PERSPECTIVES = PERSPECTIVE_WORDS;
export type Perspective = (typeof PERSPECTIVES)[number];

export const FREQUENCIES = CADENCE_WORDS;
export type Frequency = (typeof FREQUENCIES)[number];

export const INDICATORS = INDICATOR_WORDS;
export type Indicator = (typeof INDICATORS)[number];

export const REVIEW_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type ReviewUnit = (typeof REVIEW_UNITS)[number];

interface DeclBase {
  /** The whole declaration, keyword to closing brace. */
  span: Span;
  /** The declaration keyword. */
  keyword: Span;
  name: Name;
  title?: Str;
  /** Fields written with a word or cadence that could not be read (`frequency fortnightly`): a syntax-error, not a missing property. */
  unreadable?: string[];
}

export interface FunctionDecl extends DeclBase {
  kind: 'function';
}

export interface RoleDecl extends DeclBase {
  kind: 'role' | 'team';
  in?: Ref;
}

export interface Step {
  kind: 'step';
  span: Span;
  keyword: Span;
  name: Name;
  title?: Str;
  owner?: RefsProp;
  sop?: Prop & { ref: Ref };
  next?: RefsProp;
}

export interface ProcessDecl extends DeclBase {
  kind: 'process';
  owner?: RefsProp;
  steps: Step[];
}

export interface KpiDecl extends DeclBase {
  kind: 'kpi';
  outcome?: StrProp;
  owner?: RefsProp;
  step?: RefsProp;
  perspective?: WordProp<Perspective>;
  supports?: RefsProp;
  why?: StrProp;
  levers?: StrsProp;
  unit?: StrProp;
  target?: TargetProp;
  thresholds?: ThresholdsProp;
  frequency?: WordProp<Frequency>;
  checkpoint?: WordProp<Frequency>;
  indicator?: WordProp<Indicator>;
  visibility?: StrProp;
  motivation?: StrProp;
  depends?: RefsProp;
  actuals: Actual[];
  data?: StrProp;
}

export interface Review extends Prop {
  every: number;
  unit: ReviewUnit;
  span: Span;
}

export interface SopDecl extends DeclBase {
  kind: 'sop';
  objective?: StrProp;
  owner?: RefsProp;
  trigger?: StrProp;
  roles?: RefsProp;
  steps?: StrsProp;
  exceptions: { when: Str; then: Str; keyword: Span }[];
  tools?: StrsProp;
  review?: Review;
  reviewed?: Prop & { date: Day; span: Span };
}

export interface ObjectiveDecl extends DeclBase {
  kind: 'objective';
  owner?: RefsProp;
  perspective?: WordProp<Perspective>;
  due?: Prop & { date: Day; span: Span };
  keyResults: (Prop & { ref: Ref })[];
  /** `drives Objective, …`: the objectives this one is a cause of (the strategy map's arrows). */
  drives?: RefsProp;
}

export interface ScorecardDecl extends DeclBase {
  kind: 'scorecard';
  lines: Partial<Record<Perspective, RefsProp>>;
}

export type Declaration = FunctionDecl | RoleDecl | ProcessDecl | KpiDecl | SopDecl | ObjectiveDecl | ScorecardDecl;

/** A problem found while building the model (syntax, duplicate properties, invalid periods). */
export interface SyntaxProblem {
  code: 'syntax-error' | 'duplicate-property' | 'invalid-period';
  message: string;
  span: Span;
}

/** `// kpi-disable-next-line a, b`: the line it silences (0-based) and the codes (empty = all). */
export interface DisableDirective {
  line: number;
  codes: string[];
}

export interface DocumentModel {
  declarations: Declaration[];
  problems: SyntaxProblem[];
  /** Comments, in order, for folding. */
  comments: Span[];
  /** The `// kpi-disable-next-line` comments, in order (what the checks read of comments). */
  directives: Span[];
  /** The per-declaration results the model is made of, kept for incremental re-parsing. */
  chunks: ChunkResult[];
}

/**
 * One top-level declaration's share of a document: its text region (from its
 * first token to the next declaration's first token; the first region starts
 * at 0), what it parsed to, and its problems and comments.
 */
export interface ChunkResult {
  start: number;
  end: number;
  firstTokenStart: number;
  firstTokenLength: number;
  declaration?: Declaration;
  problems: SyntaxProblem[];
  comments: Span[];
  directives: Span[];
  /** Every span above, collected the first time the chunk is moved (later moves are one flat loop). */
  spans?: Span[];
}
