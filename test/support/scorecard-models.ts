// Hand-built ScorecardModels for the renderer tests: a small realistic one
// (the consumer-durables and lead-handling examples of the seed articles) and
// a hostile one in which every user-written string is an attack.
import type { Perspective } from '../../server/src/language/model/ast';
import type { StatusKind } from '../../server/src/language/model/status';
import {
  PERSPECTIVE_LABELS,
  SCORECARD_MODEL_VERSION,
  type KpiCard,
  type Measurement,
  type Named,
  type ObjectiveCard,
  type OwnerCard,
  type OwnerRef,
  type ProcessCard,
  type ScorecardModel,
  type SopCard,
  type StepCard,
} from '../../server/src/language/scorecard/model';

const PERSPECTIVES: Perspective[] = ['financial', 'customer', 'internal', 'learning'];

function monthRange(period: string): { start: string; end: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return { start: period, end: period };
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { start: `${m[1]}-${m[2]}-01`, end: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}` };
}

export function series(values: [string, number][], source: Measurement['source'] = 'actual'): Measurement[] {
  return values.map(([period, value]) => ({ period, value, source, ...monthRange(period) }));
}

type KpiInput = Partial<KpiCard> & { name: string; status: StatusKind };

export function kpiCard(input: KpiInput, line = 0): KpiCard {
  const actuals = input.actuals ?? [];
  const card: KpiCard = {
    title: input.name,
    where: { file: 'kpis.kpi', line, character: 4 },
    placements: [],
    actuals,
    statusReason: `Status is ${input.status}.`,
    stale: false,
    steps: [],
    supports: [],
    levers: [],
    depends: [],
    dependents: [],
    ...input,
  };
  const latest = actuals[actuals.length - 1];
  if (latest && !input.latest) card.latest = latest;
  return card;
}

/** Fills placements and dependents from the scorecards and `depends`. */
function link(model: ScorecardModel): ScorecardModel {
  for (const k of model.kpis) {
    k.placements = model.scorecards.flatMap((s) => PERSPECTIVES.filter((p) => s.perspectives[p].includes(k.name)).map((p) => ({ scorecard: s.name, perspective: p })));
    k.dependents = model.kpis.filter((o) => o.depends.includes(k.name)).map((o) => o.name);
  }
  for (const o of model.objectives) o.supportedBy = model.kpis.filter((k) => k.supports.includes(o.name)).map((k) => k.name);
  for (const p of model.processes) {
    for (const s of p.steps) s.kpis = model.kpis.filter((k) => k.steps.some((x) => x.process === p.name && x.step === s.name)).map((k) => k.name);
  }
  for (const owner of model.owners) {
    owner.kpis = model.kpis.filter((k) => k.owner?.name === owner.name).map((k) => k.name);
    owner.steps = model.processes.flatMap((p) => p.steps.filter((s) => s.owner?.name === owner.name).map((s) => `${p.name}.${s.name}`));
    owner.processes = model.processes.filter((p) => p.owner?.name === owner.name).map((p) => p.name);
    owner.sops = model.sops.filter((s) => s.owner?.name === owner.name).map((s) => s.name);
    owner.objectives = model.objectives.filter((o) => o.owner?.name === owner.name).map((o) => o.name);
  }
  return model;
}

function steps(owners: Map<string, OwnerRef>, list: [name: string, title: string, owner: string, sop?: string][], file: string, line: number): StepCard[] {
  return list.map(([name, title, owner, sop], i) => {
    const next = list[i + 1] ? [list[i + 1]![0]] : [];
    const card: StepCard = {
      name,
      title,
      where: { file, line: line + i + 1, character: 7 },
      next,
      handoffs: next.filter((n) => list.find((s) => s[0] === n)![2] !== owner).map((to) => ({ to, from: owner, owner: list.find((s) => s[0] === to)![2] })),
      kpis: [],
    };
    const o = owners.get(owner);
    if (o) card.owner = o;
    if (sop) card.sop = sop;
    return card;
  });
}

export function realisticModel(): ScorecardModel {
  const functions: Named[] = [
    { name: 'Sales', title: 'Sales' },
    { name: 'Service', title: 'After-sales Service' },
    { name: 'HR', title: 'Training & HR' },
  ];
  const fn = (name: string) => functions.find((f) => f.name === name)!;
  const roleDefs: [string, string, string][] = [
    ['BranchManager', 'Branch Manager', 'Sales'],
    ['AreaSalesManager', 'Area Sales Manager', 'Sales'],
    ['SalesCoordinator', 'Sales Coordinator', 'Sales'],
    ['InsideSales', 'Inside Sales Rep', 'Sales'],
    ['ServiceHead', 'Service Head', 'Service'],
    ['ServiceCoordinator', 'Service Coordinator', 'Service'],
    ['TrainingLead', 'Training Lead', 'HR'],
  ];
  const owners = new Map<string, OwnerRef>(roleDefs.map(([name, title, f]) => [name, { name, title, kind: 'role', function: fn(f) }]));
  const owner = (name: string) => owners.get(name)!;

  const kpis: KpiCard[] = [
    kpiCard(
      {
        name: 'SellOutGrowth',
        title: 'A+ outlet monthly sell-out growth',
        outcome: 'Achieve more than 20% monthly sell-out growth from A+ outlets',
        owner: owner('BranchManager'),
        perspective: 'financial',
        target: { op: '>=', value: 20 },
        thresholds: { green: { op: '>=', value: 20 }, amber: { op: '>=', value: 12 } },
        unit: '%',
        actuals: series([['2026-05', 9.8], ['2026-06', 12.1], ['2026-07', 13.4], ['2026-08', 15], ['2026-09', 14.5], ['2026-10', 18.2]]),
        status: 'amber',
        statusReason: '18.2 (2026-10) misses green >= 20 but meets amber >= 12.',
        // The least-squares line through the six months (x the last day of each, 2026-10-31 = 0): mean day −76⅔, mean 13.83…, 0.0474… a day.
        trend: {
          method: 'a straight line through the latest 6 actuals',
          actuals: 6,
          slopePerPeriod: 1.4222772679282059,
          projected: { period: '2026-11', date: '2026-11-30', value: 18.890319174855843, shown: 18.9, status: 'amber' },
        },
        direction: 'higher',
        indicator: 'lagging',
        frequency: 'monthly',
        checkpoint: 'weekly',
        steps: [{ process: 'StoreActivation', step: 'VisitStore', title: 'Visit A+ store', sop: 'PromoterPitch' }],
        supports: ['GrowAPlus'],
        levers: ['Store visit frequency', 'Promoter training', 'Display availability'],
        depends: ['PromoterCertification'],
      },
      3,
    ),
    kpiCard(
      {
        name: 'NetMargin',
        title: 'Net margin per product',
        owner: owner('BranchManager'),
        perspective: 'financial',
        target: { op: '>=', value: 12 },
        unit: '%',
        actuals: series([['2026-08', 11.2], ['2026-09', 12.4], ['2026-10', 13.1]]),
        status: 'green',
        statusReason: '13.1 (2026-10) meets target >= 12.',
        indicator: 'lagging',
        frequency: 'monthly',
        supports: ['GrowAPlus'],
      },
      24,
    ),
    kpiCard(
      {
        name: 'ComplaintRate',
        title: 'Post-sale complaint rate',
        owner: owner('ServiceHead'),
        perspective: 'customer',
        target: { op: '<=', value: 2 },
        thresholds: { green: { op: '<=', value: 2 }, amber: { op: '<=', value: 3 } },
        unit: '%',
        actuals: series([['2026-07', 4.1], ['2026-08', 3.9], ['2026-09', 3.4], ['2026-10', 3.6]]),
        status: 'red',
        statusReason: '3.6 (2026-10) misses amber <= 3.',
        direction: 'lower',
        indicator: 'lagging',
        frequency: 'monthly',
        steps: [{ process: 'StoreActivation', step: 'Install', title: 'Installation visit' }],
        supports: ['DelightCustomers'],
        depends: ['PromoterCertification'],
      },
      40,
    ),
    kpiCard(
      {
        name: 'LeadLogTime',
        title: 'Leads logged within 2 hours',
        owner: owner('SalesCoordinator'),
        perspective: 'internal',
        target: { op: '>=', value: 95 },
        unit: '%',
        actuals: series([['2026-W44', 91], ['2026-W45', 94], ['2026-W46', 96], ['2026-W47', 97]]),
        status: 'green',
        statusReason: '97 (2026-W47) meets target >= 95.',
        indicator: 'leading',
        frequency: 'weekly',
        steps: [{ process: 'LeadHandling', step: 'LogLead', title: 'Lead logged into CRM', sop: 'LeadIntake' }],
        why: 'Fast logging starts the response clock',
      },
      60,
    ),
    kpiCard(
      {
        name: 'ResponseTime',
        title: 'First response time',
        owner: owner('InsideSales'),
        perspective: 'internal',
        target: { op: '<=', value: 4 },
        unit: 'hours',
        status: 'no-data',
        statusReason: 'There is no actual value yet.',
        indicator: 'leading',
        frequency: 'weekly',
        steps: [{ process: 'LeadHandling', step: 'Contact', title: 'Customer contacted' }],
        depends: ['LeadLogTime'],
      },
      75,
    ),
    kpiCard(
      {
        name: 'PromoterCertification',
        title: 'Promoters certified on the pitch SOP',
        owner: owner('TrainingLead'),
        perspective: 'learning',
        target: { op: '>=', value: 90 },
        thresholds: { green: { op: '>=', value: 90 }, amber: { op: '>=', value: 75 } },
        unit: '%',
        actuals: series([['2026-Q1', 62], ['2026-Q2', 71], ['2026-Q3', 84]]),
        status: 'amber',
        statusReason: '84 (2026-Q3) misses green >= 90 but meets amber >= 75.',
        stale: true,
        indicator: 'leading',
        frequency: 'monthly',
        supports: ['GrowAPlus'],
      },
      90,
    ),
    kpiCard(
      {
        name: 'NpsScore',
        title: 'Net promoter score',
        owner: owner('ServiceHead'),
        perspective: 'customer',
        target: { op: '>=', value: 40 },
        actuals: series([['2026-Q2', 38], ['2026-Q3', 44]]),
        status: 'green',
        statusReason: '44 (2026-Q3) meets target >= 40.',
        indicator: 'lagging',
        frequency: 'quarterly',
        supports: ['DelightCustomers'],
      },
      110,
    ),
    kpiCard(
      {
        name: 'DisplayAvailability',
        title: 'Display units available',
        owner: owner('AreaSalesManager'),
        targetText: 'always available',
        actuals: series([['2026-10', -2.5]]),
        status: 'unscored',
        statusReason: '-2.5 (2026-10) cannot be scored without thresholds or a numeric target.',
      },
      125,
    ),
  ];

  const scorecards = [
    {
      name: 'Regional',
      title: 'Regional scorecard FY26',
      where: { file: 'scorecard.kpi', line: 0, character: 10 },
      perspectives: {
        financial: ['SellOutGrowth', 'NetMargin'],
        customer: ['ComplaintRate'],
        internal: ['LeadLogTime', 'ResponseTime'],
        learning: ['PromoterCertification'],
      },
    },
  ];

  const processes: ProcessCard[] = [
    {
      name: 'LeadHandling',
      title: 'Lead handling',
      where: { file: 'process.kpi', line: 0, character: 8 },
      owner: owner('BranchManager'),
      steps: steps(
        owners,
        [
          ['ReceiveLead', 'Lead received', 'SalesCoordinator'],
          ['LogLead', 'Lead logged into CRM', 'SalesCoordinator', 'LeadIntake'],
          ['Contact', 'Customer contacted', 'InsideSales'],
          ['Schedule', 'Next steps scheduled', 'InsideSales'],
        ],
        'process.kpi',
        0,
      ),
    },
    {
      name: 'StoreActivation',
      title: 'Store activation',
      where: { file: 'process.kpi', line: 10, character: 8 },
      owner: owner('AreaSalesManager'),
      steps: steps(
        owners,
        [
          ['VisitStore', 'Visit A+ store', 'BranchManager', 'PromoterPitch'],
          ['Pitch', 'Promoter pitch & checklist', 'AreaSalesManager', 'PromoterPitch'],
          ['Install', 'Installation visit', 'ServiceCoordinator'],
        ],
        'process.kpi',
        10,
      ),
    },
  ];

  const sops: SopCard[] = [
    {
      name: 'PromoterPitch',
      title: 'Promoter Sales Pitch & Customer Verification SOP',
      where: { file: 'sop.kpi', line: 0, character: 4 },
      owner: owner('AreaSalesManager'),
      objective: 'Ensure accurate communication of product specs and installation needs',
      trigger: 'Customer shows interest in a product',
      roles: ['AreaSalesManager', 'ServiceCoordinator'],
      checklist: ['Greet', 'Demo', 'Explain compatibility', 'Fill checklist', 'Capture contact details', 'Confirm installation visit'],
      exceptions: [{ when: 'Customer is unsure', then: 'Flag for callback by a senior' }],
      tools: ['CRM app', 'Sales checklist form'],
      review: { every: 2, unit: 'weeks' },
      reviewed: '2026-10-01',
      reviewDue: '2026-10-15',
      overdue: true,
    },
    {
      name: 'LeadIntake',
      title: 'Lead intake SOP',
      where: { file: 'sop.kpi', line: 20, character: 4 },
      owner: owner('SalesCoordinator'),
      objective: 'Every lead in the CRM within 2 hours',
      trigger: 'A lead arrives by phone, web or walk-in',
      roles: ['SalesCoordinator'],
      checklist: ['Create the lead', 'Attach documents', 'Tag the next owner'],
      exceptions: [],
      tools: ['CRM app'],
      review: { every: 1, unit: 'month' },
      reviewed: '2026-11-10',
      reviewDue: '2026-12-10',
      overdue: false,
    },
  ];

  const objectives: ObjectiveCard[] = [
    {
      name: 'GrowAPlus',
      title: 'Grow sell-out in A+ outlets',
      where: { file: 'strategy.kpi', line: 0, character: 10 },
      owner: owner('BranchManager'),
      perspective: 'financial',
      due: '2026-12-31',
      keyResults: ['SellOutGrowth', 'PromoterCertification'],
      supportedBy: [],
      status: 'amber',
      dueProjections: [],
      drives: [],
    },
    {
      name: 'DelightCustomers',
      title: 'Customers get what they were promised',
      where: { file: 'strategy.kpi', line: 8, character: 10 },
      owner: owner('ServiceHead'),
      perspective: 'customer',
      keyResults: [],
      supportedBy: [],
      status: 'red',
      dueProjections: [],
      drives: ['GrowAPlus'],
    },
    {
      name: 'BuildSkills',
      title: 'A certified promoter in every A+ outlet',
      where: { file: 'strategy.kpi', line: 14, character: 10 },
      owner: owner('TrainingLead'),
      perspective: 'learning',
      keyResults: [],
      supportedBy: [],
      status: 'no-data',
      dueProjections: [],
      drives: ['DelightCustomers'],
    },
  ];

  const ownerCards: OwnerCard[] = roleDefs.map(([name, title, f], i) => ({
    name,
    title,
    where: { file: 'org.kpi', line: 4 + i, character: 5 },
    kind: 'role',
    function: fn(f),
    kpis: [],
    steps: [],
    processes: [],
    sops: [],
    objectives: [],
  }));

  const model: ScorecardModel = {
    version: SCORECARD_MODEL_VERSION,
    today: '2026-11-22',
    scope: { kind: 'workspace' },
    perspectives: PERSPECTIVES.map((id) => ({ id, label: PERSPECTIVE_LABELS[id] })),
    scorecards,
    kpis,
    objectives,
    processes,
    sops,
    owners: ownerCards,
    functions,
    jointReviews: [
      {
        kpi: 'SellOutGrowth',
        status: 'amber',
        partner: 'PromoterCertification',
        relation: 'depends-on',
        owners: [
          { role: 'BranchManager', function: fn('Sales') },
          { role: 'TrainingLead', function: fn('HR') },
        ],
      },
      {
        kpi: 'ComplaintRate',
        status: 'red',
        partner: 'PromoterCertification',
        relation: 'depends-on',
        owners: [
          { role: 'ServiceHead', function: fn('Service') },
          { role: 'TrainingLead', function: fn('HR') },
        ],
      },
      {
        kpi: 'PromoterCertification',
        status: 'amber',
        partner: 'SellOutGrowth',
        relation: 'depended-on-by',
        owners: [
          { role: 'TrainingLead', function: fn('HR') },
          { role: 'BranchManager', function: fn('Sales') },
        ],
      },
    ],
    problems: { errors: 0, warnings: 3 },
  };
  return link(model);
}

/** The attack strings: each user-written string of the hostile model is one of them (plus a suffix where names must differ). */
export const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<img src=x onerror="window.__pwned=1">',
  '</script><script>window.__pwned=1</script>',
  `"><svg onload=alert(1)> 'quoted' "double"`,
  'a | b | c `code` <b>bold</b>',
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3+cmd|x',
  '@SUM(A1)',
  '\tTAB=1',
  'line one\nline two\r\n| --- |',
  '](javascript:alert(1)) [x](javascript:alert(1))',
] as const;

/** A model in which every user-written string is hostile. */
export function hostileModel(): ScorecardModel {
  let i = 0;
  const h = () => HOSTILE[i++ % HOSTILE.length]!;
  /** Names must differ from each other; they are hostile too. */
  const n = (k: number) => `${HOSTILE[k % HOSTILE.length]}#${k}`;
  const fnA: Named = { name: n(0), title: h() };
  const fnB: Named = { name: n(1), title: h() };
  const roleA: OwnerRef = { name: n(2), title: h(), kind: 'role', function: fnA };
  const roleB: OwnerRef = { name: n(3), title: h(), kind: 'role', function: fnB };
  const teamC: OwnerRef = { name: n(4), title: h(), kind: 'team' };
  const file = HOSTILE[1];
  const kpis: KpiCard[] = [0, 1, 2, 3].map((k) =>
    kpiCard({
      name: n(10 + k),
      title: h(),
      where: { file, line: k, character: 0 },
      outcome: h(),
      owner: k % 2 ? roleB : roleA,
      perspective: PERSPECTIVES[k]!,
      target: { op: '>=', value: 5 },
      thresholds: { green: { op: '>=', value: 5 }, amber: { op: '>=', value: -3 } },
      unit: h(),
      actuals: [
        { period: h(), value: -4.5, source: 'actual', start: h(), end: h() },
        { period: h(), value: 1, source: 'data', start: h(), end: h() },
      ],
      status: (['red', 'amber', 'green', 'no-data'] as StatusKind[])[k]!,
      statusReason: h(),
      stale: k === 1,
      indicator: k % 2 ? 'leading' : 'lagging',
      frequency: h(),
      checkpoint: h(),
      steps: [{ process: n(30), step: n(31), title: h(), sop: n(40) }],
      supports: [n(50)],
      why: h(),
      levers: [h(), h()],
      visibility: h(),
      motivation: h(),
      depends: k === 0 ? [n(11)] : [],
      data: h(),
    }),
  );
  kpis.push(kpiCard({ name: n(14), title: h(), where: { file, line: 9, character: 0 }, owner: teamC, targetText: h(), status: 'unscored', statusReason: h() }));
  const step: StepCard = {
    name: n(31),
    title: h(),
    where: { file, line: 20, character: 2 },
    owner: roleA,
    sop: n(40),
    next: [n(32)],
    handoffs: [{ to: n(32), from: n(2), owner: n(3) }],
    kpis: [],
  };
  const step2: StepCard = { name: n(32), title: h(), where: { file, line: 21, character: 2 }, owner: roleB, next: [], handoffs: [], kpis: [] };
  const model: ScorecardModel = {
    version: SCORECARD_MODEL_VERSION,
    today: '2026-11-22',
    scope: { kind: 'file', file },
    perspectives: PERSPECTIVES.map((id) => ({ id, label: PERSPECTIVE_LABELS[id] })),
    scorecards: [
      {
        name: n(60),
        title: h(),
        where: { file, line: 30, character: 10 },
        perspectives: { financial: [n(10)], customer: [n(11), n(99)], internal: [n(12)], learning: [] },
      },
    ],
    kpis,
    objectives: [{ name: n(50), title: h(), where: { file, line: 40, character: 10 }, owner: roleA, perspective: 'financial', due: h(), keyResults: [n(10), n(98)], supportedBy: [], status: 'no-data', dueProjections: [], drives: [] }],
    processes: [{ name: n(30), title: h(), where: { file, line: 19, character: 8 }, owner: roleB, steps: [step, step2] }],
    sops: [
      {
        name: n(40),
        title: h(),
        where: { file, line: 50, character: 4 },
        owner: roleA,
        objective: h(),
        trigger: h(),
        roles: [n(2), n(4)],
        checklist: [h(), h(), h()],
        exceptions: [{ when: h(), then: h() }],
        tools: [h(), h()],
        review: { every: 2, unit: h() },
        reviewed: h(),
        reviewDue: h(),
        overdue: true,
      },
    ],
    owners: [
      { name: n(2), title: h(), where: { file, line: 60, character: 5 }, kind: 'role', function: fnA, kpis: [], steps: [], processes: [], sops: [], objectives: [] },
      { name: n(3), title: h(), where: { file, line: 61, character: 5 }, kind: 'role', function: fnB, kpis: [], steps: [], processes: [], sops: [], objectives: [] },
      { name: n(4), title: h(), where: { file, line: 62, character: 5 }, kind: 'team', kpis: [], steps: [], processes: [], sops: [], objectives: [] },
    ],
    functions: [fnA, fnB],
    jointReviews: [
      {
        kpi: n(10),
        status: 'red',
        partner: n(11),
        relation: 'depends-on',
        owners: [
          { role: n(2), function: fnA },
          { role: n(3), function: fnB },
        ],
      },
    ],
    problems: { errors: 2, warnings: 1 },
  };
  return link(model);
}
