// `kpi agenda` (docs/agenda.md), run as users run it: the bundled
// dist/cli.cjs in a child process, in a temporary folder holding the agenda
// fixture (test/support/agenda-fixture.ts, worked out in test/agenda.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENDA_WORKSPACE } from './support/agenda-fixture';
import { runKpi } from './support/cli';
import { assertBuilt, CLI, removeWorkspace, tempWorkspace, TODAY } from './support/lsp';

interface JsonAgenda {
  today: string;
  filter?: { owner?: string; function?: string };
  owners: { owner: string | null; title: string; items: { kind: string; subject: string; with?: string; file: string; line: number; text: string }[] }[];
}

describe('kpi agenda (dist/cli.cjs)', () => {
  const roots: string[] = [];
  const workspace = (files: Record<string, string> = AGENDA_WORKSPACE) => {
    const root = tempWorkspace(files, 'kpi-agenda-');
    roots.push(root);
    return root;
  };
  before(() => assertBuilt(CLI));
  after(() => {
    for (const root of roots.splice(0)) removeWorkspace(root);
  });

  it('prints the JSON agenda: today, owners in order, items with kind, subject, partner, file, 1-based line and text', () => {
    const run = runKpi(workspace(), ['agenda', '--format', 'json', '--today', TODAY]);
    assert.equal(run.status, 0, run.stderr);
    const agenda = JSON.parse(run.stdout) as JsonAgenda;
    assert.equal(agenda.today, TODAY);
    assert.equal(agenda.filter, undefined);
    assert.deepEqual(agenda.owners.map((g) => [g.owner, g.title, g.items.length]), [
      ['Zed', 'data analyst', 1],
      ['Planner', 'Ops planner', 4],
      ['Seller', 'Sales lead', 4],
      [null, 'Nobody', 2],
    ]);
    const joint = agenda.owners[2]!.items[3]!;
    assert.deepEqual([joint.kind, joint.subject, joint.with, joint.file, joint.line], ['joint-review', 'Growth', 'Delivery', 'kpis.kpi', 1]);
    const risk = agenda.owners[1]!.items[1]!;
    assert.deepEqual([risk.kind, risk.subject, risk.file, risk.line], ['at-risk', 'Margin', 'kpis.kpi', 16]);
    for (const g of agenda.owners) for (const i of g.items) assert.ok(i.text.length > 0 && i.line >= 1, JSON.stringify(i));
  });

  it('prints Markdown by default, grouped by owner, and takes today from KPI_TODAY', () => {
    const root = workspace();
    const run = runKpi(root, ['agenda'], { KPI_TODAY: TODAY });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^## Weekly review — 2026-11-22\n\n11 items for 4 owners\.\n\n\*\*data analyst\*\*\n- 📋 SOP review — \*\*Lead intake SOP\*\*/);
    assert.match(run.stdout, /\*\*Nobody\*\* — no owner declared\n- 🔴 Red — \*\*Complaints per 1,000 orders\*\*/);
    // A day later the weekly KPI's due period is still 2026-W46: W47 ends on 2026-11-22.
    const later = runKpi(root, ['agenda', '--today', '2026-11-23', '--format', 'json']);
    const leads = (JSON.parse(later.stdout) as JsonAgenda).owners.find((g) => g.owner === 'Seller')!.items.find((i) => i.subject === 'Leads')!;
    assert.match(leads.text, /value for 2026-W47 is due/);
  });

  it('narrows to --owner and --function, and says so', () => {
    const root = workspace();
    const owner = JSON.parse(runKpi(root, ['agenda', '--owner', 'Planner', '--format', 'json', '--today', TODAY]).stdout) as JsonAgenda;
    assert.deepEqual(owner.filter, { owner: 'Planner' });
    assert.deepEqual(owner.owners.map((g) => g.owner), ['Planner']);
    const fn = JSON.parse(runKpi(root, ['agenda', '--function=Sales', '--format=json', '--today', TODAY]).stdout) as JsonAgenda;
    assert.deepEqual(fn.owners.map((g) => g.owner), ['Seller']);
    const none = runKpi(root, ['agenda', '--owner', 'Zed', '--function', 'Sales', '--today', TODAY]);
    assert.equal(none.status, 0, none.stderr);
    assert.equal(none.stdout, '## Weekly review — 2026-11-22 for Zed in the Sales function\n\nNothing on the agenda this week.\n');
  });

  it('writes -o files in the format of their extension: Markdown, JSON, self-contained HTML', () => {
    const root = workspace();
    for (const [file, check] of [
      ['agenda.md', (text: string) => assert.match(text, /^## Weekly review/)],
      ['agenda.json', (text: string) => assert.equal((JSON.parse(text) as JsonAgenda).owners.length, 4)],
      ['agenda.html', (text: string) => {
        assert.match(text, /^<!DOCTYPE html>/);
        assert.match(text, /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-/);
        assert.doesNotMatch(text, /<script|<link|src="http/);
        assert.equal((text.match(/class="card agenda-item/g) ?? []).length, 11);
      }],
    ] as const) {
      const run = runKpi(root, ['agenda', '-o', file, '--today', TODAY]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, new RegExp(`wrote the agenda to ${file.replace('.', '\\.')}`));
      check(fs.readFileSync(path.join(root, file), 'utf8'));
    }
  });

  for (const [args, message] of [
    [['agenda', '--owner', 'Sellr'], /unknown owner "Sellr": no role or team of that name \(known: Planner, Seller, Zed\)/],
    [['agenda', '--function', 'HR'], /unknown function "HR": no function of that name \(known: Ops, Sales\)/],
    [['agenda', '--owner'], /--owner needs a value/],
    [['agenda', '--owner='], /--owner needs a name/],
    [['agenda', '--format', 'csv'], /--format must be markdown, json or html for agenda/],
    [['agenda', '-o', 'agenda.csv'], /--format must be markdown, json or html for agenda, not "csv"/],
    [['agenda', '--bom'], /--bom is an option of kpi scorecard/],
    [['check', '--owner', 'Seller'], /--owner is an option of kpi agenda, not of kpi check/],
    [['scorecard', '--function', 'Sales'], /--function is an option of kpi agenda, not of kpi scorecard/],
    [['check', '--check'], /--check is an option of kpi format, not of kpi check/],
    [['scorecard', '--check'], /--check is an option of kpi format, not of kpi scorecard/],
    [['agenda', '--check'], /--check is an option of kpi format, not of kpi agenda/],
    [['agenda', '--fix'], /--fix is an option of kpi check, not of kpi agenda/],
    [['scorecard', '--fix'], /--fix is an option of kpi check, not of kpi scorecard/],
    [['agenda', '--today', '2026-02-30'], /--today must be a calendar date/],
    [['agenda', 'missing-folder'], /missing-folder: no such file or folder/],
  ] as const) {
    it(`is 2 on bad usage, with the reason on stderr: kpi ${args.join(' ')}`, () => {
      const list: readonly string[] = args;
      const run = runKpi(workspace(), list.includes('--today') ? [...list] : [list[0]!, '--today', TODAY, ...list.slice(1)]);
      assert.equal(run.status, 2, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }

  it('is in the usage text', () => {
    const help = runKpi(workspace({}), ['--help']);
    assert.equal(help.status, 0);
    assert.ok(help.stdout.includes('kpi agenda [paths…] [--owner Role] [--function Function]'), help.stdout);
    assert.ok(help.stdout.includes('[--format markdown|html|json] [--today YYYY-MM-DD] [-o file]'), help.stdout);
  });
});
