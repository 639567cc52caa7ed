// Quick fixes for the diagnostics that have an obvious repair, a "disable for
// this line" fix for every diagnostic, and "fix all" (the fixes that are safe
// to apply without a human choosing: the same edits as `kpi check --fix`).
import type { Diagnostic } from '../checks/registry';
import type { Declaration, DeclarationKind, KpiDecl, ProcessDecl, Span, Step } from '../model/ast';
import { formatDay } from '../model/periods';
import { DISABLE_DIRECTIVE_LINE } from '../syntax/grammar';
import { KIND_ARTICLE, SITE_KINDS } from '../workspace/symbols';
import type { SourceDocument, Workspace } from '../workspace/workspace';
import { declarationAt, targetAt } from './locate';

export interface TextEdit {
  key: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply when the user asks for "the" fix. */
  preferred?: boolean;
  /** Safe to apply unattended (fix all, `kpi check --fix`). */
  auto?: boolean;
}

export function fixesFor(workspace: Workspace, doc: SourceDocument, diagnostic: Diagnostic): Fix[] {
  const fixes: Fix[] = [];
  const maker = MAKERS[diagnostic.code];
  if (maker) {
    try {
      fixes.push(...maker(workspace, doc, diagnostic));
    } catch {
      // A quick fix is a convenience: never let one break the others.
    }
  }
  fixes.push(disableFix(doc, diagnostic));
  return fixes;
}

/** The auto fixes for every diagnostic of a document, without overlapping edits. */
export function fixAll(workspace: Workspace, doc: SourceDocument): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const d of workspace.diagnostics(doc.key)) {
    const fix = fixesFor(workspace, doc, d).find((f) => f.auto);
    if (!fix || fix.edits.some((e) => e.key !== doc.key)) continue;
    if (fix.edits.some((e) => edits.some((o) => e.span.start < o.span.end + 1 && o.span.start < e.span.end + 1))) continue;
    edits.push(...fix.edits);
  }
  return edits.sort((a, b) => a.span.start - b.span.start);
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) result = result.slice(0, e.span.start) + e.newText + result.slice(e.span.end);
  return result;
}

type Maker = (workspace: Workspace, doc: SourceDocument, d: Diagnostic) => Fix[];

const MAKERS: Record<string, Maker> = {
  'missing-owner': (workspace, doc, d) => {
    const { holder, step } = holderAt(doc, d.span.start);
    if (!holder) return [];
    const suggestion = suggestOwner(workspace, holder, step);
    const role = suggestion ?? firstOfKind(workspace, 'role') ?? 'Owner';
    return [{ title: `Add owner ${role}`, edits: [insertProperty(doc, holder, step, `owner ${role}`)], preferred: true, auto: suggestion !== undefined }];
  },
  'missing-target': (_workspace, doc, d) => {
    const kpi = kpiAt(doc, d.span.start);
    if (!kpi) return [];
    const green = kpi.thresholds?.green;
    const text = green ? `target ${green.op} ${green.value}` : 'target >= 0';
    return [{ title: `Add ${text}`, edits: [insertProperty(doc, kpi, undefined, text)], preferred: true }];
  },
  'missing-frequency': (_workspace, doc, d) => {
    const kpi = kpiAt(doc, d.span.start);
    if (!kpi) return [];
    return ['monthly', 'weekly', 'quarterly'].map((f, i) => ({ title: `Add frequency ${f}`, edits: [insertProperty(doc, kpi, undefined, `frequency ${f}`)], preferred: i === 0 }));
  },
  'missing-outcome': (_workspace, doc, d) => {
    const kpi = kpiAt(doc, d.span.start);
    if (!kpi) return [];
    const text = `outcome "${(kpi.title?.value ?? kpi.name.text).replace(/["\\]/g, '\\$&')}"`;
    return [{ title: 'Add an outcome', edits: [insertProperty(doc, kpi, undefined, text)], preferred: true }];
  },
  'multiple-owners': (_workspace, doc, d) => {
    const { holder, step } = holderAt(doc, d.span.start);
    const owner = step ? step.owner : holder && 'owner' in holder ? holder.owner : undefined;
    if (!owner || owner.refs.length < 2) return [];
    const span = { start: owner.refs[0]!.span.start, end: owner.refs[owner.refs.length - 1]!.span.end };
    return owner.refs.map((ref, i) => ({
      title: `Keep only ${ref.name} as owner`,
      edits: [{ key: doc.key, span, newText: ref.name }],
      preferred: i === 0,
      auto: i === 0,
    }));
  },
  'unknown-reference': (workspace, doc, d) => {
    const target = targetAt(doc, d.span.start);
    if (!target || target.kind !== 'ref') return [];
    const fixes: Fix[] = [];
    const { ref, site } = target;
    if (site === 'kpiStep' && !ref.member) {
      // A bare step name: offer the processes that have such a step.
      for (const entry of allOfKind(workspace, 'process')) {
        const process = entry as ProcessDecl;
        if (process.steps.some((s) => s.name.text === ref.name)) {
          fixes.push({ title: `Change to ${process.name.text}.${ref.name}`, edits: [{ key: doc.key, span: ref.span, newText: `${process.name.text}.${ref.name}` }] });
        }
      }
      if (fixes.length === 1) Object.assign(fixes[0]!, { preferred: true, auto: true });
      return fixes;
    }
    if (ref.member || site === 'next' || site === 'kpiStep') return fixes;
    const kinds = SITE_KINDS[site];
    const near = allOfKind(workspace, ...kinds)
      .map((decl) => decl.name.text)
      .filter((name) => name !== ref.name && isNear(name, ref.name));
    for (const name of near) fixes.push({ title: `Change to ${name}`, edits: [{ key: doc.key, span: ref.span, newText: name }] });
    if (near.length === 1) Object.assign(fixes[0]!, { preferred: true, auto: true });
    if (workspace.declarations(ref.name).length === 0) {
      const kind = kinds[0]!;
      fixes.push({ title: `Create ${KIND_ARTICLE[kind].split(' ')[1]} ${ref.name}`, edits: [appendDeclaration(doc, scaffold(kind, ref.name))] });
    }
    return fixes;
  },
  'unlinked-kpi': (workspace, doc, d) => {
    const kpi = kpiAt(doc, d.span.start);
    const owner = kpi?.owner?.refs[0]?.name;
    if (!kpi || !owner) return [];
    const fixes: Fix[] = [];
    for (const decl of allOfKind(workspace, 'process')) {
      const process = decl as ProcessDecl;
      for (const step of process.steps) {
        if (step.owner?.refs[0]?.name === owner) {
          fixes.push({ title: `Link step ${process.name.text}.${step.name.text}`, edits: [insertProperty(doc, kpi, undefined, `step ${process.name.text}.${step.name.text}`)] });
        }
      }
    }
    if (fixes.length === 1) Object.assign(fixes[0]!, { preferred: true });
    return fixes.slice(0, 8);
  },
  'sop-without-review': (_workspace, doc, d) => {
    const decl = declarationAt(doc, d.span.start);
    if (decl?.kind !== 'sop') return [];
    return [{ title: 'Add review every 3 months', edits: [insertProperty(doc, decl, undefined, 'review every 3 months')], preferred: true }];
  },
  'sop-review-overdue': (workspace, doc, d) => [
    { title: `Mark as reviewed today (${formatDay(workspace.today())})`, edits: [{ key: doc.key, span: d.span, newText: formatDay(workspace.today()) }], preferred: true },
  ],
};

function kpiAt(doc: SourceDocument, offset: number): KpiDecl | undefined {
  const decl = declarationAt(doc, offset);
  return decl?.kind === 'kpi' ? decl : undefined;
}

/** The declaration (and the step, for a step's name) a diagnostic is on. */
function holderAt(doc: SourceDocument, offset: number): { holder?: Declaration; step?: Step } {
  const holder = declarationAt(doc, offset);
  if (holder?.kind === 'process') {
    const step = holder.steps.find((s) => s.span.start <= offset && offset <= s.span.end);
    if (step) return { holder, step };
  }
  return holder ? { holder } : {};
}

/** An owner the structure already implies: the linked step's owner, the process owner, the first step's owner. */
function suggestOwner(workspace: Workspace, holder: Declaration, step: Step | undefined): string | undefined {
  const isRole = (name: string | undefined) => (name && workspace.declarations(name)[0]?.decl.kind === 'role' ? name : undefined);
  if (step) return isRole(holder.kind === 'process' ? holder.owner?.refs[0]?.name : undefined);
  if (holder.kind === 'process') return isRole(holder.steps[0]?.owner?.refs[0]?.name);
  if (holder.kind === 'kpi') {
    for (const ref of holder.step?.refs ?? []) {
      const process = workspace.declarations(ref.name)[0]?.decl;
      if (process?.kind !== 'process' || !ref.member) continue;
      const linked = process.steps.find((s) => s.name.text === ref.member!.text);
      const name = isRole(linked?.owner?.refs[0]?.name) ?? isRole(process.owner?.refs[0]?.name);
      if (name) return name;
    }
  }
  if (holder.kind === 'sop') return isRole(holder.roles?.refs.find((r) => isRole(r.name))?.name);
  return undefined;
}

function allOfKind(workspace: Workspace, ...kinds: DeclarationKind[]): Declaration[] {
  const result: Declaration[] = [];
  for (const doc of workspace.documents) for (const decl of doc.model.declarations) if (kinds.includes(decl.kind) && workspace.declarations(decl.name.text)[0]?.decl === decl) result.push(decl);
  return result;
}

function firstOfKind(workspace: Workspace, kind: DeclarationKind): string | undefined {
  return allOfKind(workspace, kind)[0]?.name.text;
}

/** Names one or two edits apart, or equal but for case. */
export function isNear(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 2) return false;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]! <= 2;
}

function scaffold(kind: DeclarationKind, name: string): string {
  switch (kind) {
    case 'function':
    case 'role':
    case 'team':
      return `${kind} ${name} "${name}"`;
    default:
      return `${kind} ${name} "${name}" {\n}`;
  }
}

function appendDeclaration(doc: SourceDocument, text: string): TextEdit {
  const end = doc.text.length;
  const separator = doc.text.length === 0 ? '' : doc.text.endsWith('\n\n') ? '' : doc.text.endsWith('\n') ? '\n' : '\n\n';
  return { key: doc.key, span: { start: end, end }, newText: `${separator}${text}\n` };
}

function lineIndent(doc: SourceDocument, offset: number): string {
  const start = doc.lines.lineStart(doc.lines.lineOf(offset));
  return /^[ \t]*/.exec(doc.text.slice(start))![0];
}

/** Inserts a property as the first line of a block (or into a one-line block, or a new block for a bare step). */
export function insertProperty(doc: SourceDocument, holder: Declaration, step: Step | undefined, property: string): TextEdit {
  const owner = step ?? holder;
  const headerEnd = (owner.title ?? owner.name).span.end;
  const brace = doc.text.indexOf('{', headerEnd);
  const blockEnd = owner.span.end;
  if (brace < 0 || brace >= blockEnd) return { key: doc.key, span: { start: headerEnd, end: headerEnd }, newText: ` { ${property} }` };
  const lineEnd = doc.text.indexOf('\n', brace);
  const oneLine = lineEnd < 0 || lineEnd >= blockEnd;
  if (oneLine) return { key: doc.key, span: { start: brace + 1, end: brace + 1 }, newText: ` ${property} ` };
  // Indent like the block's first property, or one level deeper than the declaration.
  const firstLine = doc.text.slice(lineEnd + 1, doc.text.indexOf('\n', lineEnd + 1) >>> 0);
  const inner = /^([ \t]*)\S/.exec(firstLine)?.[1];
  const indent = inner !== undefined && !firstLine.trimStart().startsWith('}') ? inner : `${lineIndent(doc, owner.span.start)}  `;
  return { key: doc.key, span: { start: brace + 1, end: brace + 1 }, newText: `\n${indent}${property}` };
}

function disableFix(doc: SourceDocument, d: Diagnostic): Fix {
  const line = doc.lines.lineOf(d.span.start);
  const start = doc.lines.lineStart(line);
  const indent = lineIndent(doc, d.span.start);
  if (line > 0) {
    const prevStart = doc.lines.lineStart(line - 1);
    const previous = doc.text.slice(prevStart, start).replace(/\r?\n$/, '');
    const m = DISABLE_DIRECTIVE_LINE.exec(previous);
    if (m) {
      const end = prevStart + m[1]!.length;
      return { title: `Disable ${d.code} for this line`, edits: [{ key: doc.key, span: { start: end, end }, newText: `, ${d.code}` }] };
    }
  }
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  return { title: `Disable ${d.code} for this line`, edits: [{ key: doc.key, span: { start, end: start }, newText: `${indent}// kpi-disable-next-line ${d.code}${eol}` }] };
}

export type { ProcessDecl };
