// Names: duplicates, references that resolve to nothing, declarations nothing uses.
import { KIND_ARTICLE, SITE_KINDS, forEachRef, type RefSite } from '../workspace/symbols';
import { defineRule } from './definition';
import { allOfKind, appendDeclaration, isNear, scaffold, type Fix } from './edits';
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
}

const unknownReference = defineRule<UnknownReference>({
  code: 'unknown-reference',
  severity: 'error',
  summary: 'A reference names nothing of the expected kind.',
  declaration(decl, ctx, report) {
    forEachRef(decl, ({ ref, site }) => {
      const { problem } = resolveRef(ctx, ref, site, decl.kind === 'process' ? decl : undefined);
      if (problem) report(problem.span, problem.message, { name: ref.name, site, qualified: ref.member !== undefined });
    });
  },
  fixes(d, { workspace, doc }) {
    if (!d.data) return [];
    const { site, qualified } = d.data;
    const name = String(d.data.name);
    const fixes: Fix[] = [];
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
