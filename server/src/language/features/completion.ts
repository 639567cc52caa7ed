// Context-aware completion: the keywords valid at the cursor and the names of
// the kind expected there, never an item that would itself be an error
// (a second owner, a team as owner, a used once-only property, a checkpoint
// not finer than the frequency, a dependency that closes a cycle).
import type { DeclarationKind, KpiDecl, Span } from '../model/ast';
import { CADENCE_ORDER, type Cadence } from '../model/periods';
import { RULES } from '../checks/rules';
import { BLOCKS, DECLARATIONS, DECLARATION_KINDS, propertyOf, REVIEW_UNIT_WORDS, SITE_KINDS, type BlockKind, type PropertySpec } from '../syntax/grammar';
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';
import { completionContext } from './context';
import { declarationBefore } from './locate';
import { declarationSnippet, propertySnippet, snippetNames, type SnippetNames } from './snippets';

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

/** Which declaration kinds a reference accepts, by its block and property (the grammar table's reference site). */
function expectedKinds(block: BlockKind, prop: string): readonly DeclarationKind[] | 'step' | 'kpiStep' {
  const site = propertyOf(block, prop)?.site;
  if (site === 'next') return 'step';
  if (site === 'kpiStep') return 'kpiStep';
  return site ? SITE_KINDS[site] : [];
}

export function complete(workspace: Workspace, doc: SourceDocument, offset: number): CompletionResult {
  const context = completionContext(doc.text, offset, doc.model.chunks);
  const range = { start: context.word.start, end: context.word.end };
  const expect = context.expect;
  const items: CompletionItem[] = [];
  const current = context.declaration ? declarationBefore(doc, offset) : undefined;
  switch (expect.kind) {
    case 'declaration': {
      const names = snippetNames(workspace);
      for (const kind of DECLARATION_KINDS) items.push({ label: kind, kind: 'keyword', documentation: DECLARATIONS[kind].doc }, snippetFor(kind, names));
      break;
    }
    case 'header':
      if ((expect.decl === 'role' || expect.decl === 'team') && !expect.hasIn) {
        items.push({ label: 'in', kind: 'keyword', detail: 'in Function', documentation: `Places the ${expect.decl} in a function.` });
      }
      break;
    case 'in':
      items.push(...declarationsOf(workspace, ['function']));
      break;
    case 'property': {
      // Only a process's `step` and an objective's `key result` offer declared names in their snippets.
      const names = expect.block === 'process' || expect.block === 'objective' ? snippetNames(workspace) : undefined;
      for (const spec of BLOCKS[expect.block]) {
        if (expect.used.has(spec.keyword) && !spec.repeatable) continue;
        items.push(propertyItem(expect.block, spec, names));
      }
      break;
    }
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
        // An objective does not drive itself.
        if (expect.prop === 'drives' && current?.kind === 'objective') entries = entries.filter((item) => item.label !== current.name.text);
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
      let values = propertyOf(expect.block, expect.prop)?.words ?? [];
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

function propertyItem(block: BlockKind, spec: PropertySpec, names: SnippetNames | undefined): CompletionItem {
  // Inside a step, `step` is not offered as a snippet that would nest a step.
  const useSnippet = spec.snippet !== undefined && !(block === 'step' && spec.keyword === 'step');
  const snippet = (names && propertySnippet(block, spec.keyword, names)) ?? spec.snippet;
  return {
    label: spec.label,
    kind: 'keyword',
    detail: `${block} property`,
    documentation: spec.doc,
    ...(useSnippet ? { insertText: snippet, snippet: true } : {}),
    filterText: spec.keyword,
  };
}

function snippetFor(kind: DeclarationKind, names: SnippetNames): CompletionItem {
  const spec = DECLARATIONS[kind];
  return { label: `${kind} …`, kind: 'snippet', detail: `New ${kind}`, documentation: spec.doc, insertText: declarationSnippet(kind, names), snippet: true, filterText: kind, sortText: `~${kind}` };
}
