// The plain-data shapes of the three maps: what the layout reads and what it
// returns. The inputs are the module's own, smaller than the scorecard model,
// so the layout stays independent of that model while it changes; the
// renderer copies the few fields it needs into them.

/** A rectangle in map coordinates: x grows to the right, y grows downwards. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where an edge's label goes, as the box its text occupies. */
export type LabelBox = Box;

// ---------------------------------------------------------------- process map

export interface ProcessStepInput {
  readonly name: string;
  readonly title?: string | undefined;
  /** The step's owner (a role or a team), when it has one. */
  readonly owner?: string | undefined;
  /** The owner's function, when the owner has one. */
  readonly ownerFunction?: string | undefined;
  /** How the lane and the group are labelled (the owner's and the function's titles); their names when absent. */
  readonly ownerTitle?: string | undefined;
  readonly ownerFunctionTitle?: string | undefined;
  /** The steps this one leads to, in the order written (the first is the main path). */
  readonly next: readonly string[];
  readonly sop?: string | undefined;
  /** The KPIs attached at this step, in the order they are shown. */
  readonly kpis: readonly string[];
  /** The lines the renderer writes in the step's box, when they differ from `stepLines` (the box is sized for them). */
  readonly shownLines?: readonly string[] | undefined;
}

export interface ProcessInput {
  readonly name: string;
  /** The steps as declared; the first is the entry step. */
  readonly steps: readonly ProcessStepInput[];
}

export interface StepNode {
  readonly name: string;
  readonly box: Box;
  /** The index of the step's lane in `ProcessLayout.lanes`. */
  readonly lane: number;
  readonly entry: boolean;
  /** True when the step cannot be reached from the entry step along `next`. */
  readonly unreachable: boolean;
}

export interface Lane {
  /** The owner, or undefined for the lane of steps without an owner. */
  readonly owner: string | undefined;
  readonly ownerFunction: string | undefined;
  readonly box: Box;
  /** Where the lane's name is written (in the header column at its left). */
  readonly labelBox: Box;
}

export interface LaneGroup {
  /** The function, or undefined for the group of owners without one. */
  readonly ownerFunction: string | undefined;
  readonly box: Box;
  readonly labelBox: Box;
  /** Indexes into `ProcessLayout.lanes`, top to bottom. */
  readonly lanes: readonly number[];
}

export interface StepEdge {
  readonly from: string;
  readonly to: string;
  /** The polyline from the source's border to the target's border (arrowhead at the last point). */
  readonly points: readonly Point[];
  /** True for an edge that closes a loop (it goes back towards the entry). */
  readonly back: boolean;
  /** True when the two steps have different owners. */
  readonly handOff: boolean;
  /** True when the two owners' functions differ (a hand-off between functions). */
  readonly crossFunction: boolean;
}

export interface ProcessLayout {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly StepNode[];
  readonly lanes: readonly Lane[];
  readonly groups: readonly LaneGroup[];
  readonly edges: readonly StepEdge[];
  /** The area holding the unreachable steps (right of a divider), when there are any. */
  readonly unreachableArea: Box | undefined;
}

// --------------------------------------------------------------- strategy map

export type Perspective = 'financial' | 'customer' | 'internal' | 'learning';

export interface ObjectiveInput {
  readonly name: string;
  readonly title?: string | undefined;
  readonly perspective?: Perspective | undefined;
  /** The objectives this one drives (LANGUAGE.md 3.5). */
  readonly drives: readonly string[];
  /** The objective's KPIs, in the order they are shown. */
  readonly kpis: readonly string[];
  /** The lines the renderer writes in the objective's box, when they differ from `objectiveLines`. */
  readonly shownLines?: readonly string[] | undefined;
}

export interface KpiDependsInput {
  readonly name: string;
  /** The KPIs this KPI depends on. */
  readonly depends: readonly string[];
}

export interface StrategyInput {
  readonly objectives: readonly ObjectiveInput[];
  /** KPIs with `depends`, to draw the dashed edges between their objectives. */
  readonly kpis: readonly KpiDependsInput[];
}

export interface Band {
  /** The perspective, or undefined for the band of objectives without one. */
  readonly perspective: Perspective | undefined;
  readonly box: Box;
  readonly labelBox: Box;
}

export interface ObjectiveNode {
  readonly name: string;
  readonly box: Box;
  /** The index of the objective's band in `StrategyLayout.bands`. */
  readonly band: number;
}

export interface ObjectiveEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly Point[];
  /**
   * `drives` for a written `drives` link; `depends` (drawn dashed) when a KPI
   * of `to` depends on a KPI of `from`, with the KPI pairs in `via`.
   */
  readonly kind: 'drives' | 'depends';
  readonly via: readonly KpiCrossing[];
}

export interface KpiCrossing {
  /** The KPI depended on. */
  readonly from: string;
  /** The KPI that depends on it. */
  readonly to: string;
}

export interface StrategyLayout {
  readonly width: number;
  readonly height: number;
  /** Top to bottom: financial, customer, internal process, learning & growth, then no perspective. */
  readonly bands: readonly Band[];
  readonly nodes: readonly ObjectiveNode[];
  readonly edges: readonly ObjectiveEdge[];
}

// --------------------------------------------------------------- hand-off map

export interface FunctionInput {
  readonly name: string;
  readonly title?: string | undefined;
  /** How many KPIs the function owns (shown on its node). */
  readonly kpiCount: number;
  /** The lines the renderer writes in the function's box, when they differ from `functionLines`. */
  readonly shownLines?: readonly string[] | undefined;
}

export interface KpiOwnershipInput {
  readonly name: string;
  /** How a crossing's label names the KPI; its name when absent. */
  readonly title?: string | undefined;
  /** The function of the KPI's owner, when it has one. */
  readonly ownerFunction?: string | undefined;
  readonly depends: readonly string[];
}

export interface HandOffInput {
  readonly functions: readonly FunctionInput[];
  readonly kpis: readonly KpiOwnershipInput[];
  readonly processes: readonly ProcessInput[];
  /** A last line for an edge's label (the renderer's status note), sized with the label. */
  readonly labelNote?: ((crossings: readonly Crossing[]) => string | undefined) | undefined;
}

/**
 * One thing that crosses between two functions: `from` and `to` are the
 * KPIs' or steps' names, `fromTitle` and `toTitle` how the label shows them
 * (the titles as written, else the names).
 */
export type Crossing =
  | { readonly kind: 'depends'; readonly from: string; readonly to: string; readonly fromTitle: string; readonly toTitle: string }
  | { readonly kind: 'hand-off'; readonly process: string; readonly from: string; readonly to: string; readonly fromTitle: string; readonly toTitle: string };

export interface FunctionNode {
  readonly name: string;
  readonly box: Box;
}

export interface FunctionEdge {
  /** The function that supplies (the depended-on KPI's, or the handing step's). */
  readonly from: string;
  /** The function that receives. */
  readonly to: string;
  readonly points: readonly Point[];
  /** What crosses, sorted; the label lists them. */
  readonly crossings: readonly Crossing[];
  readonly labelBox: LabelBox;
}

export interface HandOffLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly FunctionNode[];
  readonly edges: readonly FunctionEdge[];
}
