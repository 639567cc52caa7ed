// Problems found while building the model, and the configuration's own: they
// are rules like any other, so they are configured, silenced and documented
// the same way. The builder finds the first three (its problems are relayed
// here); the configuration reader reports bad-config, which has no check.
import type { SyntaxProblem } from '../model/ast';
import { defineRule, type AnyRuleDefinition } from './definition';

function fromModel(code: SyntaxProblem['code'], severity: 'error', summary: string): AnyRuleDefinition {
  return defineRule({
    code,
    severity,
    summary,
    document(ctx, report) {
      for (const problem of ctx.doc.model.problems) if (problem.code === code) report(problem.span, problem.message);
    },
  });
}

const badConfig = defineRule({ code: 'bad-config', severity: 'error', summary: '.kpirc.json cannot be read as a configuration.' });

export const syntaxRules = [
  fromModel('syntax-error', 'error', 'The text does not match the grammar.'),
  fromModel('duplicate-property', 'error', 'A once-only property appears again.'),
  fromModel('invalid-period', 'error', 'A period or date is not a real calendar value.'),
  badConfig,
];
