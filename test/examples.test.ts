// What the bundled examples are there to show (issues 13 and 14), checked on
// the examples themselves on the date they assume (2026-11-22): a process
// that branches, joins and loops back, with hand-offs across functions; a
// strategy map whose `drives` links climb the four perspectives, with
// objectives of different statuses; and a KPI that is green but at risk.
// The expected numbers are worked out by hand here (and in examples/README.md),
// not taken from the code under test.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { KpiDecl, ObjectiveDecl, Perspective } from '../server/src/language/model/ast';
import { objectiveStatus } from '../server/src/language/model/objectiveStatus';
import { formatDay, parseDate } from '../server/src/language/model/periods';
import { allDiagnostics, buildScorecardModel, createWorkspace } from '../server/src/language/service';
import type { DeclEntry } from '../server/src/language/workspace/workspace';
import { findKpiFiles, keyFor, nodeFileSystem, readText } from '../server/src/node/files';

const EXAMPLES = path.join(import.meta.dirname, '..', 'examples');
const TODAY = parseDate('2026-11-22')!;

function examples() {
  const files = findKpiFiles(EXAMPLES).map((file) => ({ key: keyFor(EXAMPLES, file), path: file, text: readText(file)! }));
  return createWorkspace({ root: EXAMPLES, fs: nodeFileSystem, today: () => TODAY, files });
}

describe('what the examples show', () => {
  const workspace = examples();
  const model = buildScorecardModel(workspace);
  const entry = <D extends KpiDecl | ObjectiveDecl>(name: string, kind: D['kind']) => {
    const found = workspace.declarations(name).find((e) => e.decl.kind === kind);
    assert.ok(found, `${kind} ${name} is declared in examples/`);
    return found as DeclEntry<D>;
  };

  describe('a branching process with hand-offs across functions (ComplaintHandling)', () => {
    const process = model.processes.find((p) => p.name === 'ComplaintHandling');
    const steps = new Map(process?.steps.map((s) => [s.name, s]));

    it('branches after Diagnose, joins at Confirm and loops back from Confirm to Diagnose', () => {
      assert.ok(process, 'service.kpi declares ComplaintHandling');
      assert.deepEqual(
        process.steps.map((s) => `${s.name} -> ${s.next.join(', ')}`),
        ['Register -> Diagnose', 'Diagnose -> Resolve, Escalate', 'Resolve -> Confirm', 'Escalate -> Confirm', 'Confirm -> Close, Diagnose', 'Close -> '],
      );
      const into = (name: string) => process.steps.filter((s) => s.next.includes(name)).map((s) => s.name);
      assert.deepEqual(into('Confirm'), ['Resolve', 'Escalate'], 'the two branches join');
      assert.deepEqual(into('Diagnose'), ['Register', 'Confirm'], 'a fault that returns goes back to diagnosis');
      assert.ok(!allDiagnostics(workspace).some((d) => d.code === 'unreachable-step'), 'every step is reached from Register');
    });

    it('passes from Service to Finance and back: each step owner in its function, hand-offs where the owner changes', () => {
      assert.deepEqual(
        [...steps.values()].map((s) => `${s.name}: ${s.owner?.name} (${s.owner?.function?.name})`),
        [
          'Register: ServiceCoordinator (Service)',
          'Diagnose: ServiceEngineer (Service)',
          'Resolve: ServiceEngineer (Service)',
          'Escalate: FinanceController (Finance)',
          'Confirm: ServiceCoordinator (Service)',
          'Close: ServiceCoordinator (Service)',
        ],
      );
      const handoffs = [...steps.values()].flatMap((s) => s.handoffs.map((h) => `${s.name} -> ${h.to}`));
      assert.deepEqual(handoffs, ['Register -> Diagnose', 'Diagnose -> Escalate', 'Resolve -> Confirm', 'Escalate -> Confirm', 'Confirm -> Diagnose']);
      const functionOf = (step: string) => steps.get(step)?.owner?.function?.name;
      const acrossFunctions = handoffs.filter((h) => {
        const [from, to] = h.split(' -> ') as [string, string];
        return functionOf(from) !== functionOf(to);
      });
      assert.deepEqual(acrossFunctions, ['Diagnose -> Escalate', 'Escalate -> Confirm']);
    });

    it('shows the KPIs at their steps, and a KPI depending on another function’s KPI', () => {
      assert.deepEqual(steps.get('Resolve')?.kpis, ['FirstVisitFix']);
      assert.deepEqual(steps.get('Escalate')?.kpis, ['ReplacementApprovalTime']);
      assert.deepEqual(steps.get('Confirm')?.kpis, ['ComplaintResolutionTime']);
      const resolution = model.kpis.find((k) => k.name === 'ComplaintResolutionTime');
      assert.deepEqual(resolution?.depends, ['ReplacementApprovalTime']);
      assert.equal(resolution?.owner?.function?.name, 'Service');
      assert.equal(model.kpis.find((k) => k.name === 'ReplacementApprovalTime')?.owner?.function?.name, 'Finance');
    });
  });

  describe('a strategy map (drives) across the four perspectives', () => {
    const objectives = model.objectives.map((o) => entry<ObjectiveDecl>(o.name, 'objective').decl);
    const perspectiveOf = new Map(objectives.map((o) => [o.name.text, o.perspective?.value]));

    it('has objectives in every perspective, and drives links that run up the map', () => {
      const bands = new Set(objectives.map((o) => o.perspective?.value));
      assert.deepEqual([...bands].sort(), ['customer', 'financial', 'internal', 'learning']);
      const links = objectives.flatMap((o) => (o.drives?.refs ?? []).map((r) => `${o.name.text} -> ${r.name}`));
      assert.deepEqual(links, [
        'KeepPromises -> GrowAPlus',
        'KeepPromises -> ProtectMargin',
        'WinEveryLead -> GrowAPlus',
        'LaunchDealerPortal -> GrowAPlus',
        'FixItFirstTime -> KeepPromises',
        'TrainTheFrontLine -> KeepPromises',
        'TrainTheFrontLine -> LaunchDealerPortal',
      ]);
      // Learning & growth, then internal process, then customer, then financial: every arrow goes up.
      const height: Record<Perspective, number> = { learning: 0, internal: 1, customer: 2, financial: 3 };
      for (const link of links) {
        const [from, to] = link.split(' -> ') as [string, string];
        assert.ok(height[perspectiveOf.get(to)!] > height[perspectiveOf.get(from)!], `${link} runs upward`);
      }
    });

    it('gives its objectives different statuses: the worst of their key results (LANGUAGE.md section 4.1)', () => {
      const statusOf = new Map(model.kpis.map((k) => [k.name, k.status]));
      const statuses = Object.fromEntries(
        model.objectives.map((o) => [
          o.name,
          objectiveStatus(
            o.keyResults.map((k) => statusOf.get(k)!),
            o.supportedBy.map((k) => statusOf.get(k)!),
          ),
        ]),
      );
      // FixItFirstTime: FirstVisitFix green (86 >= 85), ReplacementApprovalTime red (5.4 > 4) → red.
      // LaunchDealerPortal: DealerActivation green (44 >= 40), ApiReadiness amber (85 < 100, >= 80) → amber.
      // WinEveryLead has no key result: LeadLogTime (1.6 <= 2) and FirstResponseTime (3.7 <= 4) are green.
      assert.deepEqual(statuses, {
        GrowAPlus: 'green',
        ProtectMargin: 'green',
        KeepPromises: 'green',
        WinEveryLead: 'green',
        LaunchDealerPortal: 'amber',
        FixItFirstTime: 'red',
        TrainTheFrontLine: 'green',
      });
    });
  });

  describe('a KPI that is green today but at risk (FirstVisitFix)', () => {
    it('projects out of green by the end of the next week, as worked out by hand', () => {
      const status = workspace.status(entry<KpiDecl>('FirstVisitFix', 'kpi'));
      assert.equal(status.status, 'green', '86 meets green >= 85');
      const trend = status.trend;
      assert.ok(trend, 'five weekly actuals, the latest (2026-W47) not stale');
      // 2026-W43 … 2026-W47: 91, 89, 88, 87, 86, one week (7 days) apart. In weeks from the middle one:
      // x = -2 … 2, mean y = 441 / 5 = 88.2, slope = (-2·91 - 89 + 87 + 2·86) / (4 + 1 + 0 + 1 + 4) = -12 / 10 = -1.2 a week.
      // 2026-W48 ends on Sunday 2026-11-29, 3 weeks after the middle week: 88.2 - 3 × 1.2 = 84.6, below green (85).
      assert.equal(trend.actuals, 5);
      assert.ok(Math.abs(trend.slopePerPeriod - -1.2) < 1e-9, `slope ${trend.slopePerPeriod} a week`);
      assert.ok(Math.abs(trend.projected.value - 84.6) < 1e-9, `projected ${trend.projected.value}`);
      assert.equal(trend.projected.period, '2026-W48');
      assert.equal(formatDay(trend.projected.date), '2026-11-29');
      assert.equal(trend.projected.status, 'amber');
    });

    it('is the one at-risk finding of the examples', () => {
      const atRisk = allDiagnostics(workspace).filter((d) => d.code === 'at-risk');
      assert.deepEqual(
        atRisk.map((d) => `${d.file}:${d.line} ${d.message}`),
        [
          'service.kpi:52 FirstVisitFix is green now, but a straight line through the latest 5 actuals (-1.2 a week) reaches 84.6%, amber, by 2026-W48 (2026-11-29); decide in the next review what will turn it around before 2026-W48 closes.',
        ],
      );
    });
  });
});
