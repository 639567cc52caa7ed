// Problems found while building the model: they are rules like any other, so
// they can be configured and silenced the same way.
import type { SyntaxProblem } from '../model/ast';
import type { Rule } from '../analysis/rule';

function fromModel(code: SyntaxProblem['code']): Rule {
  return {
    code,
    document(ctx, report) {
      for (const problem of ctx.doc.model.problems) if (problem.code === code) report(problem.span, problem.message);
    },
  };
}

export const syntaxRules: Rule[] = [fromModel('syntax-error'), fromModel('duplicate-property'), fromModel('invalid-period')];
