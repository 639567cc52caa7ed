// Go to definition, find references, document highlights and rename, across
// the files of the workspace. Results are offsets per document key; the server
// turns them into LSP locations.
import type { Span } from '../model/ast';
import { KIND_ARTICLE } from '../workspace/symbols';
import type { SourceDocument, Workspace } from '../workspace/workspace';
import { declarationOf, occurrences, symbolOf, targetAt, type Occurrence, type Sym } from './locate';

export interface Location {
  key: string;
  span: Span;
}

function symbolAt(workspace: Workspace, doc: SourceDocument, offset: number): Sym | undefined {
  const target = targetAt(doc, offset);
  return target ? symbolOf(workspace, target) : undefined;
}

const toLocation = (o: Occurrence): Location => ({ key: o.doc.key, span: o.span });

export function definition(workspace: Workspace, doc: SourceDocument, offset: number): Location | undefined {
  const sym = symbolAt(workspace, doc, offset);
  return sym ? toLocation(declarationOf(sym)) : undefined;
}

export function references(workspace: Workspace, doc: SourceDocument, offset: number, includeDeclaration: boolean): Location[] {
  const sym = symbolAt(workspace, doc, offset);
  if (!sym) return [];
  return occurrences(workspace, sym)
    .filter((o) => includeDeclaration || !o.isDeclaration)
    .map(toLocation);
}

export function highlights(workspace: Workspace, doc: SourceDocument, offset: number): { span: Span; write: boolean }[] {
  const sym = symbolAt(workspace, doc, offset);
  if (!sym) return [];
  return occurrences(workspace, sym)
    .filter((o) => o.doc === doc)
    .map((o) => ({ span: o.span, write: o.isDeclaration }));
}

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type RenameCheck = { span: Span; placeholder: string } | { error: string };

/** Whether the name at `offset` can be renamed, and which text is renamed. */
export function prepareRename(workspace: Workspace, doc: SourceDocument, offset: number): RenameCheck {
  const target = targetAt(doc, offset);
  if (!target) return { error: 'Only the name of a declaration, a step or a reference to one can be renamed.' };
  const sym = symbolOf(workspace, target);
  if (!sym) return { error: `'${target.kind === 'ref' ? target.ref.name : ''}' names nothing declared in this workspace, so there is nothing to rename.` };
  return { span: target.span, placeholder: doc.text.slice(target.span.start, target.span.end) };
}

export type RenameResult = { edits: Map<string, { span: Span; newText: string }[]> } | { error: string };

export function rename(workspace: Workspace, doc: SourceDocument, offset: number, newName: string): RenameResult {
  const check = prepareRename(workspace, doc, offset);
  if ('error' in check) return check;
  const sym = symbolAt(workspace, doc, offset)!;
  if (!IDENTIFIER.test(newName)) {
    return { error: `'${newName}' is not a name: use letters, digits and _ and start with a letter or _.` };
  }
  const oldName = sym.kind === 'decl' ? sym.entry.decl.name.text : sym.step.name.text;
  if (newName !== oldName) {
    if (sym.kind === 'decl') {
      const clash = workspace.declarations(newName)[0];
      if (clash) return { error: `'${newName}' is already declared as ${KIND_ARTICLE[clash.decl.kind]} in ${clash.doc.key}; choose another name.` };
    } else if (sym.process.decl.steps.some((s) => s.name.text === newName)) {
      return { error: `Process ${sym.process.decl.name.text} already has a step '${newName}'; choose another name.` };
    }
  }
  const edits = new Map<string, { span: Span; newText: string }[]>();
  for (const o of occurrences(workspace, sym)) {
    const list = edits.get(o.doc.key) ?? [];
    list.push({ span: o.span, newText: newName });
    edits.set(o.doc.key, list);
  }
  return { edits };
}
