// Every rule, grouped by family. Adding a rule: a row in rules.ts, a function
// in a family module, a fixture in test/fixtures/rules/<code>/, a page in docs/rules/.
import { dependencyRules } from './dependencies';
import { kpiRules } from './kpi';
import { measurementRules } from './measurements';
import { nameRules } from './names';
import { ownershipRules } from './ownership';
import { processRules } from './process';
import type { Rule } from '../analysis/rule';
import { sopRules } from './sop';
import { strategyRules } from './strategy';
import { syntaxRules } from './syntax';

export const ALL_RULES: readonly Rule[] = [
  ...syntaxRules,
  ...nameRules,
  ...ownershipRules,
  ...kpiRules,
  ...dependencyRules,
  ...measurementRules,
  ...sopRules,
  ...processRules,
  ...strategyRules,
];
