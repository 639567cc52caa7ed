// Context-aware completion: the keywords valid at the cursor and the names of
// the kind expected there, never an item that would itself be an error
// (a second owner, a team as owner, a used once-only property, a checkpoint
// not finer than the frequency, a dependency that closes a cycle).
import type { DeclarationKind, KpiDecl, Span } from '../model/ast';
import { CADENCE_ORDER, type Cadence } from '../model/periods';
import { RULES } from '../checks/rules';
import { DECLARATION_KINDS } from '../syntax/tokens';
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';
import { completionContext } from './context';
import { declarationBefore } from './locate';
import { BLOCK_PROPERTIES, DECLARATION_DOCS, REVIEW_UNIT_WORDS, WORD_VALUES, type BlockKind } from './vocabulary';

export type CompletionKind = DeclarationKind | 'step' | 'keyword' | 'value' | 'snippet' | 'code' | 'operator';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert; a snippet with tab stops when `snippet` is true. */
  insertText?: string;
  snippet?: boolean;
  filterText?: string;
  sortText?: string;
}

export interface CompletionResult {
  items: CompletionItem[];
  /** The text the items replace. */
  range: Span;
}

/** Which declaration kinds a reference list accepts, by block and property. */
function expectedKinds(block: BlockKind, prop: string): DeclarationKind[] | 'step' | 'kpiStep' {
  if (block === 'step' && prop === 'next') return 'step';
  if (block === 'kpi' && prop === 'step') return 'kpiStep';
  if (prop === 'owner') return ['role'];
  if (prop === 'supports') return ['objective'];
  if (prop === 'depends' || prop === 'key' || block === 'scorecard') return ['kpi'];
  if (prop === 'roles') return ['role', 'team'];
  if (prop === 'sop') return ['sop'];
  return [];
}

export function complete(workspace: Workspace, doc: SourceDocument, offset: number): CompletionResult {
  const context = completionContext(doc.text, offset, doc.model.chunks);
  const range = { start: context.word.start, end: context.word.end };
  const expect = context.expect;
  const items: CompletionItem[] = [];
  const current = context.declaration ? declarationBefore(doc, offset) : undefined;
  switch (expect.kind) {
    case 'declaration':
      for (const kind of DECLARATION_KINDS) items.push({ label: kind, kind: 'keyword', documentation: DECLARATION_DOCS[kind] }, snippetFor(kind, workspace));
      break;
    case 'header':
      if ((expect.decl === 'role' || expect.decl === 'team') && !expect.hasIn) {
        items.push({ label: 'in', kind: 'keyword', detail: 'in Function', documentation: `Places the ${expect.decl} in a function.` });
      }
      break;
    case 'in':
      items.push(...declarationsOf(workspace, ['function']));
      break;
    case 'property':
      for (const [name, info] of Object.entries(BLOCK_PROPERTIES[expect.block])) {
        if (expect.used.has(name) && !info.repeatable) continue;
        items.push(propertyItem(expect.block, name, info.doc));
      }
      break;
    case 'ref': {
      const kinds = expectedKinds(expect.block, expect.prop);
      // A second owner would be `multiple-owners`; offer nothing after `owner A,`.
      if (expect.prop === 'owner' && expect.index > 0) break;
      if (kinds === 'step') {
        if (current?.kind === 'process') for (const step of current.steps) items.push({ label: step.name.text, kind: 'step', ...(step.title ? { detail: step.title.value } : {}) });
      } else if (kinds === 'kpiStep') {
        items.push(...processSteps(workspace, expect.head));
      } else if (!expect.head) {
        let entries = declarationsOf(workspace, kinds);
        if (expect.prop === 'depends' && current?.kind === 'kpi') entries = entries.filter((item) => !wouldCloseCycle(workspace, current, item.label));
        if (expect.block === 'scorecard') {
          entries = entries.filter((item) => {
            const kpi = workspace.declarations(item.label)[0]?.decl;
            return kpi?.kind !== 'kpi' || !kpi.perspective || kpi.perspective.value === expect.prop;
          });
        }
        items.push(...entries);
      }
      break;
    }
    case 'word': {
      let values = WORD_VALUES[expect.prop] ?? [];
      if (expect.prop === 'checkpoint' && current?.kind === 'kpi' && current.frequency) {
        const frequency = CADENCE_ORDER[current.frequency.value];
        values = values.filter((v) => CADENCE_ORDER[v as Cadence] < frequency);
      }
      for (const v of values) items.push({ label: v, kind: 'value' });
      break;
    }
    case 'comparator':
      for (const [op, meaning] of [['>=', 'at least'], ['<=', 'at most'], ['>', 'more than'], ['<', 'less than'], ['=', 'exactly']] as const) {
        items.push({ label: `${op} …`, kind: 'operator', detail: meaning, insertText: `${op} \${1:0}`, snippet: true, filterText: op });
      }
      break;
    case 'every':
      items.push({ label: 'every', kind: 'keyword', insertText: 'every ${1:3} ${2|months,weeks,days,quarters,years|}', snippet: true });
      break;
    case 'reviewUnit':
      for (const unit of REVIEW_UNIT_WORDS) items.push({ label: unit, kind: 'value' });
      break;
    case 'result':
      items.push({ label: 'result', kind: 'keyword' });
      break;
    case 'disableCode':
      for (const rule of RULES.values()) {
        if (rule.code !== 'bad-config') items.push({ label: rule.code, kind: 'code', detail: rule.severity, documentation: rule.summary });
      }
      break;
    case 'none':
      break;
  }
  return { items, range };
}

function declarationsOf(workspace: Workspace, kinds: readonly DeclarationKind[]): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const doc of workspace.documents) {
    for (const decl of doc.model.declarations) {
      if (!kinds.includes(decl.kind)) continue;
      // Only the declaration a name resolves to; a later duplicate is not a second item.
      if (workspace.declarations(decl.name.text)[0]?.decl !== decl) continue;
      items.push({ label: decl.name.text, kind: decl.kind, ...(decl.title ? { detail: decl.title.value } : {}), documentation: describe(workspace, { doc, decl }) });
    }
  }
  return items;
}

function describe(workspace: Workspace, entry: DeclEntry): string {
  const decl = entry.decl;
  const parts = [`${decl.kind} ${decl.name.text} — ${entry.doc.key}`];
  if (decl.kind === 'role' || decl.kind === 'team') {
    const fn = decl.in ? workspace.declarations(decl.in.name)[0]?.decl : undefined;
    if (fn) parts.push(`in ${fn.title?.value ?? fn.name.text}`);
  }
  if (decl.kind === 'kpi' && decl.outcome) parts.push(decl.outcome.value.value);
  if (decl.kind === 'sop' && decl.objective) parts.push(decl.objective.value.value);
  return parts.join('\n\n');
}

/** `Process.Step` items, or the steps of `head` after `head.`. */
function processSteps(workspace: Workspace, head: string | undefined): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const doc of workspace.documents) {
    for (const decl of doc.model.declarations) {
      if (decl.kind !== 'process' || workspace.declarations(decl.name.text)[0]?.decl !== decl) continue;
      if (head !== undefined && decl.name.text !== head) continue;
      for (const step of decl.steps) {
        if (decl.steps.find((s) => s.name.text === step.name.text) !== step) continue;
        const full = `${decl.name.text}.${step.name.text}`;
        const owner = step.owner?.refs[0]?.name;
        items.push({
          label: head === undefined ? full : step.name.text,
          kind: 'step',
          ...(step.title ? { detail: step.title.value } : {}),
          documentation: `Step ${full}${owner ? `, performed by ${owner}` : ''}.`,
        });
      }
    }
  }
  return items;
}

/** Whether `kpi depends target` would close a cycle: target is kpi itself or depends on it. */
function wouldCloseCycle(workspace: Workspace, kpi: KpiDecl, target: string): boolean {
  const seen = new Set<string>();
  const stack = [target];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const decl = workspace.declarations(name)[0]?.decl;
    if (decl === kpi) return true;
    if (decl?.kind === 'kpi') for (const ref of decl.depends?.refs ?? []) stack.push(ref.name);
  }
  return false;
}

const PROPERTY_SNIPPETS: Record<string, string> = {
  thresholds: 'thresholds { green ${1|>=,<=|} ${2:90}  amber ${1} ${3:75} }',
  steps: 'steps {\n\t"${1:First step}"\n}',
  exception: 'exception "${1:When this happens}" -> "${2:do that}"',
  review: 'review every ${1:3} ${2|months,weeks,days,quarters,years|}',
  key: 'key result ${1:Kpi}',
  actual: 'actual ${1:2026-10} ${2:0}',
  step: 'step ${1:Name} "${2:Title}" { owner ${3:Role} }',
  outcome: 'outcome "${1}"',
  why: 'why "${1}"',
  trigger: 'trigger "${1}"',
  objective: 'objective "${1}"',
  data: 'data "${1:data/values.csv}"',
};

function propertyItem(block: BlockKind, name: string, doc: string): CompletionItem {
  const snippet = PROPERTY_SNIPPETS[name];
  const useSnippet = snippet !== undefined && !(block === 'step' && name === 'step');
  return {
    label: name === 'key' ? 'key result' : name,
    kind: 'keyword',
    detail: `${block} property`,
    documentation: doc,
    ...(useSnippet ? { insertText: snippet, snippet: true } : {}),
    filterText: name,
  };
}

function snippetFor(kind: DeclarationKind, workspace: Workspace): CompletionItem {
  const role = firstName(workspace, 'role') ?? 'Role';
  const bodies: Record<DeclarationKind, string> = {
    function: 'function ${1:Name} "${2:Title}"',
    role: 'role ${1:Name} "${2:Title}" in ${3:Function}',
    team: 'team ${1:Name} "${2:Title}" in ${3:Function}',
    objective: `objective \${1:Name} "\${2:Title}" {\n\towner       \${3:${role}}\n\tperspective \${4|financial,customer,internal,learning|}\n\tdue         \${5:2026-12-31}\n\tkey result  \${6:Kpi}\n}`,
    process: `process \${1:Name} "\${2:Title}" {\n\towner \${3:${role}}\n\tstep \${4:First} "\${5:First step}" { owner \${6:${role}} }\n}`,
    // The six questions of the KPI Clarity Canvas: outcome, owner, levers, frequency, visibility, motivation.
    kpi: `kpi \${1:Name} "\${2:Title}" {\n\toutcome    "\${3:The result, worded as an outcome}"\n\towner      \${4:${role}}\n\tstep       \${5:Process.Step}\n\tlevers     "\${6:What the owner controls}"\n\ttarget     >= \${7:0}\n\tfrequency  \${8|monthly,weekly,daily,quarterly,yearly|}\n\tvisibility "\${9:Where it is shown}"\n\tmotivation "\${10:What makes people care}"\n}`,
    sop: `sop \${1:Name} "\${2:Title}" {\n\tobjective "\${3:What it achieves}"\n\towner     \${4:${role}}\n\ttrigger   "\${5:What starts it}"\n\tsteps {\n\t\t"\${6:First step}"\n\t}\n\treview    every \${7:3} \${8|months,weeks,quarters|}\n}`,
    scorecard: 'scorecard ${1:Name} "${2:Title}" {\n\tfinancial ${3:Kpi}\n\tcustomer  ${4:Kpi}\n\tinternal  ${5:Kpi}\n\tlearning  ${6:Kpi}\n}',
  };
  return { label: `${kind} …`, kind: 'snippet', detail: `New ${kind}`, documentation: DECLARATION_DOCS[kind], insertText: bodies[kind], snippet: true, filterText: kind, sortText: `~${kind}` };
}

function firstName(workspace: Workspace, kind: DeclarationKind): string | undefined {
  for (const doc of workspace.documents) for (const decl of doc.model.declarations) if (decl.kind === kind) return decl.name.text;
  return undefined;
}
