// Names: duplicates, references that resolve to nothing, declarations nothing uses.
import { KIND_ARTICLE, SITE_KINDS, forEachRef, type RefSite } from '../workspace/symbols';
import { defineRule } from './definition';
import type { ProcessDecl } from '../model/ast';
import type { SourceDocument, Workspace } from '../workspace/workspace';
import { blockText, type BlockLine } from '../syntax/blockText';
import { allOfKind, appendDeclaration, blockAt, insertProperty, isNear, lineIndent, quoted, scaffold, type Fix, type TextEdit } from './edits';
import { resolveRef } from './resolve';

const duplicateName = defineRule({
  code: 'duplicate-name',
  severity: 'error',
  summary: 'Two declarations (or two steps of one process) share a name.',
  declaration(decl, ctx, report) {
    const first = ctx.declarations(decl.name.text)[0];
    if (first && first.decl !== decl) {
      const where = first.doc === ctx.doc ? 'in this file' : `in ${first.doc.key}`;
      report(decl.name.span, `'${decl.name.text}' is already declared as ${KIND_ARTICLE[first.decl.kind]} ${where}; rename one of them.`);
    }
  },
  process(decl, _ctx, report) {
    const seen = new Set<string>();
    for (const step of decl.steps) {
      if (seen.has(step.name.text)) report(step.name.span, `Process ${decl.name.text} already has a step '${step.name.text}'; rename one of them.`);
      seen.add(step.name.text);
    }
  },
});

/** The reference that failed, as its fixes need it; the diagnostic's span is the reference's name. */
interface UnknownReference {
  name: string;
  site: RefSite;
  /** Written `Process.Step`. */
  qualified: boolean;
  /** The step of `Process.Step`. */
  member?: string;
  /** For `next`: the process holding the reference. */
  process?: string;
  /** Who would perform a step created for the reference: the kpi's owner, or the owner of the step holding `next`. */
  owner?: string;
}

const unknownReference = defineRule<UnknownReference>({
  code: 'unknown-reference',
  severity: 'error',
  summary: 'A reference names nothing of the expected kind.',
  declaration(decl, ctx, report) {
    forEachRef(decl, ({ ref, site, step }) => {
      const { problem } = resolveRef(ctx, ref, site, decl.kind === 'process' ? decl : undefined);
      if (!problem) return;
      const owner = (site === 'next' ? (step?.owner ?? (decl.kind === 'process' ? decl.owner : undefined)) : decl.kind === 'kpi' ? decl.owner : undefined)?.refs[0]?.name;
      report(problem.span, problem.message, {
        name: ref.name,
        site,
        qualified: ref.member !== undefined,
        ...(ref.member ? { member: ref.member.text } : {}),
        ...(site === 'next' ? { process: decl.name.text } : {}),
        ...(owner ? { owner } : {}),
      });
    });
  },
  fixes(d, { workspace, doc }) {
    if (!d.data) return [];
    const { site, qualified } = d.data;
    const name = String(d.data.name);
    const fixes: Fix[] = [];
    const creation = createStepFix(workspace, doc, d.data);
    if (creation) fixes.push(creation);
    if (site === 'kpiStep' && !qualified) {
      // A bare step name: offer the processes that have such a step.
      for (const process of allOfKind(workspace, 'process')) {
        if (process.kind === 'process' && process.steps.some((s) => s.name.text === name)) {
          fixes.push({ title: `Change to ${process.name.text}.${name}`, edits: [{ key: doc.key, span: d.span, newText: `${process.name.text}.${name}` }] });
        }
      }
      if (fixes.length === 1) Object.assign(fixes[0]!, { preferred: true, auto: true });
      return fixes;
    }
    const kinds = Object.hasOwn(SITE_KINDS, site) ? SITE_KINDS[site] : [];
    if (qualified || site === 'next' || site === 'kpiStep' || kinds.length === 0) return fixes;
    const near = allOfKind(workspace, ...kinds)
      .map((decl) => decl.name.text)
      .filter((other) => other !== name && isNear(other, name));
    for (const other of near) fixes.push({ title: `Change to ${other}`, edits: [{ key: doc.key, span: d.span, newText: other }] });
    if (near.length === 1) Object.assign(fixes[0]!, { preferred: true, auto: true });
    if (workspace.declarations(name).length === 0) {
      const kind = kinds[0]!;
      fixes.push({ title: `Create ${KIND_ARTICLE[kind].split(' ')[1]} ${name}`, edits: [appendDeclaration(doc, scaffold(kind, name))] });
    }
    return fixes;
  },
});

/**
 * For `Process.Step` (a kpi's step) and `next Step`: a fix that creates what is
 * missing, the process with its step at the end of this file, or the step
 * after the last step of its process; performed by `owner` when one is known.
 */
function createStepFix(workspace: Workspace, doc: SourceDocument, data: UnknownReference): Fix | undefined {
  const processName = data.site === 'next' ? data.process : data.site === 'kpiStep' && data.qualified ? data.name : undefined;
  const stepName = data.site === 'next' ? data.name : data.member;
  if (processName === undefined || stepName === undefined || data.qualified !== (data.site === 'kpiStep')) return undefined;
  const owner = data.owner === undefined ? undefined : String(data.owner);
  const step = `step ${stepName} ${quoted(stepName)}${owner ? ` { owner ${owner} }` : ''}`;
  const entries = workspace.declarations(String(processName));
  if (entries.length === 0) {
    const lines: BlockLine[] = owner ? [['owner', owner], { nested: step }] : [{ nested: step }];
    return { title: `Create process ${processName} with step ${stepName}`, edits: [appendDeclaration(doc, blockText(`process ${processName} ${quoted(String(processName))}`, lines))] };
  }
  const process = entries[0]!;
  if (process.decl.kind !== 'process') return undefined;
  return { title: `Add step ${stepName} to process ${processName}`, edits: [insertStep(process.doc, process.decl, step)] };
}

/**
 * A step line after the last step of a process, indented like it and, when
 * the last step is a one-line step whose `{` the formatter lines up with its
 * neighbours', with its `{` in the same column; into an empty process, as its first line.
 */
function insertStep(doc: SourceDocument, process: ProcessDecl, step: string): TextEdit {
  const last = process.steps[process.steps.length - 1];
  if (!last) {
    // After the owner line, where the formatter keeps a process's owner: the steps come below it.
    const owner = process.owner?.refs[process.owner.refs.length - 1];
    if (!owner) return insertProperty(doc, { start: 0, end: 0 }, blockAt(process, { start: 0, end: 0 }), step);
    const oneLine = !doc.text.slice(process.span.start, owner.span.end).includes('\n');
    if (oneLine) return insertProperty(doc, { start: 0, end: 0 }, blockAt(process, { start: 0, end: 0 }), step);
    return { key: doc.key, span: { start: owner.span.end, end: owner.span.end }, newText: `\n${lineIndent(doc, owner.span.start)}${step}` };
  }
  const indent = lineIndent(doc, last.span.start);
  const lastText = doc.text.slice(last.span.start, last.span.end);
  const brace = /\n/.test(lastText) ? -1 : lastText.indexOf('{');
  const open = step.indexOf(' {');
  const aligned = brace >= 0 && open >= 0 && open < brace ? `${step.slice(0, open).padEnd(brace - 1)}${step.slice(open)}` : step;
  return { key: doc.key, span: { start: last.span.end, end: last.span.end }, newText: `\n${indent}${aligned}` };
}

const unusedDeclaration = defineRule({
  code: 'unused-declaration',
  severity: 'hint',
  summary: 'A role, team, function or sop that nothing references.',
  unnecessary: true,
  declaration(decl, ctx, report) {
    if (decl.kind !== 'role' && decl.kind !== 'team' && decl.kind !== 'function' && decl.kind !== 'sop') return;
    // The later of two same-named declarations is duplicate-name's alone (LANGUAGE.md section 7).
    if (ctx.declarations(decl.name.text)[0]?.decl !== decl) return;
    if (ctx.isReferenced(decl.name.text)) return;
    const use = {
      role: 'name it as an owner',
      team: 'name it in an sop’s roles',
      function: 'place a role in it with `in`',
      sop: 'attach it to a process step with `sop`',
    }[decl.kind];
    report(decl.name.span, `Nothing refers to ${KIND_ARTICLE[decl.kind]} ${decl.name.text}; ${use} or delete it.`);
  },
});

export const nameRules = [duplicateName, unknownReference, unusedDeclaration];
