// The maps in a real browser (Debian's Chromium through playwright-core), in
// the HTML export and in the panel page: every node visible, no two nodes or
// labels overlapping in the rendered boxes, text inside its box, the export
// static (no script needed), and in the panel a node that opens its
// declaration on click and Enter, the editor's cursor highlighting it and the
// filters dimming the nodes that do not match. Takes screenshots of the three
// maps (light and dark); `KPI_UPDATE_DOCS_IMAGES=1` keeps them in docs/images/
// for docs/scorecard.md.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { renderHtml, renderRegions } from '../server/src/language/scorecard/render/html';
import { FAKE_VSCODE_API, launchChromium } from './support/browser';
import { supportModel } from './support/map-models';
import { examplesModel } from './support/mermaid-models';
import { webviewAssets } from './support/webview-assets';

declare const window: any;
declare const document: any;

/** The screenshots go to test-results/; with KPI_UPDATE_DOCS_IMAGES=1 they replace the ones in docs/images/. */
const IMAGES = process.env.KPI_UPDATE_DOCS_IMAGES === '1' ? path.resolve('docs', 'images') : path.resolve('test-results', 'maps');
const NONCE = 'm4psN0nce';

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** For every map on the page: its nodes' boxes, each with the boxes of its texts, and the edge labels' boxes. */
/** For every map on the page: its nodes' boxes, each with the boxes of its texts, and the edge labels' boxes (plain JavaScript: tsx would add helpers the page lacks). */
async function mapGeometry(page: Page, selector: string): Promise<{ nodes: { name: string; box: Rect; texts: Rect[] }[]; labels: Rect[] }[]> {
  return page.evaluate(`(function () {
    function rect(el) { var r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; }
    return Array.from(document.querySelectorAll(${JSON.stringify(selector)})).map(function (svg) {
      return {
        nodes: Array.from(svg.querySelectorAll('g.map-node')).map(function (node) {
          return { name: node.querySelector('title').textContent, box: rect(node.querySelector('rect.node-box')), texts: Array.from(node.querySelectorAll(':scope > text')).map(rect) };
        }),
        labels: Array.from(svg.querySelectorAll('.map-edge-label rect')).map(rect)
      };
    });
  })()`);
}

/** Screenshots a view's first map whole. */
async function shoot(page: Page, view: string, file: string): Promise<void> {
  await shootMap(page, page.locator(`#view-${view} svg.kpi-map`).first(), file);
}

/** Screenshots one map's figure whole: the window is made wide enough for it first. */
async function shootMap(page: Page, map: ReturnType<Page['locator']>, file: string): Promise<void> {
  const width = Number(await map.getAttribute('width'));
  await page.setViewportSize({ width: Math.max(1280, width + 80), height: 1000 });
  await map.locator('xpath=ancestor::figure[contains(@class, "map-figure")][1]').screenshot({ path: path.join(IMAGES, file) });
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
}

function assertNoOverlap(maps: Awaited<ReturnType<typeof mapGeometry>>): void {
  assert.ok(maps.length > 0, 'a map is drawn');
  for (const map of maps) {
    const boxes = [...map.nodes.map((node) => ({ what: `node ${node.name}`, box: node.box })), ...map.labels.map((box, index) => ({ what: `label ${index}`, box }))];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i]!.box, boxes[j]!.box), `${boxes[i]!.what} overlaps ${boxes[j]!.what}`);
    }
    for (const node of map.nodes) {
      for (const text of node.texts) {
        assert.ok(text.left >= node.box.left - 1 && text.right <= node.box.right + 1, `a line of ${node.name} stays inside its box (${JSON.stringify(text)} in ${JSON.stringify(node.box)})`);
      }
    }
  }
}

describe('maps in Chromium', function () {
  this.timeout(60000);
  let browser: Browser | undefined;
  let dir: string;
  let exportFile: string;
  let panelFile: string;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-maps-'));
    exportFile = path.join(dir, 'export.html');
    panelFile = path.join(dir, 'panel.html');
    const model = supportModel();
    fs.writeFileSync(exportFile, renderHtml(model, { mode: 'export', nonce: NONCE, assets: webviewAssets() }));
    fs.writeFileSync(panelFile, renderHtml(model, { mode: 'panel', nonce: NONCE, assets: webviewAssets(), cspSource: 'vscode-webview-resource:' }));
    fs.mkdirSync(IMAGES, { recursive: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(options: Parameters<Browser['newContext']>[0], file: string, init?: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    if (init) await page.addInitScript(init);
    await page.goto(pathToFileURL(file).href);
    return { context, page, errors };
  }

  it('draws the three maps in the export, every node visible, nothing overlapping, and keeps light screenshots', async () => {
    const { context, page, errors } = await open({}, exportFile);
    await page.getByRole('tab', { name: /Processes/ }).click();
    const processMap = page.locator('#view-processes svg.kpi-map').first();
    assert.equal(await processMap.getAttribute('role'), 'img');
    assert.match((await processMap.getAttribute('aria-label')) ?? '', /^Process map of Ticket handling: 9 steps in 4 lanes/);
    const stepNodes = page.locator('#view-processes g.map-node.step');
    assert.equal(await stepNodes.count(), 9);
    for (let i = 0; i < 9; i++) assert.ok(await stepNodes.nth(i).isVisible(), `step node ${i} visible`);
    assertNoOverlap(await mapGeometry(page, '#view-processes svg.kpi-map'));
    await shoot(page, 'processes', 'map-process.png');

    await page.getByRole('tab', { name: /Objectives/ }).click();
    assert.equal(await page.locator('#view-objectives g.map-node.objective:visible').count(), 5);
    assertNoOverlap(await mapGeometry(page, '#view-objectives svg.kpi-map'));
    await shoot(page, 'objectives', 'map-strategy.png');

    await page.getByRole('tab', { name: /Hand-offs/ }).click();
    assert.equal(await page.locator('#view-handoffs g.map-node.function:visible').count(), 3);
    assert.ok(await page.locator('#view-handoffs .map-edge-label', { hasText: 'joint review' }).first().isVisible());
    assertNoOverlap(await mapGeometry(page, '#view-handoffs svg.kpi-map'));
    await shoot(page, 'handoffs', 'map-handoffs.png');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("draws the examples' maps with nothing overlapping: the branching complaint process, the strategy map, the hand-offs", async () => {
    const file = path.join(dir!, 'examples.html');
    fs.writeFileSync(file, renderHtml(examplesModel(), { mode: 'export', nonce: NONCE, assets: webviewAssets() }));
    const { context, page, errors } = await open({}, file);
    await page.getByRole('tab', { name: /Processes/ }).click();
    assertNoOverlap(await mapGeometry(page, '#view-processes svg.kpi-map'));
    const complaints = page.locator('#view-processes svg.kpi-map[aria-label^="Process map of After-sales complaint handling"]');
    assert.equal(await complaints.count(), 1);
    // Diagnose branches to Resolve and Escalate (to Finance: a hand-off), and Confirm loops back to Diagnose.
    const arrows = await complaints.locator('g.map-edge > title').allTextContents();
    for (const arrow of ["Fault diagnosed at the customer's home → Repaired on site", "Fault diagnosed at the customer's home → Replacement approved by Finance (hand-off)", "Customer confirms the appliance works → Fault diagnosed at the customer's home (hand-off)"]) {
      assert.ok(arrows.includes(arrow), `${arrow} in ${arrows.join('; ')}`);
    }
    await shootMap(page, complaints, 'examples-process-map.png');
    await page.getByRole('tab', { name: /Objectives/ }).click();
    assertNoOverlap(await mapGeometry(page, '#view-objectives svg.kpi-map'));
    await shoot(page, 'objectives', 'examples-strategy-map.png');
    await page.getByRole('tab', { name: /Hand-offs/ }).click();
    assertNoOverlap(await mapGeometry(page, '#view-handoffs svg.kpi-map'));
    await shoot(page, 'handoffs', 'examples-handoffs-map.png');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the maps with JavaScript off (static SVG), and in a dark colour scheme', async () => {
    const still = await open({ javaScriptEnabled: false }, exportFile);
    assert.equal(await still.page.locator('svg.kpi-map').count(), 3);
    assert.ok(await still.page.locator('#view-handoffs svg.kpi-map').isVisible(), 'every view shows one after the other without the script');
    await still.context.close();

    const dark = await open({ colorScheme: 'dark' }, exportFile);
    await dark.page.getByRole('tab', { name: /Processes/ }).click();
    const fill = await dark.page.locator('#view-processes g.map-node.step rect.node-box').first().evaluate((el: any) => window.getComputedStyle(el).fill);
    assert.notEqual(fill, 'rgb(255, 255, 255)', 'a node follows the dark background');
    await shoot(dark.page, 'processes', 'map-process-dark.png');
    await dark.page.getByRole('tab', { name: /Objectives/ }).click();
    await shoot(dark.page, 'objectives', 'map-strategy-dark.png');
    assert.deepEqual(dark.errors, []);
    await dark.context.close();
  });

  it('in the panel: a node opens its declaration on click and Enter, the cursor highlights it, filters dim the others', async () => {
    const { context, page, errors } = await open({}, panelFile, FAKE_VSCODE_API);
    const messages = () => page.evaluate(() => (window.__messages as { type: string }[]).filter((m) => m.type === 'reveal'));
    await page.getByRole('tab', { name: /Processes/ }).click();
    const triage = page.locator('#view-processes g.map-node[data-name="Tickets.Triage"]');
    await triage.click();
    assert.deepEqual((await messages())[0], { type: 'reveal', file: 'support.kpi', line: 17, character: 7, kind: 'step', name: 'Tickets.Triage' });
    await page.focus('#view-processes g.map-node[data-name="Tickets.Fix"]');
    await page.keyboard.press('Enter');
    assert.deepEqual((await messages())[1], { type: 'reveal', file: 'support.kpi', line: 20, character: 7, kind: 'step', name: 'Tickets.Fix' });
    // New content (a live update) keeps the focus on the node, not on the step's card.
    const regions = renderRegions(supportModel());
    await page.evaluate((r: unknown) => {
      window.__before = document.activeElement;
      window.postMessage({ type: 'content', version: 7, regions: r }, '*');
    }, regions);
    // The swapped content has new elements: the focus is on a new node once it has arrived.
    await page.waitForFunction(() => document.activeElement !== window.__before && document.activeElement?.tagName === 'g');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-name')), 'Tickets.Fix');

    // The editor's cursor on a step highlights its node (and its card).
    await page.evaluate(() => window.postMessage({ type: 'select', name: 'Tickets.Verify', switchView: true }, '*'));
    await page.locator('g.map-node.selected[data-name="Tickets.Verify"]').waitFor();
    assert.equal(await page.locator('article.step.selected[data-name="Tickets.Verify"]').count(), 1);
    assert.equal(await page.locator('g.map-node.selected').count(), 1);

    // A filter dims the nodes that do not match.
    await page.selectOption('select[data-filter="function"]', 'Engineering');
    const dimmed = await page.locator('#view-processes g.map-node.filtered-out').count();
    assert.equal(dimmed, 7, 'all but the two Engineering steps');
    assert.equal(await page.locator('#view-processes g.map-node[data-name="Tickets.Fix"]').evaluate((el: any) => el.classList.contains('filtered-out')), false);
    await page.click('#clear-filters');

    // The strategy map and the hand-off map open their declarations too.
    await page.getByRole('tab', { name: /Hand-offs/ }).click();
    await page.locator('#view-handoffs g.map-node[data-name="Finance"]').click();
    const last = (await messages()).at(-1) as { kind?: string; name?: string };
    assert.deepEqual([last.kind, last.name], ['function', 'Finance']);
    await page.getByRole('tab', { name: /Objectives/ }).click();
    await page.focus('#view-objectives g.map-node[data-name="FastFixes"]');
    await page.keyboard.press('Enter');
    const objective = (await messages()).at(-1) as { kind?: string; name?: string };
    assert.deepEqual([objective.kind, objective.name], ['objective', 'FastFixes']);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
