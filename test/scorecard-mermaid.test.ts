// The Mermaid flowcharts of the Markdown export (render/mermaid.ts): the
// generated text for a small workspace, line by line; an arrow per `next`,
// hand-offs, loops, unreachable steps, the strategy map's bands and arrows;
// hostile titles that stay text; the empty and the huge cases; the same text
// every time. test/mermaid-browser.test.ts has Mermaid itself draw them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderMarkdown } from '../server/src/language/scorecard/render/markdown';
import { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, mermaidText, processDiagram, strategyDiagram } from '../server/src/language/scorecard/render/mermaid';
import type { ScorecardModel } from '../server/src/language/scorecard/model';
import { examplesModel, generatedModel, MERMAID_HOSTILE, mermaidBlocks, modelOf } from './support/mermaid-models';
import { hostileModel, realisticModel } from './support/scorecard-models';

/** A label's inside: generated text, no character Mermaid, Markdown or HTML would act on. */
const SAFE_LABEL = String.raw`(?:[^"\x60<>#:;\[\]{}|\\]|#\d+;|<br>)*`;
const QUOTED = `"${SAFE_LABEL}"`;
const ID = '(?:step|lane|fn|goal|band)\\d+';
/** Every line a generated diagram may have. */
const LINE_SHAPES = [
  /^flowchart (?:LR|BT)$/,
  new RegExp(`^ *subgraph ${ID} \\[${QUOTED}\\]$`),
  /^ *end$/,
  new RegExp(`^ +${ID}\\[${QUOTED}\\]$`),
  new RegExp(`^  ${ID} (?:-->|==>|-\\.->)(?:\\|${QUOTED}\\|)? ${ID}$`),
  new RegExp(`^  ${ID} ~~~ ${ID}$`),
  /^ {2}classDef (?:entry stroke-width:3px|unreachable stroke-dasharray:6 4)$/,
  new RegExp(`^  class ${ID} (?:entry|unreachable)$`),
];

function assertWellFormed(source: string): void {
  const lines = source.split('\n');
  for (const line of lines) assert.ok(LINE_SHAPES.some((shape) => shape.test(line)), `unexpected line: ${line}`);
  const opened = lines.filter((line) => /^ *subgraph /.test(line)).length;
  assert.equal(lines.filter((line) => /^ *end$/.test(line)).length, opened, 'every subgraph ends');
  assert.ok(source.length <= MERMAID_MAX_TEXT, 'within Mermaid’s text limit');
  assert.ok(lines.filter((line) => /(?:-->|==>|-\.->|~~~)/.test(line) && !/^ +\S+\[/.test(line)).length <= MERMAID_MAX_EDGES, 'within Mermaid’s edge limit');
}

function diagramOf(model: ScorecardModel, process = 0): string {
  const diagram = processDiagram(model.processes[process]!, model);
  assert.equal(diagram?.kind, 'diagram');
  return diagram.kind === 'diagram' ? diagram.source : '';
}

const TICKETS = `function Support "Support"
function Billing "Billing"
role Agent "Agent" in Support
role Lead "Team lead" in Support
role Clerk "Billing clerk" in Billing

process Tickets "Ticket handling" {
  owner Lead
  step Triage "Ticket triaged" { owner Agent  next Resolve, Escalate }
  step Resolve "Ticket resolved" { owner Agent  next Close }
  step Escalate "Escalated to a lead" { owner Lead  next Refund, Resolve }
  step Refund "Refund issued" { owner Clerk  next Triage }
  step Close "Ticket closed" { owner Agent }
  step Archive "Ticket archived" { owner Clerk }
}

kpi TriageTime "Time to triage" {
  owner Agent
  step Tickets.Triage
  target <= 2
  actual 2026-10 1
}

kpi RefundRate "Refunds per 100 tickets" {
  owner Clerk
  step Tickets.Refund
  target <= 3
  thresholds { green <= 3  amber <= 5 }
  actual 2026-10 4
  depends TriageTime
}

objective AnswerFast "Answer fast" {
  owner Lead
  perspective customer
  key result TriageTime
  drives KeepRevenue
}

objective KeepRevenue "Keep revenue" {
  owner Lead
  perspective financial
  key result RefundRate
}

objective Someday "Someday" {
  owner Lead
}
`;

describe('Mermaid flowcharts in the Markdown export', () => {
  describe('a process', () => {
    const model = modelOf(TICKETS);

    it('is the expected flowchart: lanes in functions, a node per step, an arrow per next in written order', () => {
      assert.equal(
        diagramOf(model),
        [
          'flowchart LR',
          '  subgraph fn0 ["Support"]',
          '    subgraph lane0 ["Agent"]',
          '      step0["Ticket triaged<br>▶ entry step<br>🟢 Green · Time to triage"]',
          '      step1["Ticket resolved"]',
          '      step4["Ticket closed"]',
          '    end',
          '    subgraph lane1 ["Team lead"]',
          '      step2["Escalated to a lead"]',
          '    end',
          '  end',
          '  subgraph fn1 ["Billing"]',
          '    subgraph lane2 ["Billing clerk"]',
          '      step3["Refund issued<br>🟡 Amber · Refunds per 100 tickets"]',
          '      step5["Ticket archived<br>⚠ unreachable"]',
          '    end',
          '  end',
          '  step0 --> step1',
          '  step0 -->|"hand-off"| step2',
          '  step1 --> step4',
          '  step2 ==>|"hand-off Support → Billing"| step3',
          '  step2 -->|"hand-off"| step1',
          '  step3 -.->|"loop back · hand-off Billing → Support"| step0',
          '  classDef entry stroke-width:3px',
          '  classDef unreachable stroke-dasharray:6 4',
          '  class step0 entry',
          '  class step5 unreachable',
        ].join('\n'),
      );
    });

    it('draws an arrow for every next of every process of the examples and the generated models', () => {
      const models = [examplesModel(), realisticModel(), ...[1, 2, 3].map((seed) => generatedModel(seed, { steps: 40 }))];
      let checked = 0;
      for (const m of models) {
        for (const process of m.processes) {
          const source = diagramOf(m, m.processes.indexOf(process));
          assertWellFormed(source);
          const ids = new Map<string, string>();
          for (const match of source.matchAll(/^ +(step\d+)\["([^"<]*)/gm)) ids.set(match[1]!, match[2]!);
          const names = [...new Set(process.steps.map((step) => step.name))];
          assert.equal(ids.size, names.length, 'a node per step');
          const arrows = [...source.matchAll(/^ {2}(step\d+) (?:-->|==>|-\.->)(?:\|"[^"]*"\|)? (step\d+)$/gm)].map((match) => `${match[1]}>${match[2]}`);
          const expected = names.flatMap((name, index) => {
            const step = process.steps.find((s) => s.name === name)!;
            return [...new Set(step.next)].filter((target) => names.includes(target)).map((target) => `step${index}>step${names.indexOf(target)}`);
          });
          assert.deepEqual(arrows, expected, `${process.name}: one arrow per next, in written order`);
          checked += expected.length;
        }
      }
      assert.ok(checked > 100, `only ${checked} arrows checked`);
    });

    it('puts every step in its owner’s lane', () => {
      const m = generatedModel(7, { steps: 40 });
      const source = diagramOf(m);
      let lane = '';
      const laneTitles = new Map<string, string>();
      for (const line of source.split('\n')) {
        const opened = /^ *subgraph (lane\d+) \["([^"]*)"\]$/.exec(line);
        if (opened) (lane = opened[1]!), laneTitles.set(lane, opened[2]!);
        const node = /^ +step(\d+)\[/.exec(line);
        if (node) assert.equal(laneTitles.get(lane), mermaidText(m.processes[0]!.steps[Number(node[1])]!.owner?.title ?? 'No owner'));
      }
    });

    it('says a process has no steps instead of drawing an empty fence', () => {
      const md = renderMarkdown(modelOf('role A "A"\nprocess Empty "Empty process" {\n  owner A\n}\n'));
      assert.ok(md.includes('#### Empty process\n\n_No steps._'));
      assert.ok(!md.includes('```mermaid'));
    });
  });

  describe('the strategy map', () => {
    const model = modelOf(TICKETS);

    it('has a band per perspective bottom up, the objective statuses, drives and depends arrows', () => {
      const diagram = strategyDiagram(model);
      assert.equal(diagram?.kind, 'diagram');
      assert.equal(
        diagram.kind === 'diagram' ? diagram.source : '',
        [
          'flowchart BT',
          '  subgraph band2 ["Customer"]',
          '    goal0["Answer fast<br>🟢 Green<br>🟢 Green · Time to triage"]',
          '  end',
          '  subgraph band3 ["Financial"]',
          '    goal1["Keep revenue<br>🟡 Amber<br>🟡 Amber · Refunds per 100 tickets"]',
          '  end',
          '  subgraph band4 ["No perspective"]',
          '    goal2["Someday<br>⚪ No data"]',
          '  end',
          '  band2 ~~~ band3',
          '  band3 ~~~ band4',
          '  goal0 --> goal1',
          '  goal0 -.->|"KPI depends · Time to triage → Refunds per 100 tickets"| goal1',
        ].join('\n'),
      );
    });

    it('labels each objective with the status the model gives it (LANGUAGE.md section 4.1), as icon and word', () => {
      const diagram = strategyDiagram(realisticModel());
      const source = diagram?.kind === 'diagram' ? diagram.source : '';
      const labelOf = (title: string) => source.split('\n').find((line: string) => line.includes(mermaidText(title)));
      const [grow, delight, skills] = realisticModel().objectives;
      assert.match(labelOf(grow!.title)!, /🟡 Amber/);
      assert.match(labelOf(delight!.title)!, /🔴 Red/);
      assert.match(labelOf(skills!.title)!, /No data/);
    });

    it('draws an arrow per drives and none to an unknown objective or to itself', () => {
      const m = generatedModel(11, { steps: 5, objectives: 12 });
      m.objectives[0]!.drives = [m.objectives[0]!.name, 'Nowhere', m.objectives[1]!.name, m.objectives[1]!.name];
      const diagram = strategyDiagram(m);
      const source = diagram?.kind === 'diagram' ? diagram.source : '';
      assertWellFormed(source);
      const arrows = [...source.matchAll(/^ {2}goal(\d+) --> goal(\d+)$/gm)].map((match) => `${match[1]}>${match[2]}`);
      const expected = m.objectives.flatMap((objective, index) =>
        [...new Set(objective.drives)].filter((target) => target !== objective.name && m.objectives.some((o) => o.name === target)).map((target) => `${index}>${m.objectives.findIndex((o) => o.name === target)}`),
      );
      assert.deepEqual(arrows, expected);
      assert.ok(arrows.includes('0>1'));
    });

    it('is left out when there is no objective, and so is a Processes section without processes', () => {
      const md = renderMarkdown(modelOf('role A "A"\n'));
      assert.ok(!md.includes('### Strategy map'));
      assert.ok(!md.includes('### Processes'));
      assert.ok(!md.includes('```'));
    });
  });

  describe('safe text', () => {
    it('writes every character Mermaid, Markdown or HTML would act on as an entity code', () => {
      assert.equal(mermaidText('a "b" [c] #d; `e` <f> {g} |h| :i & %j \\k'), 'a #34;b#34; #91;c#93; #35;d#59; #96;e#96; #60;f#62; #123;g#125; #124;h#124; #58;i #38; #37;j #92;k');
      assert.equal(mermaidText('line\none\r\ntwo\tthree\u2028four'), 'line one two three four');
      assert.equal(mermaidText('A+ Grün 日本 ✅'), 'A+ Grün 日本 ✅');
      assert.equal(mermaidText('@team and ops@example.com'), '#64;#8203;team and ops#64;example.com', 'a mention is broken as in the Markdown text');
      assert.equal(mermaidText('x'.repeat(100)), `${'x'.repeat(79)}…`);
    });

    it('keeps hostile titles text in every diagram: only generated syntax on every line', () => {
      const models = [hostileModel(), generatedModel(5, { steps: 30, titles: MERMAID_HOSTILE }), generatedModel(6, { steps: 12, objectives: 20, titles: [...MERMAID_HOSTILE].reverse() })];
      for (const m of models) {
        const md = renderMarkdown(m);
        const blocks = mermaidBlocks(md);
        assert.ok(blocks.length >= 2, 'a strategy map and a process');
        for (const block of blocks) assertWellFormed(block);
        assert.equal((md.match(/^```/gm) ?? []).length, blocks.length * 2, 'no fence opened or closed by a title');
      }
    });

    it('mentions no one and keeps the rest of the Markdown free of HTML, code and links', () => {
      const md = renderMarkdown(generatedModel(8, { steps: 20, titles: ['@team (@org/leads) <b>x</b> [l](http://x) `c`'] }));
      const outside = md.replace(/^```mermaid\n[\s\S]*?\n```$/gm, '');
      assert.ok(!/<[a-zA-Z/!]/.test(outside), 'no raw HTML');
      assert.ok(!/(?<!\\)[`[]/.test(outside), 'no code span or link');
      for (const block of mermaidBlocks(md)) assert.ok(!/(?<![A-Za-z0-9_])@/.test(block), 'no @ in a diagram');
    });
  });

  describe('large and repeated', () => {
    it('renders the same text every time', () => {
      for (const make of [() => examplesModel(), () => generatedModel(9, { steps: 60, titles: MERMAID_HOSTILE })]) assert.equal(renderMarkdown(make()), renderMarkdown(make()));
    });

    it('keeps a huge process within Mermaid’s limits: compact first, a sentence when even that is too large', () => {
      const large = generatedModel(12, { steps: 320, kpisPerStep: 2 });
      const compact = processDiagram(large.processes[0]!, large);
      assert.equal(compact?.kind, 'diagram');
      if (compact?.kind === 'diagram') {
        assertWellFormed(compact.source);
        assert.ok(!/^ +step\d+\[.*·/m.test(compact.source), 'no KPI lines in the compact diagram');
        assert.equal((compact.source.match(/^ +step\d+\[/gm) ?? []).length, 320);
      }
      const huge = generatedModel(13, { steps: 1200 });
      const md = renderMarkdown(huge);
      assert.ok(/_1200 steps and \d+ arrows are more than a Mermaid diagram can show; the HTML export draws this process\._/.test(md));
      for (const block of mermaidBlocks(md)) assertWellFormed(block);
    });

    it('lists at most eight KPIs in a node and counts the rest', () => {
      const m = modelOf(TICKETS);
      const triage = m.processes[0]!.steps[0]!;
      triage.kpis = Array.from({ length: 11 }, () => 'TriageTime');
      const source = diagramOf(m);
      assert.equal((source.split('\n')[3]!.match(/Time to triage/g) ?? []).length, 8);
      assert.ok(source.includes('<br>and 3 more KPIs"]'));
    });
  });

  it('keeps mermaid a devDependency that no shipped source imports (it is big: the bundles must not carry it)', () => {
    const root = path.join(import.meta.dirname, '..');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    assert.ok(manifest.devDependencies?.mermaid, 'a devDependency');
    assert.equal(manifest.dependencies?.mermaid, undefined);
    const sources = ['server/src', 'client/src', 'client/media'].flatMap((dir) =>
      (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((file) => /\.[cm]?[jt]s$/.test(file)).map((file) => path.join(root, dir, file)),
    );
    assert.ok(sources.length > 20);
    for (const file of sources) assert.ok(!/(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]mermaid/.test(fs.readFileSync(file, 'utf8')), `${file} imports mermaid`);
  });
});
