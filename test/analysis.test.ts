// The analysis engine with a rule set of its own (not the language's): it
// runs exactly the rules it is handed, reads `.kpirc.json` against their
// codes, and checks a declaration again only when something it read changed.
import * as assert from 'node:assert/strict';
import { AnalyzedWorkspace } from '../server/src/language/analysis/engine';
import type { RuleSet } from '../server/src/language/analysis/rule';
import { parseDate } from '../server/src/language/model/periods';
import { MemoryFileSystem } from './support/memory-fs';

const today = parseDate('2026-11-15')!;

/** One rule: a kpi's owner must name a role. Counts the kpis it visits. */
function ownerRuleSet(): { rules: RuleSet; visited: string[] } {
  const visited: string[] = [];
  const rules: RuleSet = {
    rules: [
      {
        code: 'owner-is-role',
        kpi(kpi, ctx, report) {
          visited.push(kpi.name.text);
          for (const ref of kpi.owner?.refs ?? []) {
            if (ctx.resolve(ref.name)?.decl.kind !== 'role') report(ref.span, `${ref.name} is not a role.`);
          }
        },
      },
    ],
    codes: new Map([
      ['owner-is-role', { severity: 'warning' }],
      ['bad-config', { severity: 'error' }],
    ]),
  };
  return { rules, visited };
}

function workspaceWith(rules: RuleSet, files: Record<string, string>): AnalyzedWorkspace {
  const workspace = new AnalyzedWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => today }, rules);
  for (const [key, text] of Object.entries(files)) workspace.setDocument(key, text);
  workspace.analyze();
  return workspace;
}

const codesOf = (workspace: AnalyzedWorkspace, key: string) => workspace.diagnostics(key).map((d) => `${d.severity} ${d.code}`);

describe('the analysis engine with a rule set of its own', () => {
  it('runs only the rules it is handed, with their default severities', () => {
    const { rules } = ownerRuleSet();
    // No owner at all and no target: the language's rules would report both; this set has neither rule.
    const workspace = workspaceWith(rules, { 'a.kpi': 'kpi A { owner Nobody }\nkpi B { }' });
    assert.deepEqual(codesOf(workspace, 'a.kpi'), ['warning owner-is-role']);
  });

  it('reads .kpirc.json against the codes it is handed', () => {
    const { rules } = ownerRuleSet();
    const workspace = workspaceWith(rules, { 'a.kpi': 'kpi A { owner Nobody }' });
    workspace.setConfigText('{ "rules": { "owner-is-role": "error", "missing-target": "off" } }');
    workspace.analyze();
    assert.deepEqual(codesOf(workspace, 'a.kpi'), ['error owner-is-role']);
    assert.equal(workspace.configurationProblems.length, 1);
    assert.match(workspace.configurationProblems[0]!, /unknown rule "missing-target"/);
    workspace.setConfigText('{ "rules": { "owner-is-role": "off" } }');
    workspace.analyze();
    assert.deepEqual(codesOf(workspace, 'a.kpi'), []);
  });

  for (const [text, expected] of [
    ['x\n', '.kpirc.json is not valid JSON (Unexpected token \'x\'); the default rule settings apply.'],
    ['{ "rules": ', '.kpirc.json is not valid JSON (Unexpected end of JSON input, at line 1, column 12); the default rule settings apply.'],
    ['{\n  "rules": {\n    "a": "off",\n  }\n}', '.kpirc.json is not valid JSON (Expected double-quoted property name, at line 4, column 3); the default rule settings apply.'],
  ] as const) {
    it(`says what is wrong with ${JSON.stringify(text)} on one line, with a line and column where JSON.parse gives an offset`, () => {
      const workspace = workspaceWith(ownerRuleSet().rules, {});
      workspace.setConfigText(text);
      assert.deepEqual(workspace.configurationProblems, [expected]);
    });
  }

  it('checks a declaration again only when a name it read changes', () => {
    const { rules, visited } = ownerRuleSet();
    const workspace = workspaceWith(rules, { 'a.kpi': 'kpi A { owner Boss }\nkpi B { owner Other }', 'b.kpi': 'role Boss in F' });
    assert.deepEqual(visited.sort(), ['A', 'B']);
    assert.deepEqual(codesOf(workspace, 'a.kpi'), ['warning owner-is-role']);

    visited.length = 0;
    workspace.setDocument('b.kpi', 'role Boss in F\nfunction F', 1);
    assert.deepEqual(workspace.analyze(), ['b.kpi']);
    assert.deepEqual(visited, [], 'nothing read F');

    workspace.setDocument('b.kpi', 'function F\nrole Other in F', 2);
    workspace.analyze();
    assert.deepEqual(visited.sort(), ['A', 'B'], 'A read Boss, B read Other');
    assert.deepEqual(codesOf(workspace, 'a.kpi'), ['warning owner-is-role']);
    assert.equal(workspace.diagnostics('a.kpi')[0]!.message, 'Boss is not a role.');
    assert.equal(workspace.hasWork, false);
  });
});
