// The Review view (the weekly review's agenda, render/page/agendaView.ts) in
// Chromium, in panel mode: one section per owner with its items, the owner
// filter, click-through to the declaration, and the editor's cursor on an
// SOP still switching to the SOP's own card, not to its agenda item. Saves
// docs/images/review-view.png (looked at, kept in the repository) and a
// copy in test-results/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { parseDate } from '../server/src/language/model/periods';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { renderHtml } from '../server/src/language/scorecard/render/html';
import { createWorkspace } from '../server/src/language/service';
import { AGENDA_WORKSPACE } from './support/agenda-fixture';
import { REPO, TODAY } from './support/lsp';
import { MemoryFileSystem } from './support/memory-fs';
import { webviewAssets } from './support/webview-assets';
import { launchChromium } from './support/browser';

// The page's globals, for the callbacks that run in the browser (the tsconfig has no DOM lib).
declare const window: any;


/** A stand-in for VS Code's webview API, as plain JavaScript. */
const FAKE_VSCODE = `
  window.__messages = [];
  window.acquireVsCodeApi = function () {
    return { postMessage: function (m) { window.__messages.push(m); }, getState: function () { return null; }, setState: function () {} };
  };`;

function panelHtml(): string {
  const fsys = new MemoryFileSystem(Object.fromEntries(Object.entries(AGENDA_WORKSPACE).map(([k, v]) => [`/ws/${k}`, v])));
  const files = Object.entries(AGENDA_WORKSPACE).map(([key, text]) => ({ key, path: `/ws/${key}`, text }));
  const workspace = createWorkspace({ root: '/ws', fs: fsys, today: () => parseDate(TODAY)!, files });
  return renderHtml(buildScorecardModel(workspace), { mode: 'panel', nonce: 'agendaN0nce', assets: webviewAssets(), cspSource: 'vscode-webview-resource:' });
}

describe('the Review view in Chromium', function () {
  this.timeout(60000);
  let browser: Browser | undefined;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-agenda-'));
    fs.writeFileSync(path.join(dir, 'panel.html'), panelHtml());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the agenda per owner, filters by owner, and opens an item\'s declaration', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 900 } });
    await context.addInitScript(FAKE_VSCODE);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    await page.goto(pathToFileURL(path.join(dir, 'panel.html')).href);

    const tab = page.getByRole('tab', { name: /^Review/ });
    assert.equal(await tab.locator('.tab-count').textContent(), '11');
    await tab.click();
    const view = page.locator('#view-agenda');
    assert.equal(await view.isVisible(), true);
    assert.equal(await page.locator('#view-scorecard').isVisible(), false);
    const heads = await view.locator('.agenda-owner > h3').allTextContents();
    assert.deepEqual(heads, ['data analyst1', 'Ops plannerOperations4', 'Sales leadSales4', 'Nobody — no owner declared2']);
    assert.equal(await view.locator('.agenda-item:visible').count(), 11);
    const planner = view.locator('.agenda-owner[data-owner="Planner"] .agenda-item');
    assert.deepEqual(await planner.locator('.agenda-kind').allTextContents(), ['Amber', 'At risk', 'SOP review due', 'Joint review']);
    assert.match((await planner.nth(1).locator('.agenda-text').textContent())!, /reaches 7\.7%, amber, by 2026-11 \(2026-11-30\)/);
    assert.match((await planner.nth(3).locator('.agenda-with').textContent())!, /with Sales lead · Sales, owner of Sell-out growth/);
    for (const target of [path.join(REPO, 'docs', 'images', 'review-view.png'), path.resolve('test-results', 'review-view.png')]) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await page.screenshot({ path: target, fullPage: true });
    }

    // The owner filter keeps one owner's section; the ownerless items have no owner, so they go too.
    await page.selectOption('select[data-filter="owner"]', 'Planner');
    assert.equal(await view.locator('.agenda-item:visible').count(), 4);
    assert.deepEqual(await view.locator('.agenda-owner:visible > h3').allTextContents(), ['Ops plannerOperations4']);
    assert.equal(await page.locator('#result-count').textContent(), 'Showing 4 of 11 agenda items');
    await page.selectOption('select[data-filter="owner"]', '');
    await page.selectOption('select[data-filter="status"]', 'overdue');
    assert.deepEqual(await view.locator('.agenda-item:visible .agenda-title').allTextContents(), ['Returns handling SOP']);
    await page.click('#clear-filters');

    // An item opens its declaration: a KPI item its kpi, an SOP item its sop.
    await view.locator('.agenda-owner[data-owner="Seller"] .agenda-item').first().click();
    await view.locator('.agenda-owner[data-owner="Zed"] .agenda-item').focus();
    await page.keyboard.press('Enter');
    const reveals = await page.evaluate(() => (window.__messages as { type: string }[]).filter((m) => m.type === 'reveal'));
    assert.deepEqual(reveals, [
      { type: 'reveal', file: 'kpis.kpi', line: 0, character: 4, kind: 'kpi', name: 'Growth' },
      { type: 'reveal', file: 'sops.kpi', line: 4, character: 4, kind: 'sop', name: 'SopToday' },
    ]);

    // The editor's cursor on an SOP selects the SOP's own card (Processes), not its agenda item.
    await page.evaluate(() => window.postMessage({ type: 'select', name: 'SopToday', switchView: true }, '*'));
    await page.waitForFunction(() => window.document.querySelector('#view-processes [data-name="SopToday"].selected') !== null);
    assert.equal(await page.locator('#view-processes').isVisible(), true);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
