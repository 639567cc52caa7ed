// The memoizing page renderer (PageRenderer, render/page/memo.ts) against
// the page rendered from scratch (renderRegions): over a sequence of edits to
// real workspaces' models, where the cards an edit does not touch are kept as
// the same objects (as the scorecard build keeps them) and a changed card is a
// new object, every region is the same text byte for byte, and the change it
// reports (whole views, or parts of them) turns the previous regions into the
// new ones. The edits are a table: each makes a new model from the last.
import * as assert from 'node:assert/strict';
import { PageRenderer, renderRegions, type PageRegions } from '../server/src/language/scorecard/render/html';
import { PAGE_VIEWS, PART_END, PART_START, type PageRegionsChange } from '../server/src/language/scorecard/render/page/regions';
import type { KpiCard, ProcessCard, ScorecardModel } from '../server/src/language/scorecard/model';
import { parseDate } from '../server/src/language/model/periods';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { createWorkspace } from '../server/src/language/service';
import { generateWorkspace } from '../bench/generate';
import { MemoryFileSystem } from './support/memory-fs';
import { supportModel } from './support/map-models';
import { examplesModel } from './support/mermaid-models';
import { hostileModel, realisticModel } from './support/scorecard-models';

/** A model like `model`: new top-level arrays and small fields, the same card objects. */
function copy(model: ScorecardModel): ScorecardModel {
  return {
    ...model,
    scorecards: [...model.scorecards],
    kpis: [...model.kpis],
    objectives: [...model.objectives],
    processes: [...model.processes],
    sops: [...model.sops],
    owners: [...model.owners],
    functions: [...model.functions],
    jointReviews: model.jointReviews.map((review) => ({ ...review })),
    problems: { ...model.problems },
    perspectives: model.perspectives.map((p) => ({ ...p })),
    ...(model.agenda ? { agenda: { ...model.agenda, owners: model.agenda.owners.map((group) => ({ ...group, items: group.items.map((item) => ({ ...item })) })) } } : {}),
  };
}

/** A KPI that other cards name (a `depends`, a step's KPI, a key result), else the first. */
function referencedKpi(model: ScorecardModel): number {
  const named = new Set([...model.kpis.flatMap((k) => k.depends), ...model.processes.flatMap((p) => p.steps.flatMap((s) => s.kpis)), ...model.objectives.flatMap((o) => o.keyResults)]);
  return Math.max(0, model.kpis.findIndex((k) => named.has(k.name)));
}

function firstProcessWithSteps(model: ScorecardModel): number {
  return model.processes.findIndex((p) => p.steps.length > 0);
}

function withStep(process: ProcessCard, index: number, change: (step: ProcessCard['steps'][number]) => ProcessCard['steps'][number]): ProcessCard {
  return { ...process, steps: process.steps.map((step, at) => (at === index ? change(step) : step)) };
}

interface Edit {
  what: string;
  /** Changes `model` (a copy: replace its cards, never change one). */
  apply(model: ScorecardModel): void;
}

const EDITS: Edit[] = [
  { what: 'nothing (new arrays, the same cards)', apply: () => {} },
  {
    what: "the title of a KPI other cards reference (their kpiRef, filters, the owner's card)",
    apply: (m) => {
      const i = referencedKpi(m);
      if (m.kpis[i]) m.kpis[i] = { ...m.kpis[i]!, title: `${m.kpis[i]!.title} (renamed)` };
    },
  },
  {
    what: 'the status of the same KPI',
    apply: (m) => {
      const i = referencedKpi(m);
      if (m.kpis[i]) m.kpis[i] = { ...m.kpis[i]!, status: m.kpis[i]!.status === 'red' ? 'green' : 'red', statusReason: 'Changed by the test.' };
    },
  },
  {
    what: "a step's title (its process's map, the KPIs' and SOPs' step links)",
    apply: (m) => {
      const i = firstProcessWithSteps(m);
      if (i >= 0) m.processes[i] = withStep(m.processes[i]!, 0, (step) => ({ ...step, title: `${step.title} at once` }));
    },
  },
  {
    what: "an owner's title (the owner lines and the role titles of other cards)",
    apply: (m) => {
      if (m.owners[0]) m.owners[0] = { ...m.owners[0], title: `${m.owners[0].title} (acting)` };
    },
  },
  {
    what: 'an SOP whose review becomes overdue (its steps, their filters and map nodes)',
    apply: (m) => {
      const i = m.sops.findIndex((s) => m.processes.some((p) => p.steps.some((step) => step.sop === s.name)));
      if (i >= 0) m.sops[i] = { ...m.sops[i]!, overdue: !m.sops[i]!.overdue };
    },
  },
  {
    what: 'a KPI renamed (its anchor, the references to its old name go missing)',
    apply: (m) => {
      const i = referencedKpi(m);
      if (m.kpis[i]) m.kpis[i] = { ...m.kpis[i]!, name: `${m.kpis[i]!.name}Renamed` };
    },
  },
  {
    what: 'a KPI removed',
    apply: (m) => {
      m.kpis.splice(Math.min(1, m.kpis.length - 1), 1);
    },
  },
  {
    what: 'a KPI added in front, with the name of another (two cards, one anchor: the first takes it)',
    apply: (m) => {
      const last = m.kpis[m.kpis.length - 1];
      if (last) m.kpis.unshift({ ...last, title: `${last.title} (twin)`, placements: [] });
    },
  },
  {
    what: 'a KPI added at the end, in the box of the last one (a run of parts put in after the part before it)',
    apply: (m) => {
      const last = m.kpis[m.kpis.length - 1];
      if (last) m.kpis.push({ ...last, name: `${last.name}Added`, title: `${last.title} (added)` });
    },
  },
  {
    what: 'the twin removed again (the anchor goes back to the other card)',
    apply: (m) => {
      if (m.kpis[0]?.title.endsWith('(twin)')) m.kpis.shift();
    },
  },
  {
    what: 'two processes whose steps have the same anchor (process "A.B" step "C", process "A" step "B.C")',
    apply: (m) => {
      const template = m.processes[firstProcessWithSteps(m)];
      if (!template) return;
      const step = template.steps[0]!;
      m.processes.unshift(
        { ...template, name: 'A.B', steps: [{ ...step, name: 'C', next: [], handoffs: [] }] },
        { ...template, name: 'A', steps: [{ ...step, name: 'B.C', next: [], handoffs: [] }] },
      );
    },
  },
  {
    what: 'the first of them removed (the other takes the anchor and a map slot)',
    apply: (m) => {
      if (m.processes[0]?.name === 'A.B') m.processes.shift();
    },
  },
  {
    what: 'a process without steps in front (no map, the count of processes changes)',
    apply: (m) => {
      m.processes.unshift({ name: 'Empty', title: 'Empty process', where: { file: 'x.kpi', line: 0, character: 0 }, steps: [] });
    },
  },
  {
    what: 'a perspective relabelled',
    apply: (m) => {
      m.perspectives = [{ id: 'customer', label: 'Clients' }];
    },
  },
  {
    what: 'a KPI moved to the front of the list',
    apply: (m) => {
      const moved = m.kpis.pop();
      if (moved) m.kpis.unshift(moved);
    },
  },
  {
    what: 'an agenda item and a joint review dropped',
    apply: (m) => {
      m.jointReviews.pop();
      const group = m.agenda?.owners[0];
      if (group) group.items = group.items.slice(1);
    },
  },
  {
    what: 'an objective changed and an owner card removed',
    apply: (m) => {
      if (m.objectives[0]) m.objectives[0] = { ...m.objectives[0], title: `${m.objectives[0].title}!`, keyResults: [...m.objectives[0].keyResults].reverse() };
      m.owners.splice(1, 1);
    },
  },
];

/** Asserts two texts are the same; when not, says where they part, with a little of each (a view is megabytes). */
function sameText(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 120), at + 120));
  assert.fail(`${what}: differs at ${at} of ${expected.length}\n  memoized: ${around(actual)}\n  fresh:    ${around(expected)}`);
}

function sameRegions(actual: PageRegions, expected: PageRegions, what: string): void {
  for (const key of ['summary', 'tabs', 'toolbar', 'footer'] as const) sameText(actual[key], expected[key], `${what}: ${key}`);
  for (const view of PAGE_VIEWS) sameText(actual.views[view], expected.views[view], `${what}: the ${view} view`);
}

/** The regions `change` makes of `before`, swapping parts as the page's script does (by position among the markers). */
function applyChange(before: PageRegions, change: PageRegionsChange): PageRegions {
  const views = { ...before.views };
  for (const view of PAGE_VIEWS) {
    const whole = change.views?.[view];
    if (whole !== undefined) views[view] = whole;
    for (const [index, html] of change.parts?.[view] ?? []) {
      const [start, end] = partAt(views[view], index, view);
      views[view] = views[view].slice(0, start) + html + views[view].slice(end);
    }
    // As the page does it: each run's parts are taken out and the new ones put in their place, or next to the part that borders the run.
    // The runs are numbered as on the page before: the last is applied first, so the numbers of the others still hold.
    for (const [at, remove, insert, anchor] of [...(change.splices?.[view] ?? [])].reverse()) {
      assert.ok(remove > 0 || insert.length > 0, `a splice of ${view} changes something`);
      const [start, end] =
        remove > 0
          ? [partAt(views[view], at, view)[0], partAt(views[view], at + remove - 1, view)[1]]
          : anchor === 'next'
            ? [partAt(views[view], at, view)[0], partAt(views[view], at, view)[0]]
            : [partAt(views[view], at - 1, view)[1], partAt(views[view], at - 1, view)[1]];
      views[view] = views[view].slice(0, start) + insert.join('') + views[view].slice(end);
    }
  }
  return {
    summary: change.summary ?? before.summary,
    tabs: change.tabs ?? before.tabs,
    toolbar: change.toolbar ?? before.toolbar,
    footer: change.footer ?? before.footer,
    views,
  };
}

/** Where the part numbered `index` of a view's HTML starts and ends. */
function partAt(html: string, index: number, view: string): [start: number, end: number] {
  let start = -1;
  for (let n = 0; n <= index; n++) start = html.indexOf(PART_START, start + 1);
  assert.ok(start >= 0, `part ${index} of ${view} is on the page`);
  return [start, html.indexOf(PART_END, start) + PART_END.length];
}

function generated(files: number): ScorecardModel {
  const texts = generateWorkspace(files, 500);
  return buildScorecardModel(
    createWorkspace({
      root: '/bench',
      fs: new MemoryFileSystem(Object.fromEntries(texts.map((file) => [`/bench/${file.key}`, file.text]))),
      today: () => parseDate('2026-11-22')!,
      files: texts.map((file) => ({ key: file.key, path: `/bench/${file.key}`, text: file.text })),
    }),
  );
}

const MODELS: { what: string; model: () => ScorecardModel }[] = [
  { what: 'the examples', model: examplesModel },
  { what: 'the maps fixture (process maps drawn, strategy and hand-off maps)', model: supportModel },
  { what: 'a generated workspace of 5 files (50 processes: more than the page draws maps for)', model: () => generated(5) },
  { what: 'the realistic hand-built model', model: realisticModel },
  { what: 'the hostile model', model: hostileModel },
];

describe('the memoizing page renderer', () => {
  for (const { what, model: build } of MODELS) {
    it(`equals the page rendered from scratch after every edit: ${what}`, () => {
      const renderer = new PageRenderer();
      let model = build();
      let page = renderer.render(model);
      let shown = page.regions;
      sameRegions(shown, renderRegions(model), 'the first render');
      for (const edit of EDITS) {
        const next = copy(model);
        edit.apply(next);
        const nextPage = renderer.render(next);
        const fresh = renderRegions(next);
        const regions = nextPage.regions;
        sameRegions(regions, fresh, edit.what);
        sameRegions(applyChange(shown, nextPage.changeSince(page)), fresh, `${edit.what}, as the change applied to the page before`);
        model = next;
        page = nextPage;
        shown = regions;
      }
    });
  }

  it('renders again only the cards an edit touches, and reports only their parts', () => {
    const renderer = new PageRenderer();
    const model = generated(5);
    const first = renderer.render(model);
    const total = renderer.counts.rendered;
    const next = copy(model);
    // A KPI shown once: the first of its name, on at most one scorecard line.
    const i = next.kpis.findIndex((k) => k.placements.length <= 1 && next.kpis.find((x) => x.name === k.name) === k);
    next.kpis[i] = { ...next.kpis[i]!, outcome: 'A sentence only its own card shows.' } satisfies KpiCard;
    const second = renderer.render(next);
    // Its card, and the few parts that look it up by name (its owner's card, the steps and objectives that name it…) are rendered again; the rest is reused.
    assert.ok(renderer.counts.rendered >= 1 && renderer.counts.rendered <= 8, `rendered ${renderer.counts.rendered}`);
    assert.equal(renderer.counts.rendered + renderer.counts.reused, total);
    const change = second.changeSince(first);
    assert.deepEqual(Object.keys(change), ['parts']);
    assert.deepEqual(Object.keys(change.parts!), ['scorecard']);
    assert.equal(change.parts!.scorecard!.length, 1);
    assert.ok(change.parts!.scorecard![0]![1].includes('A sentence only its own card shows.'));
    assert.deepEqual(renderer.render(copy(next)).changeSince(second), {}, 'nothing changed: nothing to send');
  });

  it('sends a card added or removed as a splice of its view, not the whole view', () => {
    const renderer = new PageRenderer();
    const model = generated(5);
    const first = renderer.render(model);
    // A KPI on no scorecard, added after another one of its perspective: its card goes into that perspective's box.
    const next = copy(model);
    const at = next.kpis.findIndex((k) => k.placements.length === 0 && k.perspective !== undefined) + 1;
    assert.ok(at > 0, 'the generated model has a KPI on no scorecard');
    const template = next.kpis[at - 1]!;
    next.kpis.splice(at, 0, { ...template, name: `${template.name}New`, title: 'A KPI added while typing' });
    const second = renderer.render(next);
    const added = second.changeSince(first);
    assert.equal(added.views?.scorecard, undefined, 'the scorecard view is not sent whole');
    const inserted = added.splices!.scorecard!.flatMap(([, , insert]) => insert);
    assert.ok(inserted.some((html) => html.includes('A KPI added while typing')));
    assert.ok(inserted.length <= 3, `a few parts are sent, not the view: ${inserted.length}`);
    sameRegions(applyChange(first.regions, added), renderRegions(next), 'the KPI added, as splices');
    const removed = renderer.render(model).changeSince(second);
    assert.equal(removed.views?.scorecard, undefined);
    sameRegions(applyChange(second.regions, removed), renderRegions(model), 'the KPI removed, as splices');
  });
});
