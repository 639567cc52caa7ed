// The scorecard preview's pure decisions (client/src/preview/logic.ts): view
// state and scope, refresh timing, the symbol under the cursor, the reveal
// column, export names; the messages between panel and page (messages.ts);
// and the page script's own decisions (client/media/src/logic.ts). The VS
// Code side is covered by the e2e suite, the page's DOM by the browser tests.
import * as assert from 'node:assert/strict';
import {
  basenameOfUri,
  chooseFolder,
  chooseRevealColumn,
  Debouncer,
  effectiveScope,
  exportFileName,
  exportTitle,
  folderChoices,
  folderOf,
  followDocument,
  messageHtml,
  pageTitle,
  panelTitle,
  paramsKey,
  parseViewState,
  RefreshScheduler,
  RenderGate,
  requestParams,
  revealContext,
  selectionNameAt,
  selectionSwitchesView,
  showDocument,
  shownFolder,
  symbolPathAt,
  toggleScope,
  type FolderInfo,
  type SymbolLike,
  type Timers,
  type ViewState,
} from '../client/src/preview/logic';
import { parsePageMessage, parsePanelMessage } from '../client/src/preview/messages';
import { matchesFilters, parseUiState, resultCountText, scrollDeltaToShow, searchTerms, type FilterKey } from '../client/media/src/logic';

/** A manual clock: timers fire only on `advance`. */
class FakeTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}

/** Lets pending promise callbacks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const A = 'file:///ws/sales.kpi';
const B = 'file:///ws/ops/delivery%20times.kpi';

describe('preview logic', () => {
  describe('view state', () => {
    it('parses what it persisted and rejects garbage', () => {
      assert.deepEqual(parseViewState({ scope: 'file', file: A }), { scope: 'file', file: A });
      assert.deepEqual(parseViewState({ scope: 'workspace' }), { scope: 'workspace' });
      assert.deepEqual(parseViewState({ scope: 'workspace', file: 3 }), { scope: 'workspace' });
      assert.equal(parseViewState({ scope: 'folder' }), undefined);
      assert.equal(parseViewState(undefined), undefined);
      assert.equal(parseViewState('file'), undefined);
    });

    it('toggles the scope and keeps the file', () => {
      const file: ViewState = { scope: 'file', file: A };
      assert.deepEqual(toggleScope(file), { scope: 'workspace', file: A });
      assert.deepEqual(toggleScope(toggleScope(file)), file);
    });

    it('follows .kpi documents only and keeps the last one', () => {
      const start: ViewState = { scope: 'file', file: A };
      assert.deepEqual(followDocument(start, B, 'kpi'), { scope: 'file', file: B });
      assert.equal(followDocument(start, 'file:///ws/notes.md', 'markdown'), start);
      assert.equal(followDocument(start, A, 'kpi'), start, 'same file: same object, nothing to refresh');
      // In workspace scope the file is still tracked, so a toggle shows the current one.
      assert.deepEqual(followDocument({ scope: 'workspace' }, B, 'kpi'), { scope: 'workspace', file: B });
    });

    it('asks for the file in file scope, the workspace otherwise', () => {
      assert.deepEqual(requestParams({ scope: 'file', file: A }), { scope: 'file', uri: A });
      // Without open folders the followed document stands for its own workspace.
      assert.deepEqual(requestParams({ scope: 'workspace', file: A }), { scope: 'workspace', uri: A });
      assert.deepEqual(requestParams({ scope: 'workspace' }), { scope: 'workspace' });
      // File scope before any .kpi file was seen shows the workspace.
      assert.equal(effectiveScope({ scope: 'file' }), 'workspace');
      assert.deepEqual(requestParams({ scope: 'file' }), { scope: 'workspace' });
      assert.notEqual(paramsKey({ scope: 'file', uri: A }), paramsKey({ scope: 'file', uri: B }));
      assert.equal(paramsKey({ scope: 'workspace' }), paramsKey(requestParams({ scope: 'file' })));
    });

    it('names the scope in the title', () => {
      assert.equal(panelTitle({ scope: 'workspace', file: A }), 'Scorecard: Workspace');
      assert.equal(panelTitle({ scope: 'file', file: B }), 'Scorecard: delivery times.kpi');
      assert.equal(panelTitle({ scope: 'file' }), 'Scorecard: Workspace');
      assert.equal(basenameOfUri('untitled:Untitled-1'), 'untitled:Untitled-1');
      assert.equal(basenameOfUri('file:///ws/a.kpi?x#y'), 'a.kpi');
      assert.equal(basenameOfUri('file:///ws/bad%E0.kpi'), 'bad%E0.kpi');
    });
  });

  describe('a multi-root workspace: the panel shows one open folder', () => {
    const ALPHA: FolderInfo = { uri: 'file:///work/alpha', name: 'alpha' };
    const BETA: FolderInfo = { uri: 'file:///work/beta', name: 'beta' };
    const INNER: FolderInfo = { uri: 'file:///work/alpha/inner/', name: 'inner' };
    const FOLDERS = [ALPHA, BETA];
    const alphaKpis = `${ALPHA.uri}/kpis.kpi`;
    const betaKpis = `${BETA.uri}/kpis.kpi`;
    const betaOrg = `${BETA.uri}/org.kpi`;

    it('finds the innermost open folder of a document, on whole path segments', () => {
      assert.equal(folderOf(FOLDERS, betaKpis), BETA);
      assert.equal(folderOf([ALPHA, INNER], `${ALPHA.uri}/inner/kpis.kpi`), INNER, 'the nested folder, whatever the order');
      assert.equal(folderOf([INNER, ALPHA], `${ALPHA.uri}/inner/kpis.kpi`), INNER);
      assert.equal(folderOf([INNER, ALPHA], alphaKpis), ALPHA);
      assert.equal(folderOf(FOLDERS, 'file:///work/alphabet/kpis.kpi'), undefined, 'alphabet is not inside alpha');
      assert.equal(folderOf(FOLDERS, 'untitled:Untitled-1'), undefined);
    });

    it('follows the active document into its folder and asks for that folder', () => {
      const inBeta = followDocument({ scope: 'workspace' }, betaKpis, 'kpi', FOLDERS);
      assert.deepEqual(inBeta, { scope: 'workspace', file: betaKpis, folder: BETA.uri });
      assert.deepEqual(requestParams(inBeta, FOLDERS), { scope: 'workspace', folder: BETA.uri });
      const inAlpha = followDocument(inBeta, alphaKpis, 'kpi', FOLDERS);
      assert.deepEqual(requestParams(inAlpha, FOLDERS), { scope: 'workspace', folder: ALPHA.uri });
      assert.notEqual(paramsKey(requestParams(inBeta, FOLDERS)), paramsKey(requestParams(inAlpha, FOLDERS)));
      // A document outside every folder keeps the folder shown.
      assert.deepEqual(requestParams(followDocument(inBeta, 'file:///elsewhere/x.kpi', 'kpi', FOLDERS), FOLDERS), { scope: 'workspace', folder: BETA.uri });
      // In file scope the file itself is asked for; its folder is named in the heading.
      assert.deepEqual(requestParams(toggleScope(inBeta), FOLDERS), { scope: 'file', uri: betaKpis });
      assert.equal(shownFolder(toggleScope(inBeta), FOLDERS), BETA);
    });

    it('shows the first folder until a document or the reader says otherwise, and a removed folder no longer', () => {
      assert.deepEqual(requestParams({ scope: 'workspace' }, FOLDERS), { scope: 'workspace', folder: ALPHA.uri });
      const removed: ViewState = { scope: 'workspace', file: betaKpis, folder: 'file:///work/gone' };
      assert.equal(shownFolder(removed, FOLDERS), BETA, 'the followed document’s folder');
      assert.equal(shownFolder({ scope: 'workspace', folder: 'file:///work/gone' }, FOLDERS), ALPHA);
    });

    it('keeps a chosen folder while the same document stays active; another document or "Open in scorecard" shows its own', () => {
      const inBeta = followDocument({ scope: 'file' }, betaKpis, 'kpi', FOLDERS);
      const chosen = chooseFolder(inBeta, ALPHA.uri);
      assert.deepEqual(chosen, { scope: 'workspace', file: betaKpis, folder: ALPHA.uri }, 'choosing a folder shows its whole workspace');
      assert.equal(chooseFolder(chosen, ALPHA.uri), chosen, 'the same choice again changes nothing');
      assert.equal(followDocument(chosen, betaKpis, 'kpi', FOLDERS), chosen, 'focus back in the same editor keeps the choice');
      assert.equal(followDocument(chosen, betaOrg, 'kpi', FOLDERS).folder, BETA.uri, 'another document of beta shows beta');
      const shown = showDocument(chosen, betaKpis, FOLDERS);
      assert.equal(shown.folder, BETA.uri, 'an explicit "Open in scorecard" on beta’s file shows beta');
      assert.equal(showDocument(shown, betaKpis, FOLDERS), shown, 'nothing changes when it shows already');
    });

    it('restores a persisted folder and ignores a broken one', () => {
      assert.deepEqual(parseViewState({ scope: 'workspace', file: betaKpis, folder: BETA.uri }), { scope: 'workspace', file: betaKpis, folder: BETA.uri });
      assert.deepEqual(parseViewState({ scope: 'workspace', folder: 7 }), { scope: 'workspace' });
      assert.deepEqual(parseViewState({ scope: 'workspace', folder: '' }), { scope: 'workspace' });
    });

    it('names the folder in the tab title and the heading only when several are open', () => {
      const inBeta: ViewState = { scope: 'workspace', file: betaKpis, folder: BETA.uri };
      assert.equal(panelTitle(inBeta, FOLDERS), 'Scorecard: beta');
      assert.equal(pageTitle(inBeta, FOLDERS), 'KPI Scorecard — beta');
      assert.equal(panelTitle(toggleScope(inBeta), FOLDERS), 'Scorecard: kpis.kpi');
      assert.equal(pageTitle(toggleScope(inBeta), FOLDERS), 'KPI Scorecard — beta');
      assert.equal(panelTitle(inBeta, [BETA]), 'Scorecard: Workspace');
      assert.equal(pageTitle(inBeta, [BETA]), undefined);
    });

    it('offers every open folder to choose from, the shown one marked', () => {
      assert.deepEqual(folderChoices({ scope: 'workspace', folder: BETA.uri }, FOLDERS), [
        { label: 'alpha', uri: ALPHA.uri },
        { label: 'beta', uri: BETA.uri, description: 'shown now' },
      ]);
    });

    it('resolves a clicked card’s file in the folder or document shown', () => {
      assert.equal(revealContext({ scope: 'workspace', folder: BETA.uri }), BETA.uri);
      assert.equal(revealContext({ scope: 'file', uri: betaKpis }), betaKpis);
      assert.equal(revealContext({ scope: 'workspace' }), undefined);
    });
  });

  describe('Debouncer', () => {
    it('runs the last callback once, after the quiet time', () => {
      const timers = new FakeTimers();
      const d = new Debouncer(100, timers);
      const calls: string[] = [];
      d.trigger(() => calls.push('a'));
      timers.advance(60);
      d.trigger(() => calls.push('b'));
      timers.advance(60);
      assert.deepEqual(calls, []);
      assert.equal(d.isPending, true);
      timers.advance(40);
      assert.deepEqual(calls, ['b']);
      assert.equal(d.isPending, false);
    });

    it('does nothing after dispose', () => {
      const timers = new FakeTimers();
      const d = new Debouncer(100, timers);
      const calls: string[] = [];
      d.trigger(() => calls.push('a'));
      d.dispose();
      assert.equal(timers.pending, 0, 'the pending timer is cancelled');
      d.trigger(() => calls.push('b'));
      timers.advance(500);
      assert.deepEqual(calls, []);
    });
  });

  describe('RefreshScheduler', () => {
    it('renders at once the first time, then debounces bursts into one refresh', async () => {
      const timers = new FakeTimers();
      let runs = 0;
      const s = new RefreshScheduler(async () => void runs++, 250, timers);
      await s.runNow();
      assert.equal(runs, 1);
      for (let i = 0; i < 5; i++) {
        s.schedule();
        timers.advance(100);
      }
      await flush();
      assert.equal(runs, 1, 'still typing');
      timers.advance(250);
      await flush();
      assert.equal(runs, 2);
    });

    it('never runs two at a time: triggers during a run make one more run after it', async () => {
      const timers = new FakeTimers();
      const gates: { resolve: () => void }[] = [];
      let active = 0;
      let maxActive = 0;
      let runs = 0;
      const s = new RefreshScheduler(
        async () => {
          runs++;
          active++;
          maxActive = Math.max(maxActive, active);
          const d = deferred();
          gates.push(d);
          await d.promise;
          active--;
        },
        250,
        timers,
      );
      void s.runNow();
      await flush();
      void s.runNow();
      s.schedule();
      timers.advance(250);
      void s.runNow();
      await flush();
      assert.equal(runs, 1);
      gates[0]!.resolve();
      await flush();
      assert.equal(runs, 2, 'exactly one more run');
      gates[1]!.resolve();
      await flush();
      assert.equal(runs, 2);
      assert.equal(maxActive, 1);
      assert.equal(s.isPending, false);
    });

    it('runNow drops a pending debounced run', async () => {
      const timers = new FakeTimers();
      let runs = 0;
      const s = new RefreshScheduler(async () => void runs++, 250, timers);
      s.schedule();
      await s.runNow();
      timers.advance(1000);
      await flush();
      assert.equal(runs, 1);
    });

    it('keeps going after a failing run', async () => {
      const timers = new FakeTimers();
      let runs = 0;
      const s = new RefreshScheduler(
        async () => {
          runs++;
          if (runs === 1) throw new Error('server down');
        },
        250,
        timers,
      );
      await s.runNow();
      await s.runNow();
      assert.equal(runs, 2);
    });

    it('cancels the pending timer on dispose and runs nothing after', async () => {
      const timers = new FakeTimers();
      let runs = 0;
      const s = new RefreshScheduler(async () => void runs++, 250, timers);
      s.schedule();
      s.dispose();
      assert.equal(timers.pending, 0);
      timers.advance(1000);
      await s.runNow();
      s.schedule();
      timers.advance(1000);
      await flush();
      assert.equal(runs, 0);
    });

    it('does not start the queued extra run once disposed', async () => {
      const timers = new FakeTimers();
      const d = deferred();
      let runs = 0;
      const s = new RefreshScheduler(
        async () => {
          runs++;
          await d.promise;
        },
        250,
        timers,
      );
      const first = s.runNow();
      void s.runNow();
      s.dispose();
      d.resolve();
      await first;
      assert.equal(runs, 1);
    });
  });

  describe('RenderGate', () => {
    it('skips an unchanged model and renders again after a reset', () => {
      const gate = new RenderGate();
      const model = JSON.stringify({ kpis: [{ name: 'Revenue' }] });
      assert.equal(gate.changed(model), true);
      assert.equal(gate.changed(JSON.stringify({ kpis: [{ name: 'Revenue' }] })), false);
      assert.equal(gate.changed(JSON.stringify({ kpis: [] })), true);
      assert.equal(gate.changed(model), true);
      gate.reset();
      assert.equal(gate.changed(model), true);
    });
  });

  describe('the symbol under the cursor', () => {
    const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
    // VS Code SymbolKind numbers: Module 1, Package 3, Method 5, Variable 12, Field 7.
    const symbols: SymbolLike[] = [
      { name: 'Revenue', kind: 12, range: range(0, 0, 4, 1) },
      {
        name: 'LeadToCash',
        kind: 1,
        range: range(6, 0, 20, 1),
        children: [
          { name: 'Qualify', kind: 5, range: range(8, 2, 11, 3) },
          { name: 'Invoice', kind: 5, range: range(12, 2, 15, 3) },
        ],
      },
      {
        name: 'Company',
        kind: 3,
        range: range(22, 0, 26, 1),
        children: [{ name: 'financial', kind: 7, range: range(23, 2, 23, 30) }],
      },
    ];
    const FIELD = 7;

    it('finds the innermost symbol containing the cursor, qualified by its parents', () => {
      assert.equal(selectionNameAt(symbols, { line: 2, character: 5 }, [FIELD]), 'Revenue');
      assert.equal(selectionNameAt(symbols, { line: 9, character: 0 }, [FIELD]), 'LeadToCash.Qualify', 'a step as the preview names it');
      assert.equal(selectionNameAt(symbols, { line: 16, character: 0 }, [FIELD]), 'LeadToCash', 'between steps');
      assert.deepEqual(
        symbolPathAt(symbols, { line: 12, character: 2 }).map((s) => s.name),
        ['LeadToCash', 'Invoice'],
      );
    });

    it('includes both ends of a range', () => {
      assert.equal(selectionNameAt(symbols, { line: 0, character: 0 }), 'Revenue');
      assert.equal(selectionNameAt(symbols, { line: 4, character: 1 }), 'Revenue');
      assert.equal(selectionNameAt(symbols, { line: 4, character: 2 }), undefined);
    });

    it('skips the skipped kinds (scorecard perspectives) for their parent', () => {
      assert.equal(selectionNameAt(symbols, { line: 23, character: 10 }, [FIELD]), 'Company');
      assert.equal(selectionNameAt(symbols, { line: 23, character: 10 }), 'Company.financial');
    });

    it('is undefined between declarations and for no symbols', () => {
      assert.equal(selectionNameAt(symbols, { line: 5, character: 0 }), undefined);
      assert.equal(selectionNameAt([], { line: 0, character: 0 }), undefined);
    });

    it('takes the later-starting one when siblings overlap', () => {
      const overlapping: SymbolLike[] = [
        { name: 'Outer', range: range(0, 0, 10, 0) },
        { name: 'Inner', range: range(3, 0, 5, 0) },
      ];
      assert.equal(selectionNameAt(overlapping, { line: 4, character: 0 }), 'Inner');
    });
  });

  describe('click-through', () => {
    it('accepts well-formed page messages only', () => {
      assert.deepEqual(parsePageMessage({ type: 'ready', version: 3 }), { type: 'ready', version: 3 });
      assert.deepEqual(parsePageMessage({ type: 'ready', version: 'x' }), { type: 'ready', version: 0 });
      assert.deepEqual(parsePageMessage({ type: 'reveal', file: 'sales.kpi', line: 3, character: 4 }), {
        type: 'reveal',
        file: 'sales.kpi',
        line: 3,
        character: 4,
      });
      assert.deepEqual(parsePageMessage({ type: 'reveal', file: 'a.kpi', line: -1, character: 1.5 }), {
        type: 'reveal',
        file: 'a.kpi',
        line: 0,
        character: 0,
      });
      assert.deepEqual(parsePageMessage({ type: 'reveal', file: 'a.kpi', line: 1, character: 2, kind: 'step', name: 'P.S' }), {
        type: 'reveal',
        file: 'a.kpi',
        line: 1,
        character: 2,
        kind: 'step',
        name: 'P.S',
      });
      assert.equal(parsePageMessage({ type: 'reveal', line: 3 }), undefined);
      assert.equal(parsePageMessage({ type: 'select', name: 'X' }), undefined);
      assert.equal(parsePageMessage(null), undefined);
      assert.equal(parsePageMessage('reveal'), undefined);
    });

    it('opens where the document is visible, else in the last text column, never over the panel', () => {
      assert.equal(chooseRevealColumn({ documentColumns: [3], lastTextEditorColumn: 1, panelColumn: 2 }), 3);
      assert.equal(chooseRevealColumn({ documentColumns: [2, 1], panelColumn: 2 }), 1, 'not the copy in the panel’s group');
      assert.equal(chooseRevealColumn({ documentColumns: [], lastTextEditorColumn: 3, panelColumn: 2 }), 3);
      assert.equal(chooseRevealColumn({ documentColumns: [], lastTextEditorColumn: 2, panelColumn: 2 }), 1);
      assert.equal(chooseRevealColumn({ documentColumns: [], panelColumn: 2 }), 1);
      // Restored alone in the first group: open beside it.
      assert.equal(chooseRevealColumn({ documentColumns: [], panelColumn: 1 }), 2);
      assert.equal(chooseRevealColumn({ documentColumns: [] }), 1);
    });
  });

  describe('export', () => {
    it('names the file after the scope', () => {
      assert.equal(exportFileName('html', { scope: 'workspace' }), 'scorecard.html');
      assert.equal(exportFileName('markdown', { scope: 'workspace' }), 'scorecard.md');
      assert.equal(exportFileName('csv', { scope: 'file', uri: A }), 'sales-scorecard.csv');
      assert.equal(exportFileName('json', { scope: 'file', uri: B }), 'delivery times-scorecard.json');
      assert.equal(exportTitle({ scope: 'workspace' }, 'acme'), 'KPI Scorecard — acme');
      assert.equal(exportTitle({ scope: 'workspace' }, undefined), 'KPI Scorecard');
      assert.equal(exportTitle({ scope: 'file', uri: A }, 'acme'), 'KPI Scorecard — sales.kpi');
    });
  });

  describe('fallback page', () => {
    it('escapes the message, allows no script, and uses the webview source for styles', () => {
      const html = messageHtml('<b>down</b>', 'vscode-resource:', 'Error: "x" & y');
      assert.match(html, /&#60;b&#62;down&#60;\/b&#62;/);
      assert.match(html, /&#34;x&#34; &#38; y/);
      assert.match(html, /default-src 'none'/);
      assert.match(html, /style-src vscode-resource:/);
      assert.doesNotMatch(html, /<script/);
    });
  });

  describe('messages to the page', () => {
    const views = { scorecard: 'a', agenda: 'b', reviews: 'c', processes: 'd', objectives: 'e', handoffs: 'f', owners: 'g' };
    const regions = { summary: 's', tabs: 't', toolbar: 'b', views, footer: 'f' };
    it('accepts well-formed content and select messages only', () => {
      assert.deepEqual(parsePanelMessage({ type: 'content', version: 2, regions }), { type: 'content', version: 2, regions });
      assert.equal(parsePanelMessage({ type: 'content', version: 2, regions: { ...regions, views: 1 } }), undefined);
      assert.equal(parsePanelMessage({ type: 'content', version: 2, regions: { ...regions, views: { ...views, owners: undefined } } }), undefined, 'all the content lacks a view');
      assert.equal(parsePanelMessage({ type: 'content', version: -1, regions }), undefined);
      // A change since `base`: any of the regions, whole views, and parts of views.
      const change = { tabs: 't2', views: { agenda: 'b2' }, parts: { scorecard: [[3, '<!--p-->x<!--/p-->']] } };
      assert.deepEqual(parsePanelMessage({ type: 'content', version: 3, base: 2, regions: change }), { type: 'content', version: 3, base: 2, regions: change });
      assert.deepEqual(parsePanelMessage({ type: 'content', version: 3, base: 2, regions: {} }), { type: 'content', version: 3, base: 2, regions: {} });
      assert.equal(parsePanelMessage({ type: 'content', version: 3, base: 2, regions: { parts: { scorecard: [[-1, 'x']] } } }), undefined);
      assert.equal(parsePanelMessage({ type: 'content', version: 3, base: 2, regions: { parts: { scorecard: [['1', 'x']] } } }), undefined);
      assert.equal(parsePanelMessage({ type: 'content', version: 3, base: 2, regions: { tabs: 1 } }), undefined);
      assert.equal(parsePanelMessage({ type: 'content', version: 3, regions: { ...regions, parts: { scorecard: [[0, 'x']] } } }), undefined, 'parts only in a change since a base');
      // Runs of parts spliced in and out.
      const spliced = { splices: { scorecard: [[2, 0, ['<!--p-->n<!--/p-->'], 'previous'], [5, 1, [], 'next']] } };
      assert.deepEqual(parsePanelMessage({ type: 'content', version: 3, base: 2, regions: spliced }), { type: 'content', version: 3, base: 2, regions: spliced });
      for (const bad of [[[2, 0, ['x'], 'left']], [[2, -1, [], 'next']], [[2, 0, 'x', 'next']], [[2, 0, [1], 'next']], [[2, 0, []]], 'x']) {
        assert.equal(parsePanelMessage({ type: 'content', version: 3, base: 2, regions: { splices: { scorecard: bad } } }), undefined, JSON.stringify(bad));
      }
      assert.equal(parsePanelMessage({ type: 'content', version: 3, regions: { ...regions, ...spliced } }), undefined, 'splices only in a change since a base');
      assert.deepEqual(parsePanelMessage({ type: 'select', name: 'A', switchView: false }), { type: 'select', name: 'A', switchView: false });
      assert.deepEqual(parsePanelMessage({ type: 'select', name: 'A' }), { type: 'select', name: 'A', switchView: true });
      assert.equal(parsePanelMessage({ type: 'select', name: '' }), undefined);
      assert.equal(parsePanelMessage({ type: 'reveal', file: 'a.kpi' }), undefined);
      assert.equal(parsePanelMessage(undefined), undefined);
    });

    it('lets only a cursor move the person made switch the preview’s view (opening a file does not)', () => {
      assert.equal(selectionSwitchesView(undefined), false, 'the cursor an opened file starts with');
      assert.equal(selectionSwitchesView(1), true, 'keyboard');
      assert.equal(selectionSwitchesView(2), true, 'mouse');
      assert.equal(selectionSwitchesView(3), true, 'command');
    });
  });

  describe('the page script', () => {
    it('restores a saved UI state defensively', () => {
      assert.deepEqual(parseUiState(undefined), { view: 'scorecard', filters: {}, search: '', scroll: {} });
      assert.deepEqual(parseUiState({ view: 'owners', filters: { status: 'amber', bogus: 'x', owner: 3 }, search: 'head', scroll: { owners: 120, scorecard: -5 } }), {
        view: 'owners',
        filters: { status: 'amber' },
        search: 'head',
        scroll: { owners: 120 },
      });
      assert.equal(parseUiState({ view: 'nowhere' }).view, 'scorecard');
    });

    it('filters by every chosen value and every search word; a filter not applying to an item lets it pass', () => {
      const item = (values: Partial<Record<FilterKey, string[]>>, search: string | null = null) => ({ values: (key: FilterKey) => values[key] ?? null, search });
      assert.equal(matchesFilters(item({ status: ['amber', 'stale'] }), { status: 'amber' }, []), true);
      assert.equal(matchesFilters(item({ status: ['green'] }), { status: 'amber' }, []), false);
      assert.equal(matchesFilters(item({}), { status: 'amber' }, []), true);
      assert.equal(matchesFilters(item({}, 'inside sales lead'), {}, searchTerms('  Sales   LEAD ')), true);
      assert.equal(matchesFilters(item({}, 'inside sales'), {}, searchTerms('sales lead')), false);
    });

    it('counts what the current view shows', () => {
      assert.equal(resultCountText('scorecard', 2, 8, true), 'Showing 2 of 8 KPI cards');
      assert.equal(resultCountText('processes', 1, 7, true), 'Showing 1 of 7 steps');
      assert.equal(resultCountText('owners', 1, 1, true), 'Showing 1 of 1 owner');
      assert.equal(resultCountText('processes', 7, 7, false), '');
    });

    it('scrolls only as far as needed to show a card', () => {
      assert.equal(scrollDeltaToShow({ top: 100, bottom: 200 }, 800), 0, 'already visible');
      assert.equal(scrollDeltaToShow({ top: 900, bottom: 1000 }, 800), 550, 'below: centred');
      assert.equal(scrollDeltaToShow({ top: -300, bottom: -200 }, 800), -650, 'above: centred');
      assert.equal(scrollDeltaToShow({ top: 900, bottom: 2000 }, 800), 892, 'taller than the window: its top in view');
    });
  });
});
