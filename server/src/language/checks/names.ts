// Names: duplicates, references that resolve to nothing, declarations nothing uses.
import type { Rule } from '../analysis/rule';
import { KIND_ARTICLE, forEachRef } from '../workspace/symbols';
import { resolveRef } from './resolve';

const duplicateName: Rule = {
  code: 'duplicate-name',
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
};

const unknownReference: Rule = {
  code: 'unknown-reference',
  declaration(decl, ctx, report) {
    forEachRef(decl, ({ ref, site }) => {
      const { problem } = resolveRef(ctx, ref, site, decl.kind === 'process' ? decl : undefined);
      if (problem) report(problem.span, problem.message);
    });
  },
};

const unusedDeclaration: Rule = {
  code: 'unused-declaration',
  declaration(decl, ctx, report) {
    if (decl.kind !== 'role' && decl.kind !== 'team' && decl.kind !== 'function' && decl.kind !== 'sop') return;
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
};

export const nameRules: Rule[] = [duplicateName, unknownReference, unusedDeclaration];
