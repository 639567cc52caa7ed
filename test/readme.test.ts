// The READMEs' claims about the examples, checked by running what they show:
// README.md's main command as written, examples/README.md's commands and its
// table of findings, and the numbers in the preview screenshot's description.
// Every command they show pins today's date (the examples' data go stale with
// the calendar), so these claims hold on any day and cannot age silently.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocatedDiagnostic } from '../server/src/language/service';
import { runKpi, type CliRun } from './support/cli';
import { assertBuilt, CLI, REPO } from './support/lsp';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const EXAMPLES_README = fs.readFileSync(path.join(REPO, 'examples', 'README.md'), 'utf8');
/** The date the examples' data assume, as examples/README.md states it. */
const examplesDate = /assume that today is \*\*(\d{4}-\d{2}-\d{2})\*\*/.exec(EXAMPLES_README)?.[1];

/** The bundled `kpi`, with no KPI_TODAY or colour from the test's own environment: the READMEs' commands must pin the date themselves. */
const kpi = (cwd: string, args: string[]) => runKpi(cwd, args);

/** The lines of the ```sh blocks of a Markdown text. */
function shellLines(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1]!.split('\n'));
}

/** The arguments after `kpi` in a shell line such as `npm ci && npx kpi check examples --today 2026-11-22`. */
function kpiArguments(line: string): string[] {
  const match = /(?:^|\s)kpi\s+(.*)$/.exec(line);
  assert.ok(match, `no kpi command in: ${line}`);
  return match[1]!.trim().split(/\s+/);
}

/** The date a command pins with `--today D` or `KPI_TODAY=D`, if any. */
function pinnedDate(line: string): string | undefined {
  return /(?:--today[ =]|KPI_TODAY=)(\d{4}-\d{2}-\d{2})\b/.exec(line)?.[1];
}

function diagnostics(run: CliRun): LocatedDiagnostic[] {
  return (JSON.parse(run.stdout) as { diagnostics: LocatedDiagnostic[] }).diagnostics;
}

describe('what the READMEs say', () => {
  before(() => assertBuilt(CLI));

  it('every kpi command they show pins the date it assumes', () => {
    const commands = [...shellLines(README), ...shellLines(EXAMPLES_README)].filter((line) => /(?:^|\s)kpi\s+(check|scorecard)\b/.test(line));
    assert.ok(commands.length >= 3, commands.join('\n'));
    for (const line of commands) assert.ok(pinnedDate(line), `not pinned to a date: ${line}`);
  });

  describe("README.md's main command", () => {
    const lines = shellLines(README);
    const index = lines.findIndex((line) => line.includes('npx kpi check'));
    const command = lines[index] ?? '';
    // The comment lines right above the command say what it prints.
    const comment: string[] = [];
    for (let i = index - 1; i >= 0 && lines[i]!.startsWith('#'); i--) comment.unshift(lines[i]!.replace(/^#\s?/, ''));
    const claim = comment.join(' ');

    it('is there, with the date of the examples, and says what it prints', () => {
      assert.ok(index >= 0, 'no `npx kpi check` line in a sh block of README.md');
      assert.equal(pinnedDate(command), examplesDate);
      assert.match(claim, /prints \d+ findings and exits \d/);
    });

    it('prints as many findings as it says and exits as it says, for the reason it gives', () => {
      // As written, from the top of the repository (npx runs the package's own bin, dist/cli.cjs).
      const args = kpiArguments(command);
      const [, findings, status] = /prints (\d+) findings and exits (\d)/.exec(claim)!;
      const text = kpi(REPO, args);
      assert.equal(text.status, Number(status), text.stderr);
      assert.match(text.stdout.trimEnd().split('\n').pop()!, new RegExp(`\\b${findings} problems\\b`));
      const found = diagnostics(kpi(REPO, [...args, '--format', 'json']));
      assert.equal(found.length, Number(findings));
      assert.match(claim, /one of them is an error: a KPI owned by a team/);
      assert.deepEqual(found.filter((d) => d.severity === 'error').map((d) => d.code), ['team-owner']);
    });
  });

  describe('examples/README.md', () => {
    const examples = path.join(REPO, 'examples');
    const date = examplesDate;
    const commands = shellLines(EXAMPLES_README).filter((line) => /^kpi\s/.test(line));

    it('shows its commands, run inside examples/, with the date the text assumes', () => {
      assert.ok(date, 'the date the examples assume is stated');
      assert.ok(shellLines(EXAMPLES_README).includes('cd examples'));
      assert.ok(commands.length >= 2);
      for (const line of commands) {
        assert.equal(pinnedDate(line), date, line);
        const run = kpi(examples, kpiArguments(line));
        assert.ok(run.status === 0 || run.status === 1, `${line}: exit ${run.status}\n${run.stderr}`);
      }
    });

    it('lists exactly the findings kpi check reports, and its exit status', () => {
      const check = commands.find((line) => /^kpi check\b/.test(line))!;
      const found = diagnostics(kpi(examples, [...kpiArguments(check), '--format', 'json']));
      const section = EXAMPLES_README.split('## Findings you should see')[1]!.split('\n## ')[0]!;
      const rows = section
        .split('\n')
        .filter((line) => /^\| `[a-z-]+` \|/.test(line))
        .map((line) => line.split('|').map((cell) => cell.trim().replace(/`/g, '')))
        .map(([, code, severity, file]) => `${file} ${severity} ${code}`);
      assert.deepEqual(rows.sort(), found.map((d) => `${d.file} ${d.severity} ${d.code}`).sort());
      assert.match(section, /Because `team-owner` is an error, `kpi check` exits with status 1/);
      assert.equal(kpi(examples, kpiArguments(check)).status, 1);
      assert.match(section, /the other findings are warnings and information/);
      assert.deepEqual([...new Set(found.filter((d) => d.code !== 'team-owner').map((d) => d.severity))].sort(), ['information', 'warning']);
    });
  });

  it("the preview screenshot's numbers are the examples' on the date its caption gives", () => {
    const alt = /!\[The scorecard preview panel[^\]]*?: (\d+) KPIs, (\d+) red, (\d+) amber, (\d+) green, (\d+) stale, (\d+) joint reviews?\b/.exec(README);
    assert.ok(alt, 'the description of docs/images/panel.png');
    const caption = README.slice(alt.index).split('\n\n')[1] ?? '';
    const date = /for the examples on\s+(\d{4}-\d{2}-\d{2})/.exec(caption)?.[1];
    assert.ok(date, `the caption pins its date: ${caption}`);
    const run = kpi(path.join(REPO, 'examples'), ['scorecard', '--format', 'json', '--today', date]);
    const model = JSON.parse(run.stdout) as { kpis: { status: string; stale: boolean }[]; jointReviews: unknown[] };
    const [, total, red, amber, green, stale, joint] = alt.map(Number);
    assert.equal(model.kpis.length, total);
    assert.equal(model.kpis.filter((k) => k.status === 'amber').length, amber);
    assert.equal(model.kpis.filter((k) => k.status === 'red').length, red);
    assert.equal(model.kpis.filter((k) => k.status === 'green').length, green);
    assert.equal(model.kpis.filter((k) => k.stale).length, stale);
    assert.equal(model.jointReviews.length, joint);
  });
});
