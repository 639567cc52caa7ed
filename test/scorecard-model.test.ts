// The scorecard model on the examples and on small fixtures: statuses and
// trends, placements, joint reviews, process attachment and hand-offs, owners,
// and the file scope.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { parseDate } from '../server/src/language/model/periods';
import { createWorkspace } from '../server/src/language/service';
import { findKpiFiles, keyFor, nodeFileSystem, readText } from '../server/src/node/files';
import { MemoryFileSystem } from './support/memory-fs';

const TODAY = parseDate('2026-11-22')!;
const EXAMPLES = path.join(import.meta.dirname, '..', 'examples');

function examples() {
  const files = findKpiFiles(EXAMPLES).map((file) => ({ key: keyFor(EXAMPLES, file), path: file, text: readText(file)! }));
  return createWorkspace({ root: EXAMPLES, fs: nodeFileSystem, today: () => TODAY, files });
}

function inline(files: Record<string, string>) {
  const fsys = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/ws/${k}`, v])));
  const kpis = Object.entries(files)
    .filter(([k]) => k.endsWith('.kpi'))
    .map(([key, text]) => ({ key, path: `/ws/${key}`, text }));
  return createWorkspace({ root: '/ws', fs: fsys, today: () => TODAY, files: kpis });
}

describe('scorecard model', () => {
  const model = buildScorecardModel(examples());
  const kpi = (name: string) => model.kpis.find((k) => k.name === name)!;

  it('holds every kpi of the examples, placed on the scorecard, with its status and why', () => {
    assert.equal(model.kpis.length, 13);
    assert.equal(model.today, '2026-11-22');
    assert.deepEqual(model.perspectives.map((p) => p.label), ['Financial', 'Customer', 'Internal Process', 'Learning & Growth']);
    const api = kpi('ApiReadiness');
    assert.equal(api.status, 'amber');
    assert.match(api.statusReason, /misses green >= 100 but meets amber >= 80/);
    assert.deepEqual(api.placements, [{ scorecard: 'Regional', perspective: 'internal' }]);
    assert.equal(api.owner?.function?.name, 'Engineering');
    assert.equal(kpi('NetMargin').stale, true);
    assert.deepEqual(model.problems, { errors: 1, warnings: 6 });
    // The vital few are on the scorecard; three operational KPIs are watched in their processes only.
    assert.deepEqual(
      model.kpis.filter((k) => k.placements.length === 0).map((k) => k.name).sort(),
      ['ComplaintResolutionTime', 'QualifiedLeadProgression', 'ReplacementApprovalTime'],
    );
  });

  it('merges actual lines and the data file into one trend, oldest first, the file winning a period', () => {
    const sellout = kpi('SellOutGrowth');
    const periods = sellout.actuals.map((a) => a.period);
    assert.deepEqual(periods, [...periods].sort());
    assert.equal(sellout.latest?.period, '2026-10');
    assert.ok(sellout.actuals.some((a) => a.source === 'data') && sellout.actuals.some((a) => a.source === 'actual'));
    const ws = inline({
      'k.kpi': 'kpi K { target >= 10 thresholds { green >= 10 amber >= 5 } frequency monthly data "d.csv" actual 2026-09 1 actual 2026-10 2 }',
      'd.csv': 'period,value\n2026-10,7\n2026-08,12\n',
    });
    const k = buildScorecardModel(ws).kpis[0]!;
    assert.deepEqual(k.actuals.map((a) => `${a.period}=${a.value}:${a.source}`), ['2026-08=12:data', '2026-09=1:actual', '2026-10=7:data']);
    assert.equal(k.status, 'amber');
    assert.deepEqual(k.actuals[2]!.start, '2026-10-01');
  });

  it('lists the joint reviews: an amber or red kpi across functions, with both owners', () => {
    assert.deepEqual(model.jointReviews, [
      {
        kpi: 'ReplacementApprovalTime',
        status: 'red',
        partner: 'ComplaintResolutionTime',
        relation: 'depended-on-by',
        owners: [
          { role: 'FinanceController', function: { name: 'Finance', title: 'Finance' } },
          { role: 'ServiceManager', function: { name: 'Service', title: 'After-sales service' } },
        ],
      },
      {
        kpi: 'ApiReadiness',
        status: 'amber',
        partner: 'FeatureBriefing',
        relation: 'depended-on-by',
        owners: [
          { role: 'HeadOfEngineering', function: { name: 'Engineering', title: 'Engineering' } },
          { role: 'HeadOfProduct', function: { name: 'Product', title: 'Product' } },
        ],
      },
    ]);
    // An amber kpi whose dependency stays in its own function needs no joint review.
    assert.equal(kpi('QualifiedLeadProgression').status, 'amber');
    assert.ok(!model.jointReviews.some((j) => j.kpi === 'QualifiedLeadProgression'));
  });

  it('attaches kpis to their process steps and marks hand-offs where the owner changes', () => {
    const leads = model.processes.find((p) => p.name === 'LeadHandling')!;
    assert.deepEqual(
      leads.steps.map((s) => [s.name, s.owner?.name, s.kpis, s.handoffs.map((h) => h.to)]),
      [
        ['ReceiveLead', 'SalesCoordinator', [], []],
        ['LogLead', 'SalesCoordinator', ['LeadLogTime'], ['Contact']],
        ['Contact', 'InsideSales', ['FirstResponseTime'], []],
        ['Schedule', 'InsideSales', ['QualifiedLeadProgression'], []],
      ],
    );
    assert.equal(leads.steps[1]!.sop, 'LeadIntake');
  });

  it('gives each owner what it owns, and each objective what measures it', () => {
    const branch = model.owners.find((o) => o.name === 'BranchManager')!;
    assert.deepEqual(branch.kpis, ['SellOutGrowth']);
    assert.ok(branch.steps.includes('StoreActivation.PlanVisits'));
    assert.equal(branch.function?.name, 'Sales');
    const grow = model.objectives.find((o) => o.name === 'GrowAPlus')!;
    assert.deepEqual(grow.keyResults, ['SellOutGrowth']);
    const overdue = model.sops.find((s) => s.name === 'LeadIntake')!;
    assert.equal(overdue.overdue, true);
    assert.equal(overdue.reviewDue, '2026-08-18');
  });

  it('in file scope shows that file and the kpis its scorecard lists', () => {
    const file = buildScorecardModel(examples(), { kind: 'file', file: 'strategy.kpi' });
    assert.deepEqual(file.scope, { kind: 'file', file: 'strategy.kpi' });
    assert.equal(file.scorecards.length, 1);
    assert.equal(file.kpis.length, 12, 'the 10 on the Regional scorecard and the key results of its objectives that are on no scorecard');
    assert.equal(file.processes.length, 0);
    const sales = buildScorecardModel(examples(), { kind: 'file', file: 'org.kpi' });
    assert.equal(sales.kpis.length, 0);
    assert.ok(sales.owners.length > 0);
  });

  it('shows kpis on no scorecard, duplicates once, and survives broken input', () => {
    const ws = inline({ 'a.kpi': 'kpi Loose "On no scorecard" { target >= 1 }\nkpi Loose { }\nkpi Broken { owner\nscorecard S { financial Missing }' });
    const m = buildScorecardModel(ws);
    assert.deepEqual(m.kpis.map((k) => k.name), ['Loose', 'Broken']);
    assert.deepEqual(m.kpis[0]!.placements, []);
    assert.equal(m.kpis[0]!.status, 'no-data');
    assert.ok(m.problems.errors > 0);
    assert.doesNotThrow(() => JSON.stringify(m));
  });

  it('lists a joint review of two amber or red KPIs once, as one meeting of their owners (LANGUAGE.md section 7)', () => {
    const ws = inline({
      'org.kpi': 'function Eng "Engineering"\nfunction Prod "Product"\nrole EngHead "Head of Engineering" in Eng\nrole ProdHead "Head of Product" in Prod',
      'api.kpi': 'kpi Api "API ready" { owner EngHead  target >= 100  thresholds { green >= 100  amber >= 80 }  actual 2026-10 85 }',
      'brief.kpi': 'kpi Brief "Briefing done" { owner ProdHead  depends Api  target >= 95  thresholds { green >= 95  amber >= 85 }  actual 2026-10 50 }',
    });
    const m = buildScorecardModel(ws);
    assert.deepEqual(
      m.kpis.map((k) => `${k.name}:${k.status}`),
      ['Api:amber', 'Brief:red'],
    );
    assert.deepEqual(
      m.jointReviews.map((j) => `${j.kpi} ${j.relation} ${j.partner} (${j.owners.map((o) => o.role).join(' + ')})`),
      ['Brief depends-on Api (ProdHead + EngHead)'],
      'one meeting, from the side of the worse status',
    );
    // Each file's view lists the meeting, whichever side it shows.
    for (const file of ['api.kpi', 'brief.kpi']) assert.equal(buildScorecardModel(ws, { kind: 'file', file }).jointReviews.length, 1, file);
  });
});
