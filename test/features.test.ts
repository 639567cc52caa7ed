// Editor features through the real protocol: the bundled server over stdio on
// the workspace in test/fixtures/features/ws. Cursor positions are marked in
// the fixture text with comments `/*@name*/` (the position right after the
// comment). Rename and quick-fix results are applied and compared with golden
// files in test/fixtures/features/golden/ (UPDATE_GOLDEN=1 rewrites them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  CodeAction,
  CodeLens,
  CompletionItem,
  DocumentHighlight,
  DocumentLink,
  DocumentSymbol,
  Hover,
  InlayHint,
  Location,
  Position,
  SelectionRange,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { allDiagnostics, createWorkspace, hover } from '../server/src/language/service';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { parseDate } from '../server/src/language/model/periods';
import { LineIndex } from '../server/src/language/text';
import { MemoryFileSystem } from './support/memory-fs';
import { assertBuilt, LspClient, removeWorkspace, SERVER, tempWorkspace, uriOf } from './support/lsp';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'features', 'ws');
const GOLDEN = path.join(import.meta.dirname, 'fixtures', 'features', 'golden');

function readTree(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(files, readTree(path.join(dir, entry.name), rel));
    else files[rel] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
  }
  return files;
}

/** Applies LSP text edits to a text. */
function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = LineIndex.of(text);
  const sorted = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let result = text;
  for (const e of sorted) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}

function expectGolden(name: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(GOLDEN, name, rel);
    if (process.env['UPDATE_GOLDEN']) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    assert.ok(fs.existsSync(file), `golden file ${path.relative(GOLDEN, file)} is missing; run with UPDATE_GOLDEN=1`);
    assert.equal(text, fs.readFileSync(file, 'utf8'), `${name}/${rel} differs from its golden file`);
  }
}

describe('editor features over the protocol', function () {
  const sources = readTree(FIXTURE);
  const markers = new Map<string, { file: string; offset: number; position: Position }>();
  for (const [rel, text] of Object.entries(sources)) {
    const lines = LineIndex.of(text);
    for (const m of text.matchAll(/\/\*@([\w-]+)\*\//g)) {
      const offset = m.index + m[0].length;
      markers.set(m[1]!, { file: rel, offset, position: lines.positionAt(offset) });
    }
  }
  let root = '';
  let client: LspClient;
  const uri = (rel: string) => uriOf(path.join(root, rel));
  const at = (name: string) => {
    const marker = markers.get(name);
    assert.ok(marker, `no marker /*@${name}*/ in the fixture`);
    return { textDocument: { uri: uri(marker.file) }, position: marker.position };
  };
  /** Which marker (if any) a location points at. */
  const markerAt = (location: { uri: string; range: { start: Position } }) => {
    for (const [name, m] of markers) {
      if (uri(m.file) === location.uri && m.position.line === location.range.start.line && m.position.character === location.range.start.character) return name;
    }
    return `${path.basename(location.uri)}:${location.range.start.line}:${location.range.start.character}`;
  };
  /** Applies a workspace edit to the fixture texts; returns the files it changed. */
  const apply = (edit: WorkspaceEdit | null | undefined): Record<string, string> => {
    assert.ok(edit?.changes, 'an edit with changes');
    const changed: Record<string, string> = {};
    for (const [target, edits] of Object.entries(edit.changes)) {
      const rel = path.relative(root, new URL(target).pathname).split(path.sep).join('/');
      changed[rel] = applyTextEdits(sources[rel]!, edits);
    }
    return changed;
  };

  before(async function () {
    assertBuilt(SERVER);
    root = tempWorkspace(sources, 'kpi-features-');
    client = new LspClient();
    await client.initialize(root);
    await client.waitForDiagnostics(uri('problems.kpi'));
  });

  after(async () => {
    await client?.shutdown();
    removeWorkspace(root);
  });

  describe('completion', () => {
    let probe = 0;
    /** Opens a new document with `text` (cursor at ‸) and asks for completion there. */
    async function complete(text: string): Promise<{ labels: string[]; items: CompletionItem[]; text: string; offset: number; file: string }> {
      const offset = text.indexOf('‸');
      const clean = text.replace('‸', '');
      const file = `probe${++probe}.kpi`;
      await client.open(uri(file), clean);
      const items = (await client.request<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: uri(file) }, position: LineIndex.of(clean).positionAt(offset) })) ?? [];
      await client.close(uri(file));
      return { labels: items.map((i) => i.label), items, text: clean, offset, file };
    }

    it('offers declaration kinds and snippets at the top level', async () => {
      const { labels, items } = await complete('‸');
      for (const kind of ['function', 'role', 'team', 'objective', 'process', 'kpi', 'sop', 'scorecard']) assert.ok(labels.includes(kind), kind);
      const kpi = items.find((i) => i.label === 'kpi …');
      assert.ok(kpi, 'a kpi snippet');
      const body = (kpi.textEdit as TextEdit).newText;
      for (const question of ['outcome', 'owner', 'levers', 'frequency', 'visibility', 'motivation']) assert.match(body, new RegExp(question), `the KPI Clarity Canvas asks for ${question}`);
      assert.equal(kpi.insertTextFormat, 2, 'a snippet with tab stops');
    });

    it('offers only the properties a kpi has not used yet', async () => {
      const { labels } = await complete('kpi X {\n  owner BranchManager\n  target >= 1\n  ‸\n}');
      assert.ok(labels.includes('outcome') && labels.includes('frequency') && labels.includes('actual'));
      assert.ok(!labels.includes('owner') && !labels.includes('target'));
    });

    it('offers roles after owner, not teams, functions or kpis', async () => {
      const { labels } = await complete('kpi X {\n  owner ‸\n}');
      assert.deepEqual(labels.sort(), ['BranchManager', 'HeadOfEngineering', 'SalesCoordinator']);
      assert.deepEqual((await complete('kpi X {\n  owner BranchManager, ‸\n}')).labels, [], 'a second owner would be an error');
    });

    it('offers Process.Step pairs after step, and the steps after Process.', async () => {
      assert.deepEqual((await complete('kpi X {\n  step ‸\n}')).labels, ['LeadHandling.ReceiveLead', 'LeadHandling.LogLead']);
      assert.deepEqual((await complete('kpi X {\n  step LeadHandling.‸\n}')).labels, ['ReceiveLead', 'LogLead']);
    });

    it('offers the values of perspective, frequency and checkpoint (finer than the frequency)', async () => {
      assert.deepEqual((await complete('kpi X {\n  perspective ‸\n}')).labels, ['financial', 'customer', 'internal', 'learning']);
      assert.deepEqual((await complete('kpi X {\n  frequency ‸\n}')).labels, ['daily', 'weekly', 'monthly', 'quarterly', 'yearly']);
      assert.deepEqual((await complete('kpi X {\n  frequency monthly\n  checkpoint ‸\n}')).labels, ['daily', 'weekly']);
    });

    it('offers objectives after supports, kpis after depends (no cycle) and sops after a step sop', async () => {
      assert.deepEqual((await complete('kpi X {\n  supports ‸\n}')).labels, ['Growth', 'Margin']);
      const depends = (await complete('kpi X {\n  depends ‸\n}')).labels.sort();
      assert.deepEqual(depends, ['ApiUptime', 'LeadLogTime', 'NoOwner', 'TwoOwners', 'Typo']);
      // LeadLogTime is depended on by ApiUptime: LeadLogTime depending on ApiUptime would close a cycle.
      const cyc = await complete('kpi Y { depends ApiUptime }\nkpi Z {\n  depends ‸\n}');
      assert.ok(cyc.labels.includes('Y') && cyc.labels.includes('LeadLogTime'));
      assert.deepEqual((await complete('process P {\n  step A { owner BranchManager  sop ‸ }\n}')).labels, ['LeadIntake']);
    });

    it('offers the steps of the same process after next, and kpis of the matching perspective in a scorecard', async () => {
      assert.deepEqual((await complete('process P {\n  step A { next ‸ }\n  step B\n}')).labels, ['A', 'B']);
      // LeadLogTime is an internal kpi; the others declare no perspective; none of another perspective is offered.
      assert.deepEqual((await complete('scorecard S {\n  internal ‸\n}')).labels, ['LeadLogTime', 'ApiUptime', 'NoOwner', 'TwoOwners', 'Typo']);
      assert.deepEqual((await complete('scorecard S {\n  customer ‸\n}')).labels, ['ApiUptime', 'NoOwner', 'TwoOwners', 'Typo']);
    });

    it('offers the other objectives after drives, and drives among the properties of an objective', async () => {
      assert.deepEqual((await complete('objective X {\n  drives ‸\n}')).labels, ['Growth', 'Margin']);
      assert.deepEqual((await complete('objective Growth2 {\n  drives Margin, ‸\n}')).labels, ['Growth', 'Margin']);
      const props = (await complete('objective X {\n  owner BranchManager\n  ‸\n}')).labels;
      assert.ok(props.includes('drives') && props.includes('key result') && !props.includes('owner'));
      assert.ok(!(await complete('objective X {\n  drives Growth\n  ‸\n}')).labels.includes('drives'), 'drives is written once');
    });

    it('answers inside a broken document (an unclosed brace above the cursor)', async () => {
      const { labels } = await complete('kpi Broken {\n  owner\n\nkpi X {\n  frequency ‸');
      assert.deepEqual(labels, ['daily', 'weekly', 'monthly', 'quarterly', 'yearly']);
      assert.deepEqual((await complete('kpi Broken { outcome "never closed\n  owner ‸')).labels.sort(), ['BranchManager', 'HeadOfEngineering', 'SalesCoordinator']);
    });

    it('completes rule codes in a disable comment', async () => {
      const { labels } = await complete('// kpi-disable-next-line unl‸');
      assert.ok(labels.includes('unlinked-kpi') && labels.includes('unused-declaration'));
    });

    // Each position sits in an otherwise error-free declaration; every item
    // offered there, once inserted, must leave the document without errors.
    const SAFE_POSITIONS = [
      'kpi X "x" {\n  outcome "o"\n  owner ‸\n  why "w"\n  target >= 1\n  frequency monthly\n}',
      'kpi X "x" {\n  outcome "o"\n  owner BranchManager\n  step ‸\n  why "w"\n  target >= 1\n  frequency monthly\n}',
      'kpi X "x" {\n  outcome "o"\n  owner BranchManager\n  supports ‸\n  target >= 1\n  frequency monthly\n}',
      'kpi X "x" {\n  outcome "o"\n  owner BranchManager\n  why "w"\n  depends ‸\n  target >= 1\n  frequency monthly\n}',
      'kpi X "x" {\n  outcome "o"\n  owner BranchManager\n  why "w"\n  target >= 1\n  frequency monthly\n  checkpoint ‸\n}',
      'kpi X "x" {\n  outcome "o"\n  owner BranchManager\n  why "w"\n  target >= 1\n  frequency ‸\n}',
      'kpi X "x" {\n  outcome "o"\n  owner BranchManager\n  why "w"\n  perspective ‸\n  target >= 1\n  frequency monthly\n}',
      'kpi X "x" {\n  outcome "o"\n  owner BranchManager\n  why "w"\n  indicator ‸\n  target >= 1\n  frequency monthly\n}',
      'sop S "s" {\n  objective "o"\n  owner BranchManager\n  trigger "t"\n  roles ‸\n  steps { "a" }\n  review every 1 month\n}',
      'sop S "s" {\n  objective "o"\n  owner BranchManager\n  trigger "t"\n  steps { "a" }\n  review every 1 ‸\n}',
      'process P "p" {\n  owner BranchManager\n  step A "a" { owner SalesCoordinator  next B  sop ‸ }\n  step B "b" { owner BranchManager }\n}',
      'process P "p" {\n  owner BranchManager\n  step A "a" { owner SalesCoordinator  next B }\n  step B "b" { owner BranchManager  next ‸ }\n}',
      'role R "r" in ‸',
      'objective O "o" {\n  owner BranchManager\n  key result ‸\n}',
    ];
    for (const template of SAFE_POSITIONS) {
      it(`never offers an item that would be an error: ${JSON.stringify(template.split('‸')[0]!.slice(-24))}`, async () => {
        {
          const { items, text: clean, offset } = await complete(template);
          assert.ok(items.length > 0, 'something is offered');
          for (const item of items) {
            if (item.insertTextFormat === 2) continue;
            const inserted = clean.slice(0, offset) + (item.textEdit as TextEdit).newText + clean.slice(offset);
            const files = [...Object.entries(sources)].filter(([k]) => k.endsWith('.kpi')).map(([key, t]) => ({ key, path: path.join('/ws', key), text: t }));
            files.push({ key: 'probe.kpi', path: '/ws/probe.kpi', text: inserted });
            const ws = createWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => parseDate('2026-11-22')!, files });
            const errors = allDiagnostics(ws).filter((d) => d.file === 'probe.kpi' && d.severity === 'error');
            assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], `inserting '${item.label}'`);
          }
        }
      });
    }
  });

  describe('hover', () => {
    const hover = async (name: string) => (await client.request<Hover | null>('textDocument/hover', at(name)))?.contents as { value: string } | undefined;

    it('shows a kpi card with its status and why', async () => {
      const card = (await hover('kpi-decl'))!.value;
      assert.match(card, /Lead logged within 2 hours/);
      assert.match(card, /Sales Coordinator/);
      assert.match(card, /amber/);
      assert.match(card, /3\.4 \(2026-W47\) misses green \\?<= 2 but meets amber \\?<= 4/);
      assert.doesNotMatch(card, /stale/, 'W47 ends today: the last complete week is W46, so W47 is fresh');
    });

    it('shows what a role owns, and a step with its owner, SOP and kpis', async () => {
      const role = (await hover('owner-ref'))!.value;
      assert.match(role, /Owns:.*kpi `LeadLogTime`/);
      const step = (await hover('member-ref'))!.value;
      assert.match(step, /Owner:.*SalesCoordinator/);
      assert.match(step, /SOP:.*LeadIntake/);
      assert.match(step, /KPIs:.*LeadLogTime/);
    });

    it('explains drives, and shows an objective with what it drives and what drives it', async () => {
      assert.match((await hover('drives-kw'))!.value, /\*\*drives\*\* — The objectives this one is a cause of/);
      const driven = (await hover('drives-ref'))!.value;
      assert.match(driven, /\*\*objective\*\* `Margin`/);
      assert.match(driven, /Driven by:.*`Growth`/);
      assert.match((await hover('objective-decl'))!.value, /Measured by:.*`ApiUptime`/);
    });

    it('shows an objective\'s status and why, as the scorecard computes it (LANGUAGE.md 4.1)', async () => {
      // Margin's one key result, ApiUptime, is green (99.5 >= 99).
      assert.match((await hover('objective-decl'))!.value, /\*\*Status:\*\* 🟢 green — the worst among its key results: `ApiUptime` is green/);
    });
  });

  describe('navigation', () => {
    const definition = async (name: string) => markerAt((await client.request<Location>('textDocument/definition', at(name)))!);

    it('goes to the definition across files, both parts of Process.Step included', async () => {
      assert.equal(await definition('owner-ref'), 'org.kpi:5:5', 'role SalesCoordinator');
      assert.equal(await definition('depends-ref'), 'kpi-decl');
      assert.equal(await definition('scorecard-ref'), 'kpi-decl');
      assert.equal(await definition('next-ref'), 'process.kpi:3:7', 'step LogLead');
      const member = await client.request<Location>('textDocument/definition', at('member-ref'));
      assert.equal(path.basename(member.uri), 'process.kpi');
      const head = await client.request<Location>('textDocument/definition', { ...at('member-ref'), position: { ...at('member-ref').position, character: at('member-ref').position.character - 20 } });
      assert.equal(path.basename(head.uri), 'process.kpi');
      assert.equal(head.range.start.line, 0, 'LeadHandling resolves to the process');
    });

    it('finds references across files and highlights them in a file', async () => {
      const refs = await client.request<Location[]>('textDocument/references', { ...at('role-decl'), context: { includeDeclaration: true } });
      const files = refs.map((r) => path.basename(r.uri)).sort();
      assert.deepEqual(files, ['kpis.kpi', 'org.kpi', 'problems.kpi', 'process.kpi', 'process.kpi']);
      const kpiRefs = await client.request<Location[]>('textDocument/references', { ...at('kpi-decl'), context: { includeDeclaration: false } });
      assert.deepEqual(kpiRefs.map(markerAt).filter((m) => !m.includes(':')).sort(), ['depends-ref', 'scorecard-ref']);
      const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', at('kpi-decl'));
      assert.equal(highlights.length, 4, 'declaration, depends, key result and scorecard');
      assert.equal(highlights.filter((h) => h.kind === 3).length, 1, 'one write: the declaration');
    });

    it('goes from drives to the objective, finds it there and renames it there', async () => {
      assert.equal(await definition('drives-ref'), 'objective-decl');
      const refs = await client.request<Location[]>('textDocument/references', { ...at('objective-decl'), context: { includeDeclaration: false } });
      assert.deepEqual(refs.map(markerAt), ['drives-ref']);
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('objective-decl'), newName: 'Profit' });
      const kpis = apply(edit)['kpis.kpi']!;
      assert.match(kpis, /drives \/\*@drives-ref\*\/Profit\n/);
      assert.match(kpis, /objective \/\*@objective-decl\*\/Profit "Protect margin"/);
    });

    it('reports a drives that names no objective, over the protocol', async () => {
      const probe = uri('drives-probe.kpi');
      await client.open(probe, 'objective Wrong "Wrong" {\n  owner BranchManager\n  key result LeadLogTime\n  drives LeadLogTime, Growth\n}\n');
      const published = await client.waitForDiagnostics(probe, (p) => p.diagnostics.some((d) => d.code === 'unknown-reference'));
      const unknown = published.diagnostics.filter((d) => d.code === 'unknown-reference');
      assert.deepEqual(unknown.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]), [[3, 9, 20]]);
      assert.match(String(unknown[0]!.message), /'LeadLogTime' is a kpi; here an objective is expected/);
      await client.close(probe);
    });

    it('renames a role across files', async () => {
      const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', at('owner-ref'));
      assert.equal(prepared.placeholder, 'SalesCoordinator');
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('owner-ref'), newName: 'LeadDesk' });
      expectGolden('rename-role', apply(edit));
    });

    it('renames a step, in its process and in Process.Step references', async () => {
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('member-ref'), newName: 'LogIt' });
      expectGolden('rename-step', apply(edit));
    });

    it('refuses a name that is not an identifier or that collides', async () => {
      await assert.rejects(client.request('textDocument/rename', { ...at('kpi-decl'), newName: '2fast' }), /not a name/);
      await assert.rejects(client.request('textDocument/rename', { ...at('kpi-decl'), newName: 'ApiUptime' }), /already declared as a kpi/);
      await assert.rejects(client.request('textDocument/prepareRename', { textDocument: at('kpi-decl').textDocument, position: { line: 1, character: 3 } }), /can be renamed/);
    });
  });

  describe('call hierarchy: how work and cause flow (features/flow.ts)', () => {
    /** The position of the first `needle` in a fixture file (the fixture has no marker on every name). */
    const find = (file: string, needle: string) => {
      const offset = sources[file]!.indexOf(needle);
      assert.ok(offset >= 0, `${needle} in ${file}`);
      return { textDocument: { uri: uri(file) }, position: LineIndex.of(sources[file]!).positionAt(offset) };
    };
    const prepare = async (where: { textDocument: { uri: string }; position: Position }) => {
      const items = await client.request<CallHierarchyItem[] | null>('textDocument/prepareCallHierarchy', where);
      return items ?? [];
    };
    const one = async (where: { textDocument: { uri: string }; position: Position }) => {
      const items = await prepare(where);
      assert.equal(items.length, 1, 'one item');
      return items[0]!;
    };
    const incoming = (item: CallHierarchyItem) => client.request<CallHierarchyIncomingCall[] | null>('callHierarchy/incomingCalls', { item });
    const outgoing = (item: CallHierarchyItem) => client.request<CallHierarchyOutgoingCall[] | null>('callHierarchy/outgoingCalls', { item });
    const rangeMarker = (item: CallHierarchyItem | { uri: string }, range: { start: Position }) => markerAt({ uri: item.uri, range });

    it('prepares a KPI, with its status and its owner, from its name or a reference to it', async () => {
      const kpi = await one(at('kpi-decl'));
      assert.equal(kpi.name, 'Lead logged within 2 hours');
      assert.equal(kpi.kind, 13, 'a Variable, as in the outline');
      assert.equal(kpi.detail, 'KPI · Amber · Sales Coordinator (Sales)');
      assert.equal(markerAt({ uri: kpi.uri, range: kpi.selectionRange }), 'kpi-decl');
      assert.deepEqual(await one(at('depends-ref')), kpi, 'the same item from a depends reference');
    });

    it("follows depends both ways: a KPI's incoming calls are the KPIs that need it, across functions", async () => {
      const calls = (await incoming(await one(at('kpi-decl'))))!;
      assert.deepEqual(calls.map((c) => c.from.name), ['API uptime']);
      assert.deepEqual(calls[0]!.fromRanges.map((r) => rangeMarker(calls[0]!.from, r)), ['depends-ref']);
      const uptime = calls[0]!.from;
      const needs = (await outgoing(uptime))!;
      assert.deepEqual(needs.map((c) => c.to.name), ['Lead logged within 2 hours']);
      assert.equal(needs[0]!.to.detail, 'cross-function hand-off · KPI · Amber · Sales Coordinator (Sales)', 'Engineering needs it from Sales');
      assert.deepEqual(needs[0]!.fromRanges.map((r) => rangeMarker(uptime, r)), ['depends-ref']);
    });

    it('follows supports and drives up to the objectives, and back', async () => {
      const kpi = await one(at('kpi-decl'));
      const supports = (await outgoing(kpi))!;
      assert.deepEqual(supports.map((c) => [c.to.name, c.to.detail]), [['Grow', 'objective · Branch Manager (Sales)']]);
      const drives = (await outgoing(supports[0]!.to))!;
      assert.deepEqual(drives.map((c) => c.to.name), ['Protect margin']);
      assert.deepEqual(drives[0]!.fromRanges.map((r) => rangeMarker(supports[0]!.to, r)), ['drives-ref']);
      const margin = await one(at('objective-decl'));
      assert.deepEqual((await incoming(margin))!.map((c) => c.from.name), ['Grow']);
      assert.deepEqual((await incoming(supports[0]!.to))!.map((c) => c.from.name), ['Lead logged within 2 hours']);
    });

    it('follows next between the steps of a process', async () => {
      const received = await one(at('step-decl'));
      assert.equal(received.name, 'Lead received');
      assert.equal(received.detail, 'Sales Coordinator (Sales) · step of Lead handling');
      const next = (await outgoing(received))!;
      assert.deepEqual(next.map((c) => c.to.name), ['Lead logged']);
      assert.deepEqual(next[0]!.fromRanges.map((r) => rangeMarker(received, r)), ['next-ref']);
      const logged = await one(at('next-ref'));
      assert.deepEqual((await incoming(logged))!.map((c) => [c.from.name, c.fromRanges.map((r) => rangeMarker(c.from, r))]), [['Lead received', ['next-ref']]]);
      assert.deepEqual(await outgoing(logged), []);
    });

    it('says where a step hands work to another owner, and to another function', async () => {
      const text = [
        'process Repair "Repair" {',
        '  owner BranchManager',
        '  step Intake "Intake" { owner SalesCoordinator  next Quote, Fix, Intake }',
        '  step Quote "Quote" { owner BranchManager }',
        '  step Fix "Fix" { owner HeadOfEngineering }',
        '}',
        '',
      ].join('\n');
      const file = uri('flow-probe.kpi');
      await client.open(file, text);
      try {
        const intake = await one({ textDocument: { uri: file }, position: LineIndex.of(text).positionAt(text.indexOf('Intake "')) });
        const calls = (await outgoing(intake))!;
        assert.deepEqual(calls.map((c) => [c.to.name, c.to.detail]), [
          ['Quote', 'hand-off · Branch Manager (Sales) · step of Repair'],
          ['Fix', 'cross-function hand-off · Head of Engineering (Engineering) · step of Repair'],
          ['Intake', 'Sales Coordinator (Sales) · step of Repair'],
        ]);
        // An item whose element has gone from the text has no calls, and no error.
        await client.change(file, 2, [{ text: text.replace(/Intake/g, 'Reception') }]);
        assert.equal(await outgoing(intake), null);
      } finally {
        await client.close(file);
      }
    });

    it('finds a KPI again when a role of the same file has its name', async () => {
      const text = 'role Analyst "Analyst"\nkpi Analyst "Analyst KPI" { owner Analyst  depends LeadLogTime }\n';
      const file = uri('flow-twice.kpi');
      await client.open(file, text);
      try {
        const kpi = await one({ textDocument: { uri: file }, position: LineIndex.of(text).positionAt(text.indexOf('Analyst "Analyst KPI"')) });
        assert.equal(kpi.name, 'Analyst KPI');
        assert.deepEqual((await outgoing(kpi))!.map((c) => c.to.name), ['Lead logged within 2 hours']);
      } finally {
        await client.close(file);
      }
    });

    it('has nothing to prepare on a role, a keyword or a blank', async () => {
      assert.deepEqual(await prepare(at('role-decl')), []);
      assert.deepEqual(await prepare(at('drives-kw')), []);
      assert.deepEqual(await prepare(find('org.kpi', '\nfunction Sales')), []);
    });
  });

  describe('smart selection (the cases are in test/selection.test.ts)', () => {
    it('answers each position with its ranges from the innermost out, and a blank line with the position itself', async () => {
      const where = at('next-ref');
      const [first, blank] = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: where.textDocument, positions: [where.position, { line: 5, character: 0 }] });
      const text = sources['process.kpi']!;
      const lines = LineIndex.of(text);
      const texts: string[] = [];
      for (let r: SelectionRange | undefined = first; r; r = r.parent) texts.push(text.slice(lines.offsetAt(r.range.start), lines.offsetAt(r.range.end)));
      assert.deepEqual(texts.slice(0, 3), ['/*@next-ref*/LogLead'.slice(13), 'next /*@next-ref*/LogLead', 'owner SalesCoordinator  next /*@next-ref*/LogLead']);
      assert.ok(texts[texts.length - 1]!.startsWith('process LeadHandling') && texts[texts.length - 1]!.endsWith('}'), 'the whole process last');
      assert.deepEqual(blank, { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } } }, 'a blank line between declarations: the position itself');
    });
  });

  describe('symbols', () => {
    it('outlines a document: processes with their steps', async () => {
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('process.kpi') } });
      assert.deepEqual(
        symbols.map((s) => [s.name, s.detail, (s.children ?? []).map((c) => c.name)]),
        [
          ['LeadHandling', 'Lead handling', ['ReceiveLead', 'LogLead']],
          ['LeadIntake', 'Lead intake', []],
        ],
      );
    });

    it('finds declarations and steps by fuzzy search', async () => {
      const found = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'llt' });
      assert.equal(found[0]!.name, 'LeadLogTime');
      const steps = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'LeadHandling.LogLead' });
      assert.equal(steps[0]!.name, 'LogLead');
      assert.equal(steps[0]!.containerName, 'LeadHandling');
    });
  });

  describe('quick fixes', () => {
    async function actionsAt(name: string, only?: string[]): Promise<CodeAction[]> {
      const target = at(name);
      const published = await client.waitForDiagnostics(target.textDocument.uri);
      const diagnostics = published.diagnostics.filter((d) => d.range.start.line === target.position.line && d.range.start.character === target.position.character);
      assert.ok(diagnostics.length > 0, `a diagnostic at ${name}`);
      return client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: target.textDocument,
        range: diagnostics[0]!.range,
        context: { diagnostics, ...(only ? { only } : {}) },
      });
    }

    it('adds the owner the linked step implies', async () => {
      const actions = await actionsAt('fix-missing-owner');
      const fix = actions.find((a) => a.isPreferred)!;
      assert.equal(fix.title, 'Add owner SalesCoordinator');
      expectGolden('fix-missing-owner', apply(fix.edit));
    });

    it('keeps one owner of several, and corrects a misspelt reference', async () => {
      const owners = await actionsAt('fix-multiple-owners');
      assert.deepEqual(owners.filter((a) => a.kind === 'quickfix' && a.title.startsWith('Keep')).map((a) => a.title), ['Keep only SalesCoordinator as owner', 'Keep only BranchManager as owner']);
      expectGolden('fix-multiple-owners', apply(owners.find((a) => a.isPreferred)!.edit));
      const typo = await actionsAt('fix-unknown');
      assert.ok(typo.some((a) => a.title === 'Change to SalesCoordinator' && a.isPreferred));
      assert.ok(typo.some((a) => a.title === 'Create role SalesCordinator'));
    });

    it('reads what a fix needs from the diagnostic data, not from its position', async () => {
      const target = at('fix-missing-owner');
      const published = await client.waitForDiagnostics(target.textDocument.uri);
      const diagnostic = published.diagnostics.find((d) => d.code === 'missing-owner' && d.range.start.line === target.position.line)!;
      assert.equal(typeof diagnostic.data, 'object', 'the payload is published as data');
      const ask = (sent: object) => client.request<CodeAction[]>('textDocument/codeAction', { textDocument: target.textDocument, range: diagnostic.range, context: { diagnostics: [sent], only: ['quickfix'] } });
      const full = (await ask(diagnostic)).map((a) => a.title);
      assert.ok(full.length > 1, 'the rule offers fixes of its own');
      // An editor that does not send data back gets the payload of the server's own diagnostic at that place.
      const bare = { ...diagnostic };
      delete bare.data;
      assert.deepEqual((await ask(bare)).map((a) => a.title), full);
      // A forged payload loses the rule's own fixes; a code no rule has gets no action at all.
      assert.deepEqual((await ask({ ...diagnostic, data: { block: { start: 'x' } } })).map((a) => a.title), ['Disable missing-owner for this line']);
      assert.deepEqual(await ask({ ...diagnostic, code: 'no-such-rule' }), []);
    });

    it('offers to disable the rule for the line', async () => {
      const actions = await actionsAt('fix-unknown');
      const disable = actions.find((a) => a.title === 'Disable unknown-reference for this line')!;
      expectGolden('fix-disable', apply(disable.edit));
    });

    it('fixes all auto-fixable problems of a document', async () => {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: uri('problems.kpi') },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      });
      assert.equal(actions.length, 1);
      const fixed = apply(actions[0]!.edit);
      expectGolden('fix-all', fixed);
      const ws = createWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => parseDate('2026-11-22')!, files: [...Object.entries({ ...sources, ...fixed })].filter(([k]) => k.endsWith('.kpi')).map(([key, text]) => ({ key, text })) });
      assert.deepEqual(allDiagnostics(ws).filter((d) => d.file === 'problems.kpi' && d.severity === 'error'), []);
    });
  });

  describe('folding, highlighting and formatting', () => {
    it('folds blocks', async () => {
      const ranges = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: uri('process.kpi') } });
      assert.ok(ranges.some((r) => r.startLine === 0), 'the process block');
      assert.ok(ranges.some((r) => r.startLine === 6), 'the sop block');
    });

    it('sends semantic tokens with the legend it announced', async () => {
      const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: uri('kpis.kpi') } });
      assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
      const ranged = await client.request<{ data: number[] }>('textDocument/semanticTokens/range', {
        textDocument: { uri: uri('kpis.kpi') },
        range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
      });
      assert.ok(ranged.data.length > 0 && ranged.data.length < tokens.data.length);
    });

    it('sends a delta of semantic tokens after an edit, which gives the full tokens of the new text', async () => {
      const text = 'role Teller\nkpi Queue "Queue" { owner Teller }\n';
      await client.open(uri('delta.kpi'), text);
      const first = await client.request<{ resultId: string; data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: uri('delta.kpi') } });
      await client.change(uri('delta.kpi'), 2, [{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 11 } }, text: 'Long ' }]);
      const delta = await client.request<{ resultId: string; edits: { start: number; deleteCount: number; data: number[] }[] }>('textDocument/semanticTokens/full/delta', {
        textDocument: { uri: uri('delta.kpi') },
        previousResultId: first.resultId,
      });
      assert.ok(delta.edits.length === 1 && delta.edits[0]!.deleteCount < first.data.length, 'one edit, not the whole list');
      const data = [...first.data];
      for (const edit of delta.edits) data.splice(edit.start, edit.deleteCount, ...edit.data);
      const full = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: uri('delta.kpi') } });
      assert.deepEqual(data, full.data);
    });

    it('formats a document, and leaves a broken one alone', async () => {
      const messy = 'kpi   Messy "m"{owner BranchManager target>=1\n frequency monthly}\n';
      await client.open(uri('messy.kpi'), messy);
      const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri('messy.kpi') }, options: { tabSize: 2, insertSpaces: true } });
      const formatted = applyTextEdits(messy, edits);
      assert.match(formatted, /^kpi Messy "m" \{\n {2}owner +BranchManager\n {2}target +>= 1\n {2}frequency +monthly\n\}\n$/);
      await client.open(uri('broken.kpi'), 'kpi Broken { owner\n');
      assert.deepEqual(await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri('broken.kpi') }, options: { tabSize: 2, insertSpaces: true } }), []);
    });
  });

  describe('lenses, hints and links', () => {
    it('shows the status above each kpi and the attached kpis above each process', async () => {
      const kpiLenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri('kpis.kpi') } });
      assert.match(kpiLenses[0]!.command!.title, /amber · 3\.4 \(2026-W47\)/);
      assert.match(kpiLenses[1]!.command!.title, /green · 99\.5 \(2026-10\)/);
      const processLenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri('process.kpi') } });
      assert.equal(processLenses[0]!.command!.title, '4 KPIs on 1 of 2 steps');
    });

    it("shows an owner's function and the status after the latest actual", async () => {
      const text = sources['kpis.kpi']!;
      const end = LineIndex.of(text).positionAt(text.length);
      const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: uri('kpis.kpi') }, range: { start: { line: 0, character: 0 }, end } });
      const labels = hints.map((h) => h.label);
      assert.ok(labels.includes('· Sales'), labels.join(', '));
      assert.ok(labels.includes('· Engineering'));
      assert.ok(labels.some((l) => typeof l === 'string' && l.startsWith('→ ') && l.includes('amber')));
    });

    it('links a data path to its file', async () => {
      const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri('kpis.kpi') } });
      assert.equal(links.length, 1);
      assert.equal(links[0]!.target, uri('data/uptime.csv'));
    });
  });
});

describe('the hover of an objective: its status and why (LANGUAGE.md 4.1)', () => {
  const KPIS = [
    'kpi Red "r" { target >= 10  actual 2026-10 5 }',
    'kpi Red2 "r2" { target >= 10  actual 2026-10 4 }',
    'kpi Amber "a" { target >= 10  thresholds { green >= 10  amber >= 5 }  actual 2026-10 7 }',
    'kpi Green "g" { target >= 10  actual 2026-10 12  supports ByKeyResults, BySupporters }',
    'kpi Empty "e" { target >= 10  supports Unscored }',
    'kpi Vague "v" { target "more"  actual 2026-10 3  supports Unscored }',
  ].join('\n');
  const OBJECTIVES = [
    'objective ByKeyResults "k" {\n  key result Amber\n  key result Red\n  key result Red2\n  key result Missing\n}',
    'objective BySupporters "s" {\n}',
    'objective Unscored "u" {\n}',
    'objective Unmeasured "n" {\n}',
    'objective NoDataKeyResult "d" {\n  key result Empty\n}',
  ].join('\n');
  const text = `${KPIS}\n${OBJECTIVES}\n`;
  const ws = createWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => parseDate('2026-11-22')!, files: [{ key: 'o.kpi', path: '/ws/o.kpi', text }] });
  const doc = ws.documents[0]!;
  const status = (objective: string) => {
    const card = hover(ws, doc, text.indexOf(`objective ${objective}`) + 'objective '.length)!.markdown;
    return /\*\*Status:\*\* (.*)/.exec(card)?.[1];
  };

  it('names the key results in the worst band; a key result that names no KPI does not count', () => {
    assert.equal(status('ByKeyResults'), '🔴 red — the worst among its key results: `Red`, `Red2` are red');
  });

  it('takes the KPIs that support it when it has no key result', () => {
    assert.equal(status('BySupporters'), '🟢 green — the worst among the KPIs that support it: `Green` is green');
  });

  it('is no data when nothing counts, and says why', () => {
    assert.equal(status('Unscored'), '⚪ no data — none of the KPIs that support it has a green, amber or red status yet');
    assert.equal(status('Unmeasured'), '⚪ no data — no key result and no KPI supports it');
    // Key results alone measure it, even unscored: supporters do not stand in (objectiveStatus).
    assert.equal(status('NoDataKeyResult'), '⚪ no data — none of its key results has a green, amber or red status yet');
  });

  it('says the same status as the scorecard', () => {
    const model = buildScorecardModel(ws);
    for (const objective of model.objectives) assert.ok(status(objective.name)!.includes(` ${objective.status === 'no-data' ? 'no data' : objective.status} — `), objective.name);
  });
});
