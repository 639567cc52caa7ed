// The exported scorecard HTML in a real browser (Debian's Chromium, driven by
// playwright-core): cards and statuses visible, tabs with the keyboard,
// filters and search, JavaScript off, the panel's messages and state, and a
// hostile model that must run nothing. Saves screenshots to test-results/.
//
// CI installs Chromium with `apt-get install -y chromium`; without it this
// suite fails with a message that says so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PageRenderer, renderHtml, renderRegions } from '../server/src/language/scorecard/render/html';
import { hostileModel, realisticModel } from './support/scorecard-models';
import type { KpiCard, ScorecardModel } from '../server/src/language/scorecard/model';
import { FAKE_VSCODE_API, launchChromium } from './support/browser';
import { webviewAssets } from './support/webview-assets';

// The page's globals, for the callbacks that run in the browser (the tsconfig has no DOM lib).
declare const window: any;
declare const document: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; lineHeight: string; fontSize: string };

const RESULTS = path.resolve('test-results');
const NONCE = 'bR0wserN0nce';

/** Records CSP violations, dialogs, page errors and console errors of a page. */
interface Watch {
  dialogs: string[];
  errors: string[];
}

const CSP_WATCH = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });
`;

async function open(context: BrowserContext, file: string, init?: { script: string }): Promise<{ page: Page; watch: Watch }> {
  const page = await context.newPage();
  const watch: Watch = { dialogs: [], errors: [] };
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => watch.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') watch.errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(CSP_WATCH);
  if (init) await page.addInitScript(init.script);
  await page.goto(pathToFileURL(file).href);
  return { page, watch };
}

async function assertClean(page: Page, watch: Watch): Promise<void> {
  assert.deepEqual(await page.evaluate(() => window.__csp as string[]), [], 'no CSP violation');
  assert.deepEqual(watch.dialogs, [], 'no dialog');
  assert.deepEqual(watch.errors, [], 'no error');
}

describe('scorecard HTML in Chromium', function () {
  this.timeout(30000);
  let browser: Browser | undefined;
  let dir: string;
  let exportFile: string;
  let hostileFile: string;
  let panelFile: string;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-scorecard-'));
    exportFile = path.join(dir, 'scorecard.html');
    hostileFile = path.join(dir, 'hostile.html');
    panelFile = path.join(dir, 'panel.html');
    fs.writeFileSync(exportFile, renderHtml(realisticModel(), { mode: 'export', nonce: NONCE, assets: webviewAssets() }));
    fs.writeFileSync(hostileFile, renderHtml(hostileModel(), { mode: 'export', nonce: NONCE, assets: webviewAssets(), title: '<img src=x onerror="window.__pwned=1">' }));
    fs.writeFileSync(panelFile, renderHtml(realisticModel(), { mode: 'panel', nonce: NONCE, assets: webviewAssets(), cspSource: 'vscode-webview-resource:' }));
    fs.mkdirSync(RESULTS, { recursive: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const context = (options: Parameters<Browser['newContext']>[0] = {}) => browser!.newContext({ viewport: { width: 1280, height: 900 }, ...options });

  it('shows the scorecard: cards, statuses, tabs, filters, search and the process view', async () => {
    const ctx = await context();
    const { page, watch } = await open(ctx, exportFile);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('js')), true, 'the nonced script ran');
    const scorecard = page.locator('#view-scorecard');
    const cards = scorecard.locator('article.kpi');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 8);
    for (let i = 0; i < 8; i++) assert.ok(await cards.nth(i).isVisible(), `card ${i} visible`);
    for (const word of ['Green', 'Amber', 'Red', 'No data', 'Unscored']) {
      assert.ok(await scorecard.locator('.chip .st-word', { hasText: word }).first().isVisible(), word);
    }
    for (const label of ['Financial', 'Customer', 'Internal Process', 'Learning & Growth', 'Unplaced']) {
      assert.ok(await scorecard.locator('.persp-label', { hasText: label }).first().isVisible(), label);
    }
    assert.ok(await page.locator('.spark').first().isVisible());
    await page.screenshot({ path: path.join(RESULTS, 'scorecard.png'), fullPage: true });

    // Tabs: role=tablist, one view at a time, arrows move between them.
    assert.equal(await page.locator('[role="tablist"] [role="tab"]').count(), 7);
    assert.equal(await page.locator('#view-processes').isVisible(), false);
    await page.getByRole('tab', { name: /Processes/ }).click();
    assert.equal(await page.locator('#view-processes').isVisible(), true);
    assert.equal(await scorecard.isVisible(), false);
    assert.equal(await page.getByRole('tab', { name: /Processes/ }).getAttribute('aria-selected'), 'true');
    const steps = page.locator('#view-processes article.step');
    assert.equal(await steps.count(), 7);
    assert.ok(await page.locator('article.step[data-name="LeadHandling.Contact"]').isVisible());
    assert.equal(await page.locator('#view-processes .connector.handoff:visible').count(), 3);
    assert.ok(await page.locator('#view-processes .sop', { hasText: 'Promoter Sales Pitch' }).isVisible());
    await page.screenshot({ path: path.join(RESULTS, 'scorecard-processes.png'), fullPage: true });
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#view-objectives').isVisible(), true);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-objectives');
    await page.keyboard.press('End');
    assert.equal(await page.locator('#view-owners').isVisible(), true);
    await page.keyboard.press('ArrowRight');
    assert.equal(await scorecard.isVisible(), true, 'wraps around to the first tab');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('#view-owners').isVisible(), true);
    await page.keyboard.press('Home');
    assert.equal(await scorecard.isVisible(), true);

    // Filters.
    const visibleCards = () => scorecard.locator('article.kpi:visible').count();
    await page.selectOption('select[data-filter="status"]', 'amber');
    assert.equal(await visibleCards(), 2);
    assert.equal(await page.locator('#result-count').textContent(), 'Showing 2 of 8 KPI cards');
    await page.selectOption('select[data-filter="status"]', 'stale');
    assert.equal(await visibleCards(), 1);
    await page.click('#clear-filters');
    assert.equal(await visibleCards(), 8);
    await page.selectOption('select[data-filter="owner"]', 'ServiceHead');
    assert.equal(await visibleCards(), 2);
    await page.selectOption('select[data-filter="owner"]', '');
    await page.selectOption('select[data-filter="function"]', 'HR');
    assert.equal(await visibleCards(), 1);
    await page.selectOption('select[data-filter="function"]', '');
    await page.selectOption('select[data-filter="perspective"]', 'customer');
    assert.equal(await visibleCards(), 2);
    assert.ok(await scorecard.locator('.persp-financial .filtered-note').first().isVisible(), 'an emptied perspective says so');
    await page.click('#clear-filters');

    // Search.
    await page.fill('#search', 'promoter');
    assert.equal(await visibleCards(), 2);
    await page.fill('#search', 'zzz-nothing');
    assert.equal(await visibleCards(), 0);
    assert.equal(await scorecard.locator('section.scorecard').first().isVisible(), false, 'an emptied scorecard hides');
    await page.focus('#search');
    await page.keyboard.press('Escape');
    assert.equal(await page.inputValue('#search'), '');
    assert.equal(await visibleCards(), 8);
    // The filter applies to the other views too.
    await page.fill('#search', 'inside sales');
    await page.getByRole('tab', { name: /Processes/ }).click();
    assert.equal(await page.locator('#view-processes article.step:visible').count(), 2);
    await page.click('#clear-filters');

    // Cross-links: a KPI in the objectives view leads to its card.
    await page.getByRole('tab', { name: /Objectives/ }).click();
    await page.locator('#view-objectives a.kref', { hasText: 'Net margin per product' }).first().click();
    assert.equal(await scorecard.isVisible(), true);
    assert.equal(await page.locator('#kpi-NetMargin').evaluate((el) => el.classList.contains('selected')), true);
    // Enter on a card in export mode does nothing harmful.
    await page.focus('#kpi-SellOutGrowth');
    await page.keyboard.press('Enter');
    await assertClean(page, watch);
    await ctx.close();
  });

  it('collapses to one column at a narrow width, and follows a dark colour scheme', async () => {
    const ctx = await context({ viewport: { width: 420, height: 900 }, colorScheme: 'dark' });
    const { page, watch } = await open(ctx, exportFile);
    const boxes = await page.locator('#view-scorecard .scorecard:not(.unlisted) .persp').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, right: r.right }; }));
    assert.equal(boxes.length, 4);
    assert.ok(boxes.every((b) => Math.abs(b.x - boxes[0]!.x) < 1), 'the perspectives stack');
    assert.ok(boxes.every((b) => b.right <= 420), 'nothing overflows');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scroll (${overflow}px)`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(30, 30, 30)', 'the dark fallback');
    await page.screenshot({ path: path.join(RESULTS, 'scorecard-narrow-dark.png'), fullPage: false });
    await assertClean(page, watch);
    await ctx.close();
  });

  it('shows every view with JavaScript disabled', async () => {
    const ctx = await context({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(exportFile).href);
    for (const id of ['scorecard', 'agenda', 'reviews', 'processes', 'objectives', 'handoffs', 'owners']) assert.ok(await page.locator(`#view-${id}`).isVisible(), id);
    assert.equal(await page.locator('#view-processes article.step:visible').count(), 7);
    assert.equal(await page.locator('.toolbar').isVisible(), false, 'no dead filters');
    assert.equal(await page.locator('#view-scorecard article.kpi:visible').count(), 8);
    await ctx.close();
  });

  it('runs nothing from a hostile model', async () => {
    const ctx = await context();
    const { page, watch } = await open(ctx, hostileFile);
    await page.locator('article.kpi').first().waitFor();
    for (const tab of ['Joint reviews', 'Processes', 'Objectives', 'Owners', 'Scorecard']) {
      await page.getByRole('tab', { name: new RegExp(tab) }).click();
      await page.waitForTimeout(50);
    }
    await page.fill('#search', '<img src=x onerror=alert(1)>');
    await page.fill('#search', '');
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('img, iframe, object, embed').count(), 0);
    assert.equal(await page.locator('script').count(), 1);
    const text = await page.locator('body').innerText();
    assert.ok(text.includes('<img src=x onerror=alert(1)>'), 'shown as text');
    assert.ok(text.includes('</script><script>window.__pwned=1</script>'));
    assert.equal(await page.title(), '<img src=x onerror="window.__pwned=1"> — 2026-11-22');
    await page.screenshot({ path: path.join(RESULTS, 'scorecard-hostile.png'), fullPage: false });
    await assertClean(page, watch);
    await ctx.close();
  });

  it('in panel mode: reveals on click and Enter, selects on message, keeps its state across re-renders', async () => {
    const ctx = await context();
    // A stand-in for the VS Code webview API, as plain JavaScript (no transpiled helpers).
    const fake = (saved: unknown) => `
      window.__messages = [];
      window.__state = ${JSON.stringify(saved ?? null)};
      window.__acquired = 0;
      window.acquireVsCodeApi = function () {
        window.__acquired++;
        return {
          postMessage: function (m) { window.__messages.push(m); },
          getState: function () { return window.__state; },
          setState: function (s) { window.__state = JSON.parse(JSON.stringify(s)); }
        };
      };`;
    const first = await open(ctx, panelFile, { script: fake(undefined) });
    const page = first.page;
    const messages = () => page.evaluate(() => (window.__messages as { type: string }[]).filter((m) => m.type !== 'ready'));
    assert.deepEqual(await page.evaluate(() => window.__messages as unknown[]), [{ type: 'ready', version: 0 }], 'the page says it is ready, with the content it has');
    await page.click('#kpi-SellOutGrowth .card-title');
    assert.deepEqual(await messages(), [{ type: 'reveal', file: 'kpis.kpi', line: 3, character: 4, kind: 'kpi', name: 'SellOutGrowth' }]);
    await page.getByRole('tab', { name: /Processes/ }).click();
    await page.focus('article.step[data-name="LeadHandling.Contact"]');
    await page.keyboard.press('Enter');
    assert.deepEqual((await messages())[1], { type: 'reveal', file: 'process.kpi', line: 3, character: 7, kind: 'step', name: 'LeadHandling.Contact' });
    // A link inside a card navigates instead of revealing.
    const before = (await messages()).length;
    await page.locator('#view-processes a.sref', { hasText: 'Lead intake SOP' }).first().click();
    assert.equal((await messages()).length, before);
    assert.equal(await page.locator('#sop-LeadIntake').evaluate((el) => el.classList.contains('selected')), true);

    // The editor selects a KPI: the panel switches to it and highlights it.
    await page.evaluate(() => window.postMessage({ type: 'select', name: 'ComplaintRate' }, '*'));
    await page.waitForFunction(() => document.getElementById('kpi-ComplaintRate')?.classList.contains('selected'));
    assert.equal(await page.locator('#view-scorecard').isVisible(), true);

    // UI state goes to setState…
    await page.getByRole('tab', { name: /Owners/ }).click();
    await page.selectOption('select[data-filter="function"]', 'Service');
    await page.fill('#search', 'head');
    const state = await page.evaluate(() => window.__state as unknown);
    assert.deepEqual({ ...(state as object), scroll: undefined }, { view: 'owners', filters: { function: 'Service' }, search: 'head', scroll: undefined });
    await assertClean(page, first.watch);
    await page.close();

    // …and comes back from getState when the panel replaces the HTML.
    const second = await open(ctx, panelFile, { script: fake(state) });
    const again = second.page;
    assert.equal(await again.locator('#view-owners').isVisible(), true);
    assert.equal(await again.inputValue('select[data-filter="function"]'), 'Service');
    assert.equal(await again.inputValue('#search'), 'head');
    assert.equal(await again.locator('#view-owners article.owner-card:visible').count(), 1);
    assert.equal(await again.evaluate(() => window.__acquired as number), 1, 'acquireVsCodeApi called once');
    await assertClean(again, second.watch);
    await ctx.close();
  });

  // ---------------------------------------------------------------- defects a new user hit (issue 12)

  const fakeVsCode = FAKE_VSCODE_API;

  /** What VS Code's webview host does with a click on a fragment link that reaches it: scroll the target into view. */
  const fakeWebviewHost = `
    window.addEventListener('click', function (e) {
      var path = e.composedPath();
      for (var i = 0; i < path.length; i++) {
        var node = path[i];
        if (node.tagName === 'A' && node.getAttribute('href') && node.getAttribute('href').charAt(0) === '#') {
          var target = document.getElementById(decodeURIComponent(node.getAttribute('href').slice(1)));
          if (target) target.scrollIntoView();
          e.preventDefault();
          return;
        }
      }
    });`;

  it('highlights a card the editor selects without taking the focus or scrolling the page around the panel (1)', async () => {
    const ctx = await context({ viewport: { width: 1280, height: 700 } });
    await ctx.addInitScript(fakeVsCode);
    // The workbench stand-in: an editor with the keyboard, and the panel's frame partly out of its window.
    const host = path.join(dir, 'workbench.html');
    fs.writeFileSync(
      host,
      `<!DOCTYPE html><html><body style="margin:0;width:3000px;height:3000px"><textarea id="editor" style="width:600px;height:300px"></textarea>` +
        `<iframe id="panel" src="panel.html" style="position:absolute;left:900px;top:300px;width:800px;height:600px;border:0"></iframe></body></html>`,
    );
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(host).href);
    const frame = page.frameLocator('#panel');
    await frame.locator('article.kpi').first().waitFor();
    await page.focus('#editor');
    await page.keyboard.type('ab');
    for (const name of ['ComplaintRate', 'LeadHandling.Contact', 'NpsScore']) {
      await page.evaluate((n) => document.getElementById('panel').contentWindow.postMessage({ type: 'select', name: n, switchView: true }, '*'), name);
      await frame.locator(`[data-name="${name}"].selected`).first().waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'editor', `the editor keeps the keyboard after selecting ${name}`);
      assert.deepEqual(await page.evaluate(() => [window.scrollX, window.scrollY, document.documentElement.scrollLeft, document.body.scrollLeft]), [0, 0, 0, 0], 'the page around the panel did not scroll');
      assert.equal(await frame.locator('body').evaluate(() => document.activeElement === document.body), true, 'nothing inside the panel took the focus');
    }
    // The card is in the panel's own view.
    const box = await frame.locator('[data-name="NpsScore"].selected').first().evaluate((el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: window.innerHeight }; });
    assert.ok(box.top >= 0 && box.bottom <= box.height, `the selected card is in the panel's view (${JSON.stringify(box)})`);
    await page.keyboard.type('cd');
    assert.equal(await page.inputValue('#editor'), 'abcd', 'the next keystrokes land in the editor');
    await ctx.close();
  });

  it('keeps the tab bar and the filters in view when a tab is clicked (2)', async () => {
    const ctx = await context({ viewport: { width: 1280, height: 600 } });
    await ctx.addInitScript(fakeWebviewHost);
    const { page, watch } = await open(ctx, panelFile, { script: fakeVsCode });
    for (const tab of ['Processes', 'Objectives', 'Owners', 'Joint reviews', 'Scorecard']) {
      await page.getByRole('tab', { name: new RegExp(tab) }).click();
      const top = await page.locator('.tabs').evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(top >= 0, `the tab bar is in view after clicking ${tab} (top ${top})`);
      assert.ok(await page.locator('#search').isVisible());
      assert.ok(await page.locator('#search').evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight), `the search box is in view after clicking ${tab}`);
    }
    await assertClean(page, watch);
    await ctx.close();
  });

  it('narrows the Processes view by status, and counts what the view shows (3)', async () => {
    const ctx = await context();
    const { page, watch } = await open(ctx, exportFile);
    const model = realisticModel();
    const amber = new Set(model.kpis.filter((k) => k.status === 'amber').map((k) => k.name));
    const expected = model.processes.flatMap((p) => p.steps.filter((s) => s.kpis.some((n) => amber.has(n))).map((s) => `${p.name}.${s.name}`));
    assert.ok(expected.length > 0 && expected.length < 7, 'the fixture has steps with and without amber KPIs');
    await page.getByRole('tab', { name: /Processes/ }).click();
    await page.selectOption('select[data-filter="status"]', 'amber');
    const shown = await page.locator('#view-processes article.step:visible').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));
    assert.deepEqual(shown, expected);
    assert.equal(await page.locator('#result-count').textContent(), `Showing ${expected.length} of 7 steps`);
    // No arrow or hand-off floats beside a hidden step.
    const strayConnectors = await page.locator('#view-processes .flow > .connector').evaluateAll((els) =>
      els
        .filter((el) => el.getClientRects().length > 0)
        .filter((el) => [el.previousElementSibling, el.nextElementSibling].some((li) => !li || li.getClientRects().length === 0 || li.querySelector('.filtered-out'))).length,
    );
    assert.equal(strayConnectors, 0, 'connectors only between shown steps');
    await page.getByRole('tab', { name: /Scorecard/ }).click();
    assert.equal(await page.locator('#result-count').textContent(), `Showing ${amber.size} of 8 KPI cards`);
    await assertClean(page, watch);
    await ctx.close();
  });

  it('keeps key-result titles readable beside long values, and badges whole in a narrow panel (4)', async () => {
    const model = realisticModel();
    const sellOut = model.kpis.find((k) => k.name === 'SellOutGrowth')!;
    sellOut.unit = 'complaints per thousand service visits';
    sellOut.title = 'Complaints per thousand visits';
    const file = path.join(dir, 'long-values.html');
    fs.writeFileSync(file, renderHtml(model, { mode: 'export', nonce: NONCE, assets: webviewAssets() }));
    for (const width of [1600, 700]) {
      const ctx = await context({ viewport: { width, height: 900 } });
      const { page, watch } = await open(ctx, file);
      await page.getByRole('tab', { name: /Objectives/ }).click();
      const title = page.locator('#view-objectives .kr .kref', { hasText: 'Complaints per thousand visits' }).first();
      const box = await title.evaluate((el) => { const r = el.getBoundingClientRect(); return { width: r.width, height: r.height, line: parseFloat(getComputedStyle(el).lineHeight) || 19 }; });
      assert.ok(box.width >= 120, `at ${width} px the title keeps its width (${JSON.stringify(box)})`);
      assert.ok(box.height <= 3 * box.line, `at ${width} px the title is not squeezed into one-word lines (${JSON.stringify(box)})`);
      await assertClean(page, watch);
      await ctx.close();
    }
    const ctx = await context({ viewport: { width: 300, height: 900 } });
    const { page, watch } = await open(ctx, file);
    for (const view of ['Scorecard', 'Processes', 'Objectives', 'Owners']) {
      await page.getByRole('tab', { name: new RegExp(view) }).click();
      const broken = await page.locator('.view:not([hidden]) .badge:visible, .view:not([hidden]) .mini-badge:visible').evaluateAll((els) =>
        els
          .filter((el) => { const s = getComputedStyle(el); return el.getBoundingClientRect().height > 1.6 * parseFloat(s.fontSize) * 1.45; })
          .map((el) => el.textContent),
      );
      assert.deepEqual(broken, [], `no badge breaks across lines in ${view}`);
    }
    await page.screenshot({ path: path.join(RESULTS, 'scorecard-narrow-300.png'), fullPage: true });
    await assertClean(page, watch);
    await ctx.close();
  });

  it('switches the view for an editor selection only when the person moved the cursor (6)', async () => {
    const ctx = await context();
    const { page, watch } = await open(ctx, panelFile, { script: fakeVsCode });
    const visibleView = () => page.locator('main > .view:not([hidden])').getAttribute('data-view');
    // Every view shown from now on, in order.
    await page.evaluate(() => {
      window.__shown = [];
      new window.MutationObserver(() => window.__shown.push(document.querySelector('main > .view:not([hidden])')?.getAttribute('data-view'))).observe(document.querySelector('main'), {
        attributes: true,
        subtree: true,
        attributeFilter: ['hidden'],
      });
    });
    // A file opening puts the cursor on its first declaration, a process step: the reader stays on the Scorecard.
    await page.evaluate(() => window.postMessage({ type: 'select', name: 'LeadHandling.Contact', switchView: false }, '*'));
    await page.evaluate(() => window.postMessage({ type: 'select', name: 'ComplaintRate', switchView: false }, '*'));
    await page.locator('#kpi-ComplaintRate.selected').waitFor();
    assert.equal(await visibleView(), 'scorecard');
    assert.ok(!(await page.evaluate(() => window.__shown as string[])).includes('processes'), 'the Processes view never showed');
    assert.equal(await page.locator('[data-name="LeadHandling.Contact"].selected').count(), 0);
    // A cursor the person moved into the step shows it.
    await page.evaluate(() => window.postMessage({ type: 'select', name: 'LeadHandling.Contact', switchView: true }, '*'));
    await page.locator('article.step[data-name="LeadHandling.Contact"].selected').waitFor();
    assert.equal(await visibleView(), 'processes');
    await assertClean(page, watch);
    await ctx.close();
  });

  it('takes new content by message and keeps the view, filters, search, scroll, selection and focus', async () => {
    const ctx = await context({ viewport: { width: 1280, height: 600 } });
    const { page, watch } = await open(ctx, panelFile, { script: fakeVsCode });
    await page.getByRole('tab', { name: /Processes/ }).click();
    await page.selectOption('select[data-filter="function"]', 'Sales');
    await page.evaluate(() => window.scrollTo(0, 200));
    await page.focus('article.step[data-name="LeadHandling.Contact"]');
    await page.fill('#search', 'lead');
    await page.focus('#search');
    await page.evaluate(() => (document.getElementById('search') as { setSelectionRange(a: number, b: number): void }).setSelectionRange(2, 2));
    const before = await page.evaluate(() => window.scrollY);
    const model = realisticModel();
    model.processes[0]!.steps[0]!.title = 'Lead logged at once';
    const regions = renderRegions(model);
    await page.evaluate((r) => window.postMessage({ type: 'content', version: 5, regions: r }, '*'), regions);
    await page.locator('#view-processes', { hasText: 'Lead logged at once' }).waitFor();
    assert.equal(await page.locator('main > .view:not([hidden])').getAttribute('data-view'), 'processes');
    assert.equal(await page.inputValue('select[data-filter="function"]'), 'Sales');
    assert.equal(await page.inputValue('#search'), 'lead');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search', 'the search box keeps the focus');
    assert.equal(await page.evaluate(() => (document.getElementById('search') as { selectionStart: number }).selectionStart), 2, 'and the caret');
    assert.equal(await page.evaluate(() => window.scrollY), before, 'the scroll position stays');
    assert.equal(await page.getByRole('tab', { name: /Processes/ }).getAttribute('role'), 'tab', 'the new tabs are tabs again');
    // Older content than shown is ignored.
    await page.evaluate((r) => window.postMessage({ type: 'content', version: 4, regions: { ...r, views: { ...r.views, processes: '' } } }, '*'), regions);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    assert.ok(await page.locator('#view-processes', { hasText: 'Lead logged at once' }).isVisible());
    await assertClean(page, watch);
    await ctx.close();
  });

  it('takes a change by message: swaps only the cards that changed, keeps the others, the view, filters and focus', async () => {
    const ctx = await context({ viewport: { width: 1280, height: 600 } });
    const { page, watch } = await open(ctx, panelFile, { script: fakeVsCode });
    // The page holds the regions of realisticModel(); the panel's renderer rendered the same.
    const renderer = new PageRenderer();
    const model = realisticModel();
    const shown = renderer.render(model);
    // A KPI's title changes (a new card object; the others stay the same objects).
    const index = model.kpis.findIndex((k) => k.name === 'ComplaintRate');
    const next = { ...model, kpis: model.kpis.map((k, i) => (i === index ? { ...k, title: 'Complaints after a sale' } : k)) };
    const change = renderer.render(next).changeSince(shown);
    assert.ok(change.parts?.scorecard?.length, 'the scorecard view changes by parts');
    await page.selectOption('select[data-filter="function"]', 'Sales');
    await page.focus('article.kpi[data-name="SellOutGrowth"]');
    await page.evaluate(() => {
      window.__kept = document.querySelector('article.kpi[data-name="SellOutGrowth"]');
      window.__swapped = document.querySelector('article.kpi[data-name="ComplaintRate"]');
    });
    await page.evaluate((regions) => window.postMessage({ type: 'content', version: 1, base: 0, regions }, '*'), change);
    await page.locator('article.kpi[data-name="ComplaintRate"]', { hasText: 'Complaints after a sale' }).waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => document.querySelector('article.kpi[data-name="SellOutGrowth"]') === window.__kept), true, 'an unchanged card is the same element');
    assert.equal(await page.evaluate(() => document.querySelector('article.kpi[data-name="ComplaintRate"]') === window.__swapped), false, 'the changed card is new');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-name')), 'SellOutGrowth', 'the focus stays');
    assert.equal(await page.inputValue('select[data-filter="function"]'), 'Sales');
    assert.equal(await page.locator('article.kpi[data-name="ComplaintRate"].filtered-out').count(), 1, 'the filters apply to the new card (owned in Service)');
    // A change since content the page does not show is not applied: the page asks for all of it.
    await page.evaluate((regions) => window.postMessage({ type: 'content', version: 3, base: 2, regions }, '*'), { tabs: '' });
    await page.waitForFunction(() => (window.__messages as { type: string; version?: number }[]).some((m) => m.type === 'ready' && m.version === 0 && window.__messages.length > 1));
    assert.notEqual(await page.locator('.tabs').innerHTML(), '');
    await assertClean(page, watch);
    await ctx.close();
  });

  it('takes cards added and removed by message: splices them in and out, keeps the others', async () => {
    const ctx = await context({ viewport: { width: 1280, height: 600 } });
    const { page, watch } = await open(ctx, panelFile, { script: fakeVsCode });
    const renderer = new PageRenderer();
    const model = realisticModel();
    let shown = renderer.render(model);
    /** The cards and headings of the page's Scorecard view, as the same HTML parsed fresh would have them. */
    const sameAsFresh = async (expected: ScorecardModel, what: string) => {
      const fresh = renderRegions(expected).views.scorecard;
      const [actual, wanted] = await page.evaluate((html) => {
        const template = document.createElement('template');
        template.innerHTML = html;
        // Inline functions only: a named one would be wrapped by the test's TypeScript loader in a helper the page does not have.
        return [document.querySelector('[data-region="view-scorecard"]')!, template.content].map((root) =>
          Array.from(root.querySelectorAll('[data-name], .persp-head')).map((node) => {
            const el = node as { getAttribute(name: string): string | null; textContent: string | null };
            return `${el.getAttribute('data-kind') ?? 'head'} ${el.getAttribute('data-name') ?? ''} ${el.textContent}`;
          }),
        );
      }, fresh);
      assert.deepEqual(actual, wanted, what);
    };
    // A KPI put on the board's financial line between two others: its card, and the line's heading with its count.
    const board = model.scorecards[0]!;
    const template = model.kpis.find((k) => k.name === board.perspectives.financial[0])!;
    const added: KpiCard = { ...template, name: 'SellInGrowth', title: 'Sell-in growth', placements: [{ scorecard: board.name, perspective: 'financial' }] };
    const withAdded: ScorecardModel = {
      ...model,
      kpis: [...model.kpis, added],
      scorecards: model.scorecards.map((s) => (s === board ? { ...s, perspectives: { ...s.perspectives, financial: [s.perspectives.financial[0]!, added.name, ...s.perspectives.financial.slice(1)] } } : s)),
    };
    const second = renderer.render(withAdded);
    const change = second.changeSince(shown);
    assert.ok(change.splices?.scorecard?.length && !change.views?.scorecard, 'the Scorecard view changes by splices');
    await page.evaluate(() => {
      window.__kept = document.querySelector(`article.kpi[data-name="${'NetMargin'}"]`);
    });
    await page.evaluate((regions) => window.postMessage({ type: 'content', version: 1, base: 0, regions }, '*'), change);
    await page.locator('article.kpi[data-name="SellInGrowth"]').first().waitFor({ state: 'attached' });
    await sameAsFresh(withAdded, 'after a card was added');
    assert.equal(await page.evaluate(() => document.querySelector('article.kpi[data-name="NetMargin"]') === window.__kept), true, 'a card the change does not touch is the same element');
    shown = second;
    // Taken away again, with another card of the same line.
    const removedName = board.perspectives.financial[1]!;
    const withRemoved: ScorecardModel = {
      ...withAdded,
      kpis: withAdded.kpis.filter((k) => k !== added && k.name !== removedName),
      scorecards: withAdded.scorecards.map((s) => (s.name === board.name ? { ...s, perspectives: { ...s.perspectives, financial: board.perspectives.financial.filter((n) => n !== removedName) } } : s)),
    };
    const third = renderer.render(withRemoved).changeSince(shown);
    assert.ok(third.splices?.scorecard?.length && !third.views?.scorecard, 'the Scorecard view changes by splices again');
    await page.evaluate((regions) => window.postMessage({ type: 'content', version: 2, base: 1, regions }, '*'), third);
    await page.locator('article.kpi[data-name="SellInGrowth"]').first().waitFor({ state: 'detached' });
    await sameAsFresh(withRemoved, 'after cards were removed');
    // A splice naming a part the page does not have is not applied: the page asks for all of it.
    await page.evaluate(() => window.postMessage({ type: 'content', version: 3, base: 2, regions: { splices: { scorecard: [[999, 1, [], 'next']] } } }, '*'));
    await page.waitForFunction(() => (window.__messages as { type: string; version?: number }[]).some((m) => m.type === 'ready' && m.version === 0 && window.__messages.length > 1));
    await assertClean(page, watch);
    await ctx.close();
  });
});
