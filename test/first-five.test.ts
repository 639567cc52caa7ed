// The first five minutes (issue 15, item 2): declarations offered on any
// blank line at the top level; snippets that, accepted with their defaults,
// leave no error and are already formatted; the quick fixes that create a
// missing process or step; vague-target's suggestion in the KPI's direction;
// KPI: New KPI…'s text; and the Get Started walkthrough's path, from its
// sample to a KPI without findings. Cursor positions are marked ‸.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { complete } from '../server/src/language/features/completion';
import { applyEdits, fixesFor } from '../server/src/language/features/fixes';
import { appendEdit, newKpiText, splitLevers, stepChoices, validateNumber, type NewKpiAnswers } from '../server/src/language/features/newKpi';
import { parseDate } from '../server/src/language/model/periods';
import { allDiagnostics, createWorkspace, formatDocument, type Workspace } from '../server/src/language/service';
import { DECLARATION_KINDS } from '../server/src/language/syntax/grammar';
import { MemoryFileSystem } from './support/memory-fs';

const TODAY = '2026-11-22';
const ROOT = path.join(import.meta.dirname, '..');

function workspaceOf(files: Record<string, string>): Workspace {
  return createWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => parseDate(TODAY)!, files: Object.entries(files).map(([key, text]) => ({ key, text })) });
}

/** The completion labels at ‸ in `text`, with `others` as the rest of the workspace. */
function labelsAt(text: string, others: Record<string, string> = {}): string[] {
  const offset = text.indexOf('‸');
  const clean = text.replace('‸', '');
  const workspace = workspaceOf({ ...others, 'probe.kpi': clean });
  return complete(workspace, workspace.getDocument('probe.kpi')!, offset).items.map((item) => item.label);
}

/** A snippet with every tab stop at its default: the first choice, the default text, a mirror as its stop. */
function expandSnippet(snippet: string): string {
  const values = new Map<string, string>();
  // Defaults first (in text order), so that a mirror written before its stop still finds it.
  for (const m of snippet.matchAll(/\$\{(\d+)(?::((?:[^}\\]|\\.)*)|\|([^|]*)\|)\}/g)) {
    if (!values.has(m[1]!)) values.set(m[1]!, m[3] !== undefined ? m[3].split(',')[0]! : m[2]!.replace(/\\(.)/g, '$1'));
  }
  return snippet.replace(/\$\{(\d+)(?::(?:[^}\\]|\\.)*|\|[^|]*\|)?\}/g, (_, index: string) => values.get(index) ?? '');
}

const ORG = `function Sales "Sales"

role SalesCoordinator "Sales coordinator" in Sales

role BranchManager "Branch manager" in Sales

process LeadHandling "Lead handling" {
  owner BranchManager
  step ReceiveLead "Lead received" { owner SalesCoordinator  next LogLead }
  step LogLead "Lead logged"       { owner SalesCoordinator }
}

kpi LeadLogTime "Lead log time" {
  owner       SalesCoordinator
  step        LeadHandling.LogLead
  perspective internal
  target      <= 2
}
`;

describe('the first five minutes', () => {
  describe('completion at the top level', () => {
    const declarations = [...DECLARATION_KINDS];

    const BLANK_LINES = {
      'an empty file': '‸',
      'a blank line after a role': 'role A "A"\n‸',
      'a blank line after a role placed in a function': 'function F "F"\nrole A "A" in F\n\n‸',
      'a word typed after a role': 'role A "A"\nproc‸',
      'a blank line after a function': 'function F "F"\n  ‸',
      'a blank line after a closing brace': 'kpi X "X" {\n  target >= 1\n}\n‸',
      'the same line after a closing brace': 'kpi X "X" { target >= 1 } ‸',
      'a blank line between two declarations': 'role A "A"\n\n‸\n\nkpi X "X" {\n  owner A\n}\n',
      'a blank line after a header that has no block yet': 'kpi X "X"\n‸',
    };
    for (const [where, text] of Object.entries(BLANK_LINES)) {
      it(`offers every declaration and its snippet on ${where}`, () => {
        const labels = labelsAt(text);
        for (const kind of declarations) {
          assert.ok(labels.includes(kind), `${kind} in ${JSON.stringify(labels)}`);
          assert.ok(labels.includes(`${kind} …`), `the ${kind} snippet`);
        }
        assert.ok(!labels.includes('in'), '`in` belongs on the header line');
      });
    }

    it('still offers only `in` on the header line of a role, and properties inside blocks', () => {
      assert.deepEqual(labelsAt('role A "A" ‸'), ['in']);
      assert.deepEqual(labelsAt('function F "F"\nrole A "A" in ‸'), ['F']);
      const props = labelsAt('kpi X "X" {\n  owner A\n  ‸\n}');
      assert.ok(props.includes('outcome') && !props.includes('kpi'), 'properties, not declarations, inside a block');
      assert.ok(labelsAt('kpi X "X" {\n  thresholds { green >= 1 }\n  ‸').includes('frequency'), 'a closed inner block keeps the declaration open');
    });
  });

  describe('snippets', () => {
    const WORKSPACES: Record<string, Record<string, string>> = { 'an empty workspace': {}, 'a workspace with roles, steps and kpis': { 'org.kpi': ORG } };
    for (const [name, others] of Object.entries(WORKSPACES)) {
      for (const kind of DECLARATION_KINDS) {
        it(`the ${kind} snippet in ${name}, accepted as it is, leaves no error and is formatted`, () => {
          const workspace = workspaceOf({ ...others, 'probe.kpi': '' });
          const item = complete(workspace, workspace.getDocument('probe.kpi')!, 0).items.find((i) => i.label === `${kind} …`);
          assert.ok(item?.insertText && item.snippet, 'a snippet');
          assert.doesNotMatch(item.insertText, /\t/, 'indented with spaces, as the formatter indents');
          const text = `${expandSnippet(item.insertText)}\n`;
          assert.equal(formatDocument(text), text, 'a fixed point of the formatter');
          const errors = allDiagnostics(workspaceOf({ ...others, 'probe.kpi': text })).filter((d) => d.file === 'probe.kpi' && d.severity === 'error');
          assert.deepEqual(
            errors.map((d) => `${d.code}: ${d.message}`),
            [],
            text,
          );
        });
      }
    }

    it('offers the declared roles and steps as choices, and creates a role when there is none', () => {
      const withNames = workspaceOf({ 'org.kpi': ORG, 'probe.kpi': '' });
      const kpi = complete(withNames, withNames.getDocument('probe.kpi')!, 0).items.find((i) => i.label === 'kpi …')!.insertText!;
      assert.match(kpi, /owner {6}\$\{4\|SalesCoordinator,BranchManager\|\}/);
      assert.match(kpi, /step {7}\$\{5\|LeadHandling\.ReceiveLead,LeadHandling\.LogLead\|\}/);
      for (const question of ['outcome', 'owner', 'levers', 'frequency', 'visibility', 'motivation']) assert.match(kpi, new RegExp(`\\n  ${question} `), question);
      const empty = workspaceOf({ 'probe.kpi': '' });
      const fresh = complete(empty, empty.getDocument('probe.kpi')!, 0).items.find((i) => i.label === 'kpi …')!.insertText!;
      assert.match(fresh, /owner {6}\$\{4:Owner\}/);
      assert.match(fresh, /\n\nrole \$\{4\} "\$\{11:Owner\}"$/, 'the owner is declared after the kpi, its name mirrored');
      assert.doesNotMatch(fresh, /\n  step /, 'no step to link yet: unlinked-kpi is a warning, a made-up step an error');
    });

    it('picks default names the workspace does not use yet', () => {
      const workspace = workspaceOf({ 'a.kpi': 'role Owner "Owner"\nkpi NewKpi "x" {\n  owner Owner\n  target >= 1\n}\n', 'probe.kpi': '' });
      const kpi = complete(workspace, workspace.getDocument('probe.kpi')!, 0).items.find((i) => i.label === 'kpi …')!.insertText!;
      assert.match(kpi, /^kpi \$\{1:NewKpi2\}/);
    });

    it('offers the declared roles in a new process step and the declared kpis in a key result', () => {
      const workspace = workspaceOf({ 'org.kpi': ORG, 'probe.kpi': '' });
      const at = (text: string, label: string) => {
        const offset = text.indexOf('‸');
        const ws = workspaceOf({ 'org.kpi': ORG, 'probe.kpi': text.replace('‸', '') });
        return complete(ws, ws.getDocument('probe.kpi')!, offset).items.find((i) => i.label === label)?.insertText;
      };
      void workspace;
      assert.equal(at('process P "P" {\n  ‸\n}', 'step'), 'step ${1:Name} "${2:Title}" { owner ${3|SalesCoordinator,BranchManager|} }');
      assert.equal(at('objective O "O" {\n  ‸\n}', 'key result'), 'key result ${1|LeadLogTime|}');
      assert.equal(at('sop S "S" {\n  ‸\n}', 'steps'), 'steps {\n  "${1:First step}"\n}');
    });
  });

  describe('quick fixes that create a missing process or step', () => {
    const org = 'role Planner "Planner"\n\nprocess Delivery "Delivery" {\n  owner Planner\n  step Pack "Pack"           { owner Planner  next Ship }\n  step Ship "Ship the goods" { owner Planner  next Invoice }\n}\n';
    const kpis = 'kpi OnTime "On time" {\n  owner  Planner\n  step   Delivery.Load, Dispatch.Route\n  target >= 95\n}\n';

    function applyFix(title: RegExp): Record<string, string> {
      const workspace = workspaceOf({ 'org.kpi': org, 'kpis.kpi': kpis });
      for (const doc of workspace.documents) {
        for (const d of workspace.diagnostics(doc.key)) {
          const fix = fixesFor(workspace, doc, d).find((f) => title.test(f.title));
          if (!fix) continue;
          const files: Record<string, string> = { 'org.kpi': org, 'kpis.kpi': kpis };
          for (const key of new Set(fix.edits.map((e) => e.key))) files[key] = applyEdits(files[key]!, fix.edits.filter((e) => e.key === key));
          return files;
        }
      }
      assert.fail(`no fix titled ${title}`);
    }

    for (const [title, gone] of [
      [/^Add step Load to process Delivery$/, 'Load'],
      [/^Create process Dispatch with step Route$/, 'Dispatch'],
      [/^Add step Invoice to process Delivery$/, 'Invoice'],
    ] as const) {
      it(`${title.source.slice(1, -1)}: the reference resolves, and the text is formatted`, () => {
        const files = applyFix(title);
        for (const [key, text] of Object.entries(files)) assert.equal(formatDocument(text), text, `${key} is a fixed point of the formatter`);
        const left = allDiagnostics(workspaceOf(files)).filter((d) => d.code === 'unknown-reference' && d.message.includes(`'${gone}'`));
        assert.deepEqual(left, []);
      });
    }

    it('puts the created step in the file of its process, performed by the kpi owner', () => {
      const files = applyFix(/^Add step Load/);
      assert.match(files['org.kpi']!, /\n  step Load "Load"           \{ owner Planner \}\n\}/);
      assert.equal(files['kpis.kpi'], kpis);
    });
  });

  describe('vague-target', () => {
    const folder = path.join(ROOT, 'test', 'fixtures', 'rules', 'vague-target');
    for (const file of fs.readdirSync(folder).filter((f) => /^fires-(lower|higher)/.test(f))) {
      it(`suggests a target in the KPI's direction: ${file}`, () => {
        const text = fs.readFileSync(path.join(folder, file), 'utf8');
        const suggestion = /\/\/ suggests: (.+)/.exec(text)![1]!;
        const messages = allDiagnostics(workspaceOf({ [file]: text }))
          .filter((d) => d.code === 'vague-target')
          .map((d) => d.message);
        assert.equal(messages.length, 1);
        assert.ok(messages[0]!.includes(`\`${suggestion}\``), messages[0]);
      });
    }
    it('suggests `target >= 90` when nothing tells the direction', () => {
      const messages = allDiagnostics(workspaceOf({ 'a.kpi': 'role A "A"\nkpi X "X" {\n  owner A\n  target "high"\n}\n' })).filter((d) => d.code === 'vague-target');
      assert.match(messages[0]!.message, /`target >= 90`\.$/);
    });
  });

  describe('KPI: New KPI…', () => {
    const answers: NewKpiAnswers = {
      title: 'Lead log time',
      outcome: 'Every new lead is logged in the CRM within 2 "business" hours',
      owner: 'SalesCoordinator',
      step: 'LeadHandling.LogLead',
      levers: splitLevers('CRM mobile app, lead form; daily check'),
      comparator: '<=',
      target: 2,
      frequency: 'weekly',
      visibility: 'Weekly sales review',
      motivation: 'Shown on the team board',
      why: 'Leads contacted early convert more often',
      latest: 1.5,
    };

    it('writes a complete KPI, formatted, named after its title and for the last complete period', () => {
      const text = newKpiText(answers, (name) => name === 'LeadLogTime', parseDate(TODAY)!);
      assert.equal(
        text,
        [
          'kpi LeadLogTime2 "Lead log time" {',
          '  outcome    "Every new lead is logged in the CRM within 2 \\"business\\" hours"',
          '  owner      SalesCoordinator',
          '  step       LeadHandling.LogLead',
          '  why        "Leads contacted early convert more often"',
          '  levers     "CRM mobile app", "lead form", "daily check"',
          '  target     <= 2',
          '  frequency  weekly',
          '  visibility "Weekly sales review"',
          '  motivation "Shown on the team board"',
          '  actual     2026-W46 1.5',
          '}',
        ].join('\n'),
      );
      assert.equal(formatDocument(`${text}\n`), `${text}\n`);
    });

    it('writes the objective it supports, and `why` only when it is answered', () => {
      const { why: _why, ...rest } = answers;
      const text = newKpiText({ ...rest, supports: 'FastLeads', levers: [] }, () => false, parseDate(TODAY)!);
      assert.match(text, /\n {2}supports {3}FastLeads\n/);
      assert.doesNotMatch(text, /why|levers/);
    });

    it('offers the owner’s own steps first, splits levers and checks numbers', () => {
      assert.deepEqual(stepChoices({ roles: [], objectives: [], steps: [{ name: 'P.A', owner: 'X' }, { name: 'P.B', owner: 'Y' }] }, 'Y'), ['P.B', 'P.A']);
      assert.deepEqual(splitLevers(' a, ,b;c '), ['a', 'b', 'c']);
      assert.equal(validateNumber('2.5'), undefined);
      assert.ok(validateNumber('two'));
    });

    it('appends after one blank line, in the file’s line ends', () => {
      assert.deepEqual(appendEdit('', 'kpi X {\n}'), { start: 0, end: 0, newText: 'kpi X {\n}\n' });
      assert.deepEqual(appendEdit('role A\r\n\r\n\r\n', 'kpi X {\n}'), { start: 6, end: 12, newText: '\r\n\r\nkpi X {\r\n}\r\n' });
    });

    it('the walkthrough’s path: its sample organisation and the answers give a KPI without findings', () => {
      const markdown = fs.readFileSync(path.join(ROOT, 'client', 'walkthrough', '2-organisation.md'), 'utf8');
      const sample = /```kpi\n([\s\S]*?)```/.exec(markdown)![1]!;
      assert.equal(formatDocument(sample), sample, 'the sample is formatted');
      const edit = appendEdit(sample, newKpiText(answers, () => false, parseDate(TODAY)!));
      const text = sample.slice(0, edit.start) + edit.newText;
      assert.equal(formatDocument(text), text);
      assert.deepEqual(allDiagnostics(workspaceOf({ 'org.kpi': text })).map((d) => `${d.code}: ${d.message}`), []);
    });

    it('the walkthrough and the command are contributed, and the walkthrough ships', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        contributes: { commands: { command: string }[]; walkthroughs: { steps: { media: { markdown?: string }; description: string }[] }[] };
      };
      assert.ok(manifest.contributes.commands.some((c) => c.command === 'kpi.newKpi'));
      const steps = manifest.contributes.walkthroughs[0]!.steps;
      assert.ok(steps.some((s) => s.description.includes('command:kpi.newKpi')) && steps.some((s) => s.description.includes('command:kpi.openScorecard')));
      for (const step of steps) assert.ok(fs.existsSync(path.join(ROOT, step.media.markdown!)), step.media.markdown);
      assert.match(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!client\/walkthrough\/\*\*$/m);
    });
  });
});
