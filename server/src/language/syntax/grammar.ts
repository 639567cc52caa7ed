// The grammar of LANGUAGE.md section 3 as one table: every declaration and
// every property of its block, written once. The parser generates its
// property rules from it (parser.ts), the model builder fills the model
// field it names (../model/build.ts), the re-parse moves the offsets of its
// value kind (../model/spans.ts), and completion, hover, the formatter,
// semantic tokens and the reference sites (../workspace/symbols.ts) read it.
// docs/ARCHITECTURE.md ("Adding a property") walks through adding an entry.
//
// This module imports nothing: the lexer's keyword tokens (tokens.ts) are
// made from the words written here.

/** Declaration keywords, in the order LANGUAGE.md section 3 lists them. */
export const DECLARATION_KINDS = ['function', 'role', 'team', 'objective', 'process', 'kpi', 'sop', 'scorecard'] as const;
export type DeclarationKind = (typeof DECLARATION_KINDS)[number];

/** The blocks a property can be written in: declaration blocks and the blocks nested in them. */
export type BlockKind = 'kpi' | 'sop' | 'process' | 'step' | 'objective' | 'scorecard' | 'thresholds' | 'checklist';

/**
 * How a property's value is written, and so how it is parsed, built into the
 * model, completed and moved by an edit:
 * - `refs` Ref, Ref… → `{ keyword, refs }`
 * - `ref` one Ref → `{ keyword, ref }`; `keyResult` is `result Ref`, the same
 * - `string` → `{ keyword, value: Str }`; `unit` is a String or a bare word, the same
 * - `strings` String, String… and `checklist` `{ String* }` → `{ keyword, values }`
 * - `word` one of `words` → `{ keyword, value, span }`
 * - `target` Comparator Number | String → `{ keyword, comparison?, text? }`
 * - `thresholds` `{ band* }` → `{ keyword, green?, amber? }`; `band` Comparator Number → Comparison
 * - `actual` Period Number → Actual (no keyword span: the span starts at the keyword)
 * - `review` every Number Unit, `date` YYYY-MM-DD → `{ keyword, …, span }`
 * - `exception` String -> String → `{ keyword, when, then }`
 * - `step` Id String? `{ step properties }` → Step
 */
export type ValueKind =
  | 'refs'
  | 'ref'
  | 'keyResult'
  | 'string'
  | 'unit'
  | 'strings'
  | 'checklist'
  | 'word'
  | 'target'
  | 'thresholds'
  | 'band'
  | 'actual'
  | 'review'
  | 'date'
  | 'exception'
  | 'step';

/** Where a declaration names another, and so which kinds it expects there (checks/resolve.ts). */
export type RefSite =
  | 'in' // role/team `in Function`
  | 'owner' // any `owner`
  | 'kpiStep' // kpi `step Process.Step`
  | 'supports' // kpi `supports Objective`
  | 'depends' // kpi `depends Kpi`
  | 'keyResult' // objective `key result Kpi`
  | 'drives' // objective `drives Objective`
  | 'scorecard' // scorecard perspective lines
  | 'roles' // sop `roles Role|Team`
  | 'stepSop' // process step `sop Sop`
  | 'next'; // process step `next Step` (local to the process)

export interface PropertySpec {
  /** The word that starts the property (`key` of `key result`). */
  readonly keyword: string;
  /** How messages, completion and hover name it: the keyword, or `key result`. */
  readonly label: string;
  readonly value: ValueKind;
  /** May be written more than once in its block; a once-only property repeated is `duplicate-property`. */
  readonly repeatable: boolean;
  /** The field of the model (declaration, step, thresholds or scorecard lines) it fills; a list when repeatable. */
  readonly field: string;
  /** The Chevrotain rule that parses it; properties written alike in several blocks share it. */
  readonly rule: string;
  /** For `word`: the allowed words. */
  readonly words?: readonly string[];
  /** For references: the reference site (and so the kinds expected there). */
  readonly site?: RefSite;
  /** For `thresholds` and `step`: the block inside it. */
  readonly block?: BlockKind;
  /** The completion text, as a snippet with tab stops; none inserts the keyword. */
  readonly snippet?: string;
  /** One line for hover and completion. */
  readonly doc: string;
}

export const PERSPECTIVE_WORDS = ['financial', 'customer', 'internal', 'learning'] as const;
export const CADENCE_WORDS = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export const INDICATOR_WORDS = ['leading', 'lagging'] as const;
/** The units of `review every N unit`, as written (singular or plural). */
export const REVIEW_UNIT_WORDS = ['days', 'weeks', 'months', 'quarters', 'years'] as const;

type Options = Partial<Pick<PropertySpec, 'label' | 'field' | 'rule' | 'words' | 'site' | 'block' | 'snippet'>> & { repeatable?: boolean };

/** One table row; the label, field and rule default to the keyword (`p_keyword`). */
function property(keyword: string, value: ValueKind, doc: string, options: Options = {}): PropertySpec {
  return {
    keyword,
    label: options.label ?? keyword,
    value,
    repeatable: options.repeatable ?? false,
    field: options.field ?? keyword,
    rule: options.rule ?? `p_${keyword}`,
    ...(options.words ? { words: options.words } : {}),
    ...(options.site ? { site: options.site } : {}),
    ...(options.block ? { block: options.block } : {}),
    ...(options.snippet ? { snippet: options.snippet } : {}),
    doc,
  };
}

const REVIEW_SNIPPET_UNITS = '${2|months,weeks,days,quarters,years|}';

/** The properties of each block, in the order completion offers them. */
export const BLOCKS: Readonly<Record<BlockKind, readonly PropertySpec[]>> = {
  kpi: [
    property('outcome', 'string', 'The result the KPI measures, worded as an outcome, not an activity.', { snippet: 'outcome "${1}"' }),
    property('owner', 'refs', 'The one accountable role, who has control over the result.', { site: 'owner' }),
    property('step', 'refs', 'The process step(s) where the result is created, written Process.Step.', { site: 'kpiStep', rule: 'p_kpiStep' }),
    property('perspective', 'word', 'The Balanced Scorecard perspective: financial, customer, internal or learning.', { words: PERSPECTIVE_WORDS }),
    property('supports', 'refs', 'The objective(s) this KPI serves: the why.', { site: 'supports' }),
    property('why', 'string', 'The purpose in words, where no objective exists.', { snippet: 'why "${1}"' }),
    property('levers', 'strings', 'What the owner controls to move the KPI.'),
    property('unit', 'unit', 'The unit of the values, such as "%", hours or "INR lakh".'),
    property('target', 'target', 'The goal, as a comparator and a number (target >= 20).'),
    property('thresholds', 'thresholds', 'Status bands: { green >= 20  amber >= 12 }; below amber is red.', {
      block: 'thresholds',
      snippet: 'thresholds { green ${1|>=,<=|} ${2:90}  amber ${1} ${3:75} }',
    }),
    property('frequency', 'word', 'How often it is measured: daily, weekly, monthly, quarterly or yearly.', { words: CADENCE_WORDS }),
    property('checkpoint', 'word', 'An interim review cadence, finer than the frequency.', { words: CADENCE_WORDS }),
    property('indicator', 'word', 'leading (tells what will happen) or lagging (tells what did).', { words: INDICATOR_WORDS }),
    property('visibility', 'string', 'Where the KPI is shown (dashboards, review meetings).'),
    property('motivation', 'string', 'What makes people care (incentives, recognition).'),
    property('depends', 'refs', 'KPIs this one needs from others: the hand-offs.', { site: 'depends' }),
    property('actual', 'actual', 'One measured value: actual <period> <value>.', { repeatable: true, field: 'actuals', snippet: 'actual ${1:2026-10} ${2:0}' }),
    property('data', 'string', 'A CSV file (header period,value), relative to this file, inside the workspace.', { snippet: 'data "${1:data/values.csv}"' }),
  ],
  sop: [
    property('objective', 'string', 'What following the SOP achieves.', { snippet: 'objective "${1}"' }),
    property('owner', 'refs', 'The one role accountable for the SOP.', { site: 'owner' }),
    property('trigger', 'string', 'The event that starts the procedure.', { snippet: 'trigger "${1}"' }),
    property('roles', 'refs', 'The roles or teams that take part.', { site: 'roles' }),
    property('steps', 'checklist', 'The checklist, in order: steps { "…" "…" }.', { rule: 'p_checklist', block: 'checklist', snippet: 'steps {\n  "${1:First step}"\n}' }),
    property('exception', 'exception', 'When this happens -> do that.', { repeatable: true, field: 'exceptions', snippet: 'exception "${1:When this happens}" -> "${2:do that}"' }),
    property('tools', 'strings', 'Where the SOP lives (CRM app, form).'),
    property('review', 'review', 'The review cadence: review every 2 weeks.', { snippet: `review every \${1:3} ${REVIEW_SNIPPET_UNITS}` }),
    property('reviewed', 'date', 'The date of the last review (YYYY-MM-DD).'),
  ],
  process: [
    property('owner', 'refs', 'The process owner (one role).', { site: 'owner' }),
    property('step', 'step', 'A step: step Id "Title" { owner Role  sop Sop  next Step }.', {
      repeatable: true,
      field: 'steps',
      rule: 'p_processStep',
      block: 'step',
      snippet: 'step ${1:Name} "${2:Title}" { owner ${3:Role} }',
    }),
  ],
  step: [
    property('owner', 'refs', 'The one role that performs the step.', { site: 'owner' }),
    property('sop', 'ref', 'The SOP that tells how to do the step.', { site: 'stepSop', rule: 'p_stepSop' }),
    property('next', 'refs', 'The steps that follow (hand-offs when the owners differ).', { site: 'next' }),
  ],
  objective: [
    property('owner', 'refs', 'The one role accountable for the objective.', { site: 'owner' }),
    property('perspective', 'word', 'The Balanced Scorecard perspective of the objective.', { words: PERSPECTIVE_WORDS }),
    property('due', 'date', 'When the objective is due (YYYY-MM-DD).'),
    property('key', 'keyResult', 'key result Kpi: a KPI that measures the objective.', {
      label: 'key result',
      repeatable: true,
      field: 'keyResults',
      rule: 'p_keyResult',
      site: 'keyResult',
      snippet: 'key result ${1:Kpi}',
    }),
    property('drives', 'refs', 'The objectives this one is a cause of: the arrows of the strategy map.', { site: 'drives' }),
  ],
  scorecard: [
    property('financial', 'refs', 'Financial KPIs.', { site: 'scorecard' }),
    property('customer', 'refs', 'Customer KPIs.', { site: 'scorecard' }),
    property('internal', 'refs', 'Internal process KPIs.', { site: 'scorecard' }),
    property('learning', 'refs', 'Learning & growth KPIs.', { site: 'scorecard' }),
  ],
  thresholds: [
    property('green', 'band', 'The green band: green >= 90.'),
    property('amber', 'band', 'The amber band, between green and red: amber >= 75.'),
  ],
  // `steps { "…" }` holds strings, no properties.
  checklist: [],
};

/** The kinds a reference at each site may name; `next` names a step of its own process. */
export const SITE_KINDS: Readonly<Record<RefSite, readonly DeclarationKind[]>> = {
  in: ['function'],
  owner: ['role'],
  kpiStep: ['process'],
  supports: ['objective'],
  depends: ['kpi'],
  keyResult: ['kpi'],
  drives: ['objective'],
  scorecard: ['kpi'],
  roles: ['role', 'team'],
  stepSop: ['sop'],
  next: [],
};

export interface DeclarationSpec {
  readonly kind: DeclarationKind;
  /** The Chevrotain rule that parses it. */
  readonly rule: string;
  /** The block of properties after the header, if it has one. */
  readonly block?: BlockKind;
  /** `role X in Function`: the header may place it in a function. */
  readonly placed?: boolean;
  /** For a scorecard: the model field that holds its properties (its perspective lines). */
  readonly container?: string;
  readonly doc: string;
}

export const DECLARATIONS: Readonly<Record<DeclarationKind, DeclarationSpec>> = {
  function: {
    kind: 'function',
    rule: 'functionDecl',
    doc: 'A department (Sales, Service, Finance, Engineering).',
  },
  role: {
    kind: 'role',
    rule: 'roleDecl',
    placed: true,
    doc: 'One accountable position; the only kind of declaration that can own things.',
  },
  team: {
    kind: 'team',
    rule: 'teamDecl',
    placed: true,
    doc: 'A group of people: can take part in an SOP, can never own anything.',
  },
  objective: {
    kind: 'objective',
    rule: 'objectiveDecl',
    block: 'objective',
    doc: 'A goal, measured by its key results and the KPIs that support it.',
  },
  process: {
    kind: 'process',
    rule: 'processDecl',
    block: 'process',
    doc: 'A process: its owner and its steps, connected by next.',
  },
  kpi: {
    kind: 'kpi',
    rule: 'kpiDecl',
    block: 'kpi',
    doc: 'A key performance indicator: an outcome with one owner, a target and a linked process step.',
  },
  sop: {
    kind: 'sop',
    rule: 'sopDecl',
    block: 'sop',
    doc: 'A standard operating procedure: objective, trigger, roles, checklist, exceptions and review cadence.',
  },
  scorecard: {
    kind: 'scorecard',
    rule: 'scorecardDecl',
    block: 'scorecard',
    container: 'lines',
    doc: 'A Balanced Scorecard: KPIs in the four perspectives.',
  },
};

/** Words that are keywords inside a value rather than starting a property (`in`, `every`, `result`). */
const VALUE_KEYWORDS = ['in', 'every', 'result'] as const;

/** Every word the grammar treats as a keyword somewhere, each once. */
export const KEYWORD_WORDS: readonly string[] = [
  ...new Set<string>([...DECLARATION_KINDS, ...VALUE_KEYWORDS, ...Object.values(BLOCKS).flatMap((props) => props.map((p) => p.keyword))]),
];

const BY_KEYWORD = new Map<BlockKind, ReadonlyMap<string, PropertySpec>>(
  (Object.entries(BLOCKS) as [BlockKind, readonly PropertySpec[]][]).map(([block, props]) => [block, new Map(props.map((p) => [p.keyword, p]))]),
);

/** The property `keyword` starts in `block`, if it starts one there. */
export function propertyOf(block: BlockKind, keyword: string): PropertySpec | undefined {
  return BY_KEYWORD.get(block)?.get(keyword);
}

/** Every property spec, each Chevrotain rule once (properties of several blocks share a rule). */
export function propertyRules(): PropertySpec[] {
  const byRule = new Map<string, PropertySpec>();
  for (const props of Object.values(BLOCKS)) for (const p of props) if (!byRule.has(p.rule)) byRule.set(p.rule, p);
  return [...byRule.values()];
}

/** The directive word of `// kpi-disable-next-line code, …`: the one comment the checks read. */
export const DISABLE_DIRECTIVE_WORD = 'kpi-disable-next-line';
/** A comment holding the directive; the group is its codes. */
export const DISABLE_DIRECTIVE = new RegExp(`^//\\s*${DISABLE_DIRECTIVE_WORD}\\b(.*)$`);
/** A line holding only a directive comment (indentation allowed); the group runs to its last non-space. */
export const DISABLE_DIRECTIVE_LINE = new RegExp(`^(\\s*//\\s*${DISABLE_DIRECTIVE_WORD}\\b.*?)\\s*$`);
