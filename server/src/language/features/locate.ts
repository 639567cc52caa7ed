// What is at an offset, and what it means: the shared base of hover, go to
// definition, references, highlights and rename. Reads the workspace directly
// (no read recording: these are queries, not checks).
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';
import type { Declaration, ProcessDecl, Ref, Span, Step } from '../model/ast';
import { findStep, forEachRef, type RefSite } from '../workspace/symbols';

/** Something a user can point at and navigate: a declaration or a process step. */
export type Sym = { kind: 'decl'; entry: DeclEntry } | { kind: 'step'; process: DeclEntry<ProcessDecl>; step: Step };

export type Target =
  /** The name in a declaration. */
  | { kind: 'decl'; entry: DeclEntry; span: Span }
  /** The name of a process step. */
  | { kind: 'step'; process: DeclEntry<ProcessDecl>; step: Step; span: Span }
  /** A reference; `part` is which half of `Process.Step` the offset is on. */
  | { kind: 'ref'; ref: Ref; site: RefSite; holder: DeclEntry; inStep?: Step; part: 'head' | 'member'; span: Span };

function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The declaration of `doc` whose text holds `offset`. */
export function declarationAt(doc: SourceDocument, offset: number): Declaration | undefined {
  for (const decl of doc.model.declarations) if (decl.span.start <= offset && offset <= decl.span.end) return decl;
  return undefined;
}

/** The last declaration starting at or before `offset`: the one being written there, even if unclosed. */
export function declarationBefore(doc: SourceDocument, offset: number): Declaration | undefined {
  let found: Declaration | undefined;
  for (const decl of doc.model.declarations) {
    if (decl.span.start > offset) break;
    found = decl;
  }
  return found;
}

export function targetAt(doc: SourceDocument, offset: number): Target | undefined {
  const decl = declarationAt(doc, offset);
  if (!decl) return undefined;
  const holder: DeclEntry = { doc, decl };
  if (contains(decl.name.span, offset)) return { kind: 'decl', entry: holder, span: decl.name.span };
  if (decl.kind === 'process') {
    for (const step of decl.steps) {
      if (contains(step.name.span, offset)) return { kind: 'step', process: holder as DeclEntry<ProcessDecl>, step, span: step.name.span };
    }
  }
  let found: Target | undefined;
  forEachRef(decl, ({ ref, site, step }) => {
    if (found) return;
    const base = { kind: 'ref' as const, ref, site, holder, ...(step ? { inStep: step } : {}) };
    if (contains(ref.span, offset)) found = { ...base, part: 'head', span: ref.span };
    else if (ref.member && contains(ref.member.span, offset)) found = { ...base, part: 'member', span: ref.member.span };
  });
  return found;
}

/** What a target names; for a reference, what it resolves to (of any kind, for navigation). */
export function symbolOf(workspace: Workspace, target: Target): Sym | undefined {
  switch (target.kind) {
    case 'decl':
      return { kind: 'decl', entry: target.entry };
    case 'step':
      return { kind: 'step', process: target.process, step: target.step };
    case 'ref':
      return resolveReference(workspace, target.ref, target.site, target.part, target.holder);
  }
}

export function resolveReference(workspace: Workspace, ref: Ref, site: RefSite, part: 'head' | 'member', holder: DeclEntry): Sym | undefined {
  if (site === 'next') {
    if (holder.decl.kind !== 'process') return undefined;
    const step = findStep(holder.decl, ref.name);
    return step ? { kind: 'step', process: holder as DeclEntry<ProcessDecl>, step } : undefined;
  }
  const entry = workspace.declarations(ref.name)[0];
  if (!entry) return undefined;
  if (part === 'member' && ref.member) {
    if (entry.decl.kind !== 'process') return undefined;
    const step = findStep(entry.decl, ref.member.text);
    return step ? { kind: 'step', process: entry as DeclEntry<ProcessDecl>, step } : undefined;
  }
  return { kind: 'decl', entry };
}

export interface Occurrence {
  doc: SourceDocument;
  span: Span;
  /** The declaring occurrence (the name in the declaration) rather than a reference. */
  isDeclaration: boolean;
}

/** The name of a symbol where it is declared. */
export function declarationOf(sym: Sym): Occurrence {
  return sym.kind === 'decl'
    ? { doc: sym.entry.doc, span: sym.entry.decl.name.span, isDeclaration: true }
    : { doc: sym.process.doc, span: sym.step.name.span, isDeclaration: true };
}

export function sameSymbol(a: Sym | undefined, b: Sym): boolean {
  if (!a || a.kind !== b.kind) return false;
  if (a.kind === 'decl' && b.kind === 'decl') return a.entry.decl === b.entry.decl;
  return a.kind === 'step' && b.kind === 'step' && a.step === b.step;
}

/** Every occurrence of a symbol across the workspace: its declaration and the references that resolve to it. */
export function occurrences(workspace: Workspace, sym: Sym): Occurrence[] {
  const result: Occurrence[] = [declarationOf(sym)];
  const processName = sym.kind === 'decl' ? sym.entry.decl.name.text : sym.process.decl.name.text;
  // Only the declarations that name it (or its process) can refer to it.
  const holders = [...workspace.referrersOf(processName)];
  if (sym.kind === 'step') holders.push(sym.process);
  const seen = new Set<Declaration>();
  for (const holder of holders) {
    if (seen.has(holder.decl)) continue;
    seen.add(holder.decl);
    forEachRef(holder.decl, ({ ref, site }) => {
      if (sym.kind === 'decl') {
        if (site !== 'next' && ref.name === processName && sameSymbol(resolveReference(workspace, ref, site, 'head', holder), sym)) {
          result.push({ doc: holder.doc, span: ref.span, isDeclaration: false });
        }
      } else if (site === 'next') {
        if (holder.decl === sym.process.decl && ref.name === sym.step.name.text && sameSymbol(resolveReference(workspace, ref, site, 'head', holder), sym)) {
          result.push({ doc: holder.doc, span: ref.span, isDeclaration: false });
        }
      } else if (ref.member && ref.name === processName && sameSymbol(resolveReference(workspace, ref, site, 'member', holder), sym)) {
        result.push({ doc: holder.doc, span: ref.member.span, isDeclaration: false });
      }
    });
  }
  return result;
}
