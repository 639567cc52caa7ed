// Data-driven rule tests: every fixture under test/fixtures/rules/<code>/
// is checked, and its diagnostics must equal the ones marked inline.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDate } from '../server/src/language/model/periods';
import { allDiagnostics, createWorkspace, RULE_CODES, RULES } from '../server/src/language/service';
import { nodeFileSystem } from '../server/src/node/files';
import { formatExpectation, loadFixtures, type Fixture } from './support/fixtures';

const RULES_DIR = path.join(import.meta.dirname, 'fixtures', 'rules');
const DOCS_DIR = path.join(import.meta.dirname, '..', 'docs', 'rules');
const SCHEMA = path.join(import.meta.dirname, '..', 'syntaxes', 'kpirc.schema.json');

function check(fixture: Fixture): { actual: string[]; expected: string[] } {
  const today = parseDate(fixture.today)!;
  const workspace = createWorkspace({ root: fixture.root, fs: nodeFileSystem, today: () => today, files: fixture.files, configText: fixture.configText, readDataFiles: !fixture.untrusted });
  const selected = (code: string) => !fixture.codes || fixture.codes.has(code);
  const actual = allDiagnostics(workspace, fixture.configText)
    .filter((d) => selected(d.code))
    .map((d) => {
      const withEnd = fixture.expected.some((e) => e.file === d.file && e.line === d.line && e.column === d.column && e.code === d.code && e.endLine === undefined);
      return formatExpectation(withEnd ? { ...d, endLine: undefined, endColumn: undefined } : d);
    })
    .sort();
  const expected = fixture.expected.filter((e) => selected(e.code)).map(formatExpectation).sort();
  return { actual, expected };
}

describe('rule fixtures', () => {
  const fixtures = loadFixtures(RULES_DIR, (group) => (RULE_CODES.includes(group) ? new Set([group]) : undefined));

  it('cover every diagnostic code with a firing and a quiet fixture', () => {
    const folders = new Set(fs.readdirSync(RULES_DIR));
    const own = (code: string) => fixtures.filter((f) => f.name.startsWith(`${code}/`));
    const firing = (code: string) => own(code).some((f) => f.expected.some((e) => e.code === code));
    const quiet = (code: string) => own(code).some((f) => !f.expected.some((e) => e.code === code));
    const missing = RULE_CODES.filter((code) => !folders.has(code) || !firing(code) || !quiet(code));
    assert.deepEqual(missing, [], 'codes without a firing and a quiet fixture in test/fixtures/rules/<code>/');
  });

  it('document every diagnostic code: a page in docs/rules/ and a setting in the .kpirc.json schema', () => {
    const undocumented = RULE_CODES.filter((code) => !fs.existsSync(path.join(DOCS_DIR, `${code}.md`)));
    assert.deepEqual(undocumented, [], 'codes without a page docs/rules/<code>.md');
    // bad-config is about the configuration itself, so it cannot be configured.
    const settings = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')).properties.rules.properties as Record<string, { description: string }>;
    assert.deepEqual(Object.keys(settings).sort(), RULE_CODES.filter((code) => code !== 'bad-config').sort(), 'rule settings in syntaxes/kpirc.schema.json');
    for (const [code, setting] of Object.entries(settings)) {
      assert.ok(setting.description.endsWith(`Default: ${RULES.get(code)!.severity}.`), `the schema's default severity of ${code}`);
    }
  });

  for (const fixture of fixtures) {
    it(fixture.name, () => {
      const { actual, expected } = check(fixture);
      assert.deepEqual(actual, expected);
    });
  }
});
