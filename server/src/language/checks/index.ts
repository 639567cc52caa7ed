// Every rule, grouped by family, in the order of LANGUAGE.md section 5.
// Adding a rule: one `defineRule` in a family module (code, severity,
// summary, checks, fixes), fixtures in test/fixtures/rules/<code>/, a page in
// docs/rules/ and an entry in syntaxes/kpirc.schema.json; see
// docs/ARCHITECTURE.md, "Adding a rule".
import type { AnyRuleDefinition } from './definition';
import { dependencyRules } from './dependencies';
import { kpiRules } from './kpi';
import { measurementRules } from './measurements';
import { nameRules } from './names';
import { ownershipRules } from './ownership';
import { processRules } from './process';
import { sopRules } from './sop';
import { strategyRules } from './strategy';
import { syntaxRules } from './syntax';

export const ALL_RULES: readonly AnyRuleDefinition[] = [
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
