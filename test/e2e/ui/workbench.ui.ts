// UI checks in the real workbench (code-server, the extension installed from
// the .vsix), driven like a person would with Debian's Chromium: a .kpi file
// opens with syntax colouring, a known problem has its squiggle and hover,
// the Problems panel lists it, and the command palette opens the scorecard
// preview, whose webview shows the examples' KPIs with their statuses; the
// panel comes back after a reload, and the export writes the scorecard.
// Screenshots go to test-results/e2e/. Every wait polls a selector.
//
// Run by scripts/e2e.mjs, which starts code-server and sets
// KPI_CODE_SERVER_URL and KPI_E2E_UI_WORKSPACE (a copy of examples/).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { APPEAR_MS, env, openWorkbench, quickOpen, screenshot } from './workbench-page';

// The page's globals, for callbacks that run in the browser (the tsconfig has no DOM lib).
declare function getComputedStyle(element: unknown): { color: string };
declare const document: { querySelectorAll(selector: string): ArrayLike<unknown> & Iterable<unknown>; querySelector(selector: string): unknown; activeElement: unknown };

/** The KPI titles declared in the workspace's files (`kpi Name "Title" {`). */
function declaredKpiTitles(workspace: string): string[] {
  return fs
    .readdirSync(workspace)
    .filter((f) => f.endsWith('.kpi'))
    .flatMap((f) => [...fs.readFileSync(path.join(workspace, f), 'utf8').matchAll(/^kpi\s+\w+\s+"([^"]*)"/gm)].map((m) => m[1]!))
    .sort();
}

describe('the workbench (code-server + Chromium)', function () {
  this.timeout(2 * APPEAR_MS);
  const url = env('KPI_CODE_SERVER_URL');
  const workspace = env('KPI_E2E_UI_WORKSPACE');
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const shot = (name: string) => screenshot(page, name);
  const editorLines = () => page.locator('.editor-instance .monaco-editor .view-lines').first();

  before(async function () {
    ({ browser, page, pageErrors } = await openWorkbench(url, `folder=${encodeURIComponent(workspace)}`));
  });

  after(async function () {
    await browser?.close();
  });

  it('opens a .kpi file from the explorer with syntax colouring', async function () {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^sales\.kpi$/ });
    await row.waitFor({ timeout: APPEAR_MS });
    await row.click();
    await editorLines().locator('span', { hasText: 'process StoreActivation' }).first().waitFor({ timeout: APPEAR_MS });
    // The status bar names the language.
    await page.locator('.statusbar-item', { hasText: /^KPI$/ }).first().waitFor({ timeout: APPEAR_MS });

    // Tokens carry colour classes (mtkN) from the TextMate grammar and the
    // server's semantic tokens. Tokenizing takes a moment after the text shows:
    // poll until the keyword `process`, a comment and a string title are
    // coloured differently.
    // (No named functions inside: tsx would wrap them in a helper the page lacks.)
    const colours = await page.waitForFunction(
      () => {
        const spans = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line span span')] as { textContent: string; className: string }[];
        let keyword: string | undefined;
        let comment: string | undefined;
        let title: string | undefined;
        for (const span of spans) {
          const text = span.textContent.replace(/\u00a0/g, ' ').trim();
          if (text === 'process') keyword ??= getComputedStyle(span).color;
          else if (text.startsWith('//')) comment ??= getComputedStyle(span).color;
          else if (text === '"A+ outlet activation"') title ??= getComputedStyle(span).color;
        }
        const classes = new Set(spans.map((s) => s.className)).size;
        return keyword && comment && title && new Set([keyword, comment, title]).size === 3 && classes >= 4 ? { keyword, comment, title, classes } : undefined;
      },
      undefined,
      { timeout: APPEAR_MS, polling: 100 },
    );
    const seen = await colours.jsonValue();
    assert.ok(seen, 'keyword, comment and string are coloured');
    await shot('editor.png');
  });

  it('underlines a known problem and explains it on hover', async function () {
    // Go to line 79, `owner ServiceTeam` (team-owner).
    await editorLines().click();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: APPEAR_MS });
    await input.fill(':79');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: APPEAR_MS });
    // Hover the word under the squiggle: the editor shows the problem and the server's hover.
    // A code lens or inlay hint arriving meanwhile re-lays the editor out and
    // closes the hover, so first wait for the code lenses; then hover, and
    // hover again (polling) until the screenshot has the card.
    await page.locator('.monaco-editor .codelens-decoration:visible', { hasText: 'Open in scorecard' }).first().waitFor({ timeout: APPEAR_MS });
    const word = editorLines().locator('.view-line span span', { hasText: /^ServiceTeam$/ }).first();
    const hover = page.locator('.monaco-hover', { hasText: 'ServiceTeam is a team' }).first();
    let captured = false;
    const deadline = Date.now() + APPEAR_MS;
    while (!captured && Date.now() < deadline) {
      await page.mouse.move(0, 0);
      await word.hover();
      const shown = await hover.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (!shown) continue;
      assert.match(await hover.innerText(), /team-owner/);
      // The hover's status bar asks for quick fixes; a settled card reads better.
      await page
        .locator('.monaco-hover', { hasText: 'ServiceTeam is a team', hasNotText: 'Checking for quick fixes' })
        .first()
        .waitFor({ timeout: 5_000 })
        .catch(() => undefined);
      await shot('editor-squiggle-hover.png');
      captured = await hover.isVisible();
    }
    assert.ok(captured, 'the hover card stayed open for the screenshot');
    await page.keyboard.press('Escape');
  });

  it('lists the problems of every file in the Problems panel', async function () {
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: 'ServiceTeam is a team' }).first().waitFor({ timeout: APPEAR_MS });
    // The list draws only the rows in view: maximise the panel so that every row is drawn.
    await runCommand('View: Toggle Maximized Panel');
    // One row per file with problems, then its problems; closed files included.
    const codes = ['team-owner', 'vague-target', 'kpi-without-sop', 'sop-review-overdue', 'stale-data', 'joint-review', 'cross-function-dependency', 'at-risk'];
    for (const text of ['sales.kpi', 'finance.kpi', 'launch.kpi', 'sops.kpi', 'service.kpi', ...codes]) {
      await rows.filter({ hasText: text }).first().waitFor({ timeout: APPEAR_MS });
    }
    await shot('problems.png');
    await runCommand('View: Toggle Maximized Panel');
    await page.keyboard.press('Control+Shift+M');
  });

  it('runs "KPI: Open Scorecard Preview" from the command palette and shows every KPI with its status', async function () {
    await editorLines().click();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: APPEAR_MS });
    await input.fill('>KPI: Open Scorecard Preview');
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'KPI: Open Scorecard Preview' }).first();
    await item.waitFor({ timeout: APPEAR_MS });
    await page.keyboard.press('Enter');

    const view: FrameLocator = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const cards = view.locator('article.card.kpi');
    await cards.first().waitFor({ timeout: APPEAR_MS });
    const shown = await cards.evaluateAll((nodes) =>
      nodes.map((n) => {
        const el = n as { querySelector(s: string): { textContent: string } | null };
        return { title: el.querySelector('.card-title')?.textContent ?? '', status: el.querySelector('.st-word')?.textContent ?? '' };
      }),
    );
    assert.deepEqual([...new Set(shown.map((c) => c.title))].sort(), declaredKpiTitles(workspace), 'every KPI of the examples has a card');
    for (const card of shown) assert.match(card.status, /^(Green|Amber|Red|No data)$/i, `${card.title} shows a status word`);
    const status = (title: string) => shown.find((c) => c.title === title)?.status.toLowerCase();
    assert.equal(status('A+ outlet monthly sell-out growth'), 'green');
    assert.equal(status('Partner API integrations ready'), 'amber');
    assert.equal(status('Qualified leads moved to a next step'), 'amber');
    assert.equal(status('Working days to approve a replacement'), 'red');
    // Green today, although at risk (its trend is what turns amber, not its status).
    assert.equal(status('Complaints fixed on the first visit'), 'green');
    // More room for the editor and the panel side by side: hide the side bar.
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: APPEAR_MS });
    await shot('scorecard-panel.png');
  });

  // ---------------------------------------------------------------- beside the open panel (issue 12)

  const webview = (): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const goToLine = async (line: number) => {
    await editorLines().click();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: APPEAR_MS });
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: APPEAR_MS });
  };
  const runCommand = async (title: string) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: APPEAR_MS });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: APPEAR_MS });
    await page.keyboard.press('Enter');
  };
  /** Where the editor is, and every native scroll offset on the way from it to the page (Monaco scrolls by transforms, never natively). */
  const editorPlacement = () =>
    page.evaluate(() => {
      const editor = document.querySelector('.editor-instance .monaco-editor') as unknown as { getBoundingClientRect(): { left: number; top: number }; parentElement: unknown } | null;
      const offsets: number[] = [];
      for (let el = editor as unknown as { scrollLeft: number; parentElement: unknown } | null; el; el = el.parentElement as typeof el) offsets.push(el.scrollLeft);
      const box = editor?.getBoundingClientRect();
      return { left: box?.left ?? -1, scrollLefts: offsets.filter((x) => x !== 0) };
    });
  const focusInEditor = () => page.evaluate(() => Boolean((document as unknown as { activeElement: { closest(s: string): unknown } | null }).activeElement?.closest('.editor-instance .monaco-editor')));
  const typeAndUndo = async (word: string) => {
    await page.keyboard.type(word);
    await editorLines().locator('.view-line', { hasText: word }).first().waitFor({ timeout: APPEAR_MS });
    await page.keyboard.press('Control+Z');
    await editorLines().locator('.view-line', { hasText: word }).first().waitFor({ state: 'detached', timeout: APPEAR_MS });
  };

  it('moves the cursor to another KPI beside the open panel: the panel highlights it, the keys still go to the editor, the editor stays in place (1)', async function () {
    const before = await editorPlacement();
    assert.deepEqual(before.scrollLefts, [], 'no native scroll offset to begin with');
    // Ctrl+G to PromoterCertification (sales.kpi line 57).
    await goToLine(57);
    await webview().locator('[data-name="PromoterCertification"].selected').first().waitFor({ timeout: APPEAR_MS });
    assert.ok(await focusInEditor(), 'the editor keeps the keyboard after Ctrl+G');
    await typeAndUndo('zqzq');
    // A click on the line of another KPI.
    await goToLine(143);
    await editorLines().locator('.view-line', { hasText: 'kpi FirstResponseTime' }).first().click();
    await webview().locator('[data-name="FirstResponseTime"].selected').first().waitFor({ timeout: APPEAR_MS });
    assert.ok(await focusInEditor(), 'the editor keeps the keyboard after a click');
    await typeAndUndo('qzqz');
    const after = await editorPlacement();
    assert.deepEqual(after, before, 'the editor is not shifted');
    await shot('typing-beside-panel.png');
  });

  it('keeps the tab bar and the filters in view when a tab is clicked (2), and narrows the Processes view by status (3)', async function () {
    const view = webview();
    await view.getByRole('tab', { name: /Processes/ }).click();
    assert.ok((await view.locator('.tabs').evaluate((el) => (el as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top)) >= 0, 'the tab bar is in view');
    await view.locator('select[data-filter="status"]').selectOption('amber');
    const steps = view.locator('#view-processes article.step');
    const total = await steps.count();
    const shown = await view.locator('#view-processes article.step:visible').count();
    assert.ok(shown > 0 && shown < total, `amber narrows the steps (${shown} of ${total})`);
    assert.equal(await view.locator('#result-count').textContent(), `Showing ${shown} of ${total} steps`);
    await shot('panel-processes-amber.png');
    await view.locator('#clear-filters').click();
    await view.getByRole('tab', { name: /Scorecard/ }).click();
  });

  it('shows the KPIs of sales.kpi in file scope although another file’s scorecard places them (5)', async function () {
    await runCommand('KPI: Toggle Scorecard Scope');
    const view = webview();
    await page.locator('.tab', { hasText: 'Scorecard: sales.kpi' }).first().waitFor({ timeout: APPEAR_MS });
    await view.locator('.scope', { hasText: 'sales.kpi' }).waitFor({ timeout: APPEAR_MS });
    const cards = await view.locator('#view-scorecard article.kpi').count();
    const counted = Number(await view.locator('.count-total strong').textContent());
    assert.equal(cards, counted, 'a card for every KPI the header counts');
    assert.ok(cards > 0);
    assert.equal(await view.locator('#view-scorecard', { hasText: 'No KPI and no scorecard' }).count(), 0);
    await shot('panel-file-scope.png');
    await runCommand('KPI: Toggle Scorecard Scope');
    await page.locator('.tab', { hasText: 'Scorecard: Workspace' }).first().waitFor({ timeout: APPEAR_MS });
    await view.locator('.scope').waitFor({ state: 'detached', timeout: APPEAR_MS });
  });

  it('stays on its tab when a file opens (6)', async function () {
    const view = webview();
    await view.getByRole('tab', { name: /Objectives/ }).click();
    // Every view the panel shows from now on.
    await view.locator('main').evaluate((main) => {
      const w = globalThis as unknown as { __shown: string[]; MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void } };
      const m = main as unknown as { querySelector(s: string): { getAttribute(a: string): string } | null };
      w.__shown = [];
      new w.MutationObserver(() => w.__shown.push(m.querySelector(':scope > .view:not([hidden])')?.getAttribute('data-view') ?? '')).observe(main, { attributes: true, subtree: true, attributeFilter: ['hidden'] });
    });
    // Back to the editor's group without moving its cursor (a click on its tab), so that the file opens there and not over the panel.
    await page.locator('.tab', { hasText: 'sales.kpi' }).first().click();
    await quickOpen(page, 'finance.kpi', page.locator('.quick-input-list .monaco-list-row', { hasText: 'finance.kpi' }).first());
    await editorLines().locator('span', { hasText: 'process DiscountApproval' }).first().waitFor({ timeout: APPEAR_MS });
    // A click the person makes on a KPI line does switch (and, coming after the opening's cursor, tells us that one was handled).
    await editorLines().locator('.view-line', { hasText: 'kpi NetMargin' }).first().click();
    await view.locator('#kpi-NetMargin.selected').waitFor({ timeout: APPEAR_MS });
    const shown = await view.locator('main').evaluate(() => (globalThis as unknown as { __shown: string[] }).__shown);
    assert.ok(!shown.includes('processes'), `opening the file did not switch to its process (${shown.join(', ')})`);
    assert.equal(shown[shown.length - 1], 'scorecard', 'the click switched to the KPI');
    assert.ok(await focusInEditor());
  });

  it('lists a joint review of two amber or red KPIs once (7)', async function () {
    const file = path.join(workspace, 'e2e-joint.kpi');
    fs.writeFileSync(
      file,
      'kpi E2eApi "E2E partner API" { owner HeadOfEngineering  target >= 100  thresholds { green >= 100  amber >= 80 }  actual 2026-11 85 }\n' +
        'kpi E2eBrief "E2E briefing" { owner HeadOfProduct  depends E2eApi  target >= 95  thresholds { green >= 95  amber >= 85 }  actual 2026-11 50 }\n',
    );
    try {
      const view = webview();
      const pair = view.locator('#view-reviews .review', { hasText: 'E2E partner API' });
      await pair.first().waitFor({ state: 'attached', timeout: APPEAR_MS });
      assert.equal(await pair.count(), 1, 'one meeting for the pair');
    } finally {
      fs.rmSync(file, { force: true });
    }
    await webview().locator('#view-reviews .review', { hasText: 'E2E partner API' }).first().waitFor({ state: 'detached', timeout: APPEAR_MS });
  });

  it('opens the declaration of a clicked card in the editor (click-through)', async function () {
    const view = webview();
    await view.locator('#kpi-ApiReadiness .card-title').click();
    await page.locator('.tab.active', { hasText: 'launch.kpi' }).first().waitFor({ timeout: APPEAR_MS });
    await page.locator('.statusbar-item', { hasText: /Ln 30, Col/ }).first().waitFor({ timeout: APPEAR_MS });
    await editorLines().locator('.view-line', { hasText: 'kpi ApiReadiness' }).first().waitFor({ timeout: APPEAR_MS });
  });

  it('comes back after a window reload with its content', async function () {
    await page.reload({ timeout: APPEAR_MS });
    await page.locator('.monaco-workbench').waitFor({ timeout: APPEAR_MS });
    const view = webview();
    // The content is back whichever tab the restored state shows: the cards are in the page, visible or not.
    await view.locator('#view-scorecard article.kpi').first().waitFor({ state: 'attached', timeout: APPEAR_MS });
    await page.locator('.tab', { hasText: 'Scorecard: Workspace' }).first().waitFor({ timeout: APPEAR_MS });
    // FIXME: the tab the reader chose (the webview's state) is not always back after a reload this soon after the click; not asserted.
  });

  it('exports the scorecard as CSV with "KPI: Export Scorecard…" (the preview bundle loads for it)', async function () {
    const target = path.join(workspace, 'e2e-export.csv');
    fs.rmSync(target, { force: true });
    try {
      await runCommand('KPI: Export Scorecard');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'One row per KPI' }).first().click();
      // code-server's save dialog is a quick input that takes a path; it starts at the proposed name.
      const input = page.locator('.quick-input-widget input');
      await page.waitForFunction(() => /scorecard\.csv$/.test((document.querySelector('.quick-input-widget input') as unknown as { value: string } | null)?.value ?? ''), undefined, { timeout: APPEAR_MS });
      await input.fill(target);
      await page.keyboard.press('Enter');
      await page.locator('.notification-toast', { hasText: 'Scorecard exported to e2e-export.csv' }).first().waitFor({ timeout: APPEAR_MS });
      const text = fs.readFileSync(target, 'utf8');
      for (const title of declaredKpiTitles(workspace)) assert.ok(text.includes(title), `the export has a row for "${title}"`);
    } finally {
      fs.rmSync(target, { force: true });
    }
  });

  it('walks a process with the call hierarchy: who hands work to a step, and where it goes next', async function () {
    // Back to the editor's group (a click on one of its tabs), so that the file opens there and not over the panel.
    await page.locator('.tab', { hasText: 'sales.kpi' }).first().click();
    await quickOpen(page, 'service.kpi', page.locator('.quick-input-list .monaco-list-row', { hasText: 'service.kpi' }).first());
    await page.locator('.editor-instance .monaco-editor .view-lines .view-line', { hasText: 'step Diagnose' }).first().waitFor({ timeout: APPEAR_MS });
    // The cursor on the step's name (line 12, `  step Diagnose`), then Show Call Hierarchy: the steps that hand work to it.
    const input = page.locator('.quick-input-widget input');
    await page.keyboard.press('Control+G');
    await input.fill(':12:10');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: APPEAR_MS });
    await runCommand('Show Call Hierarchy');
    const rows = page.locator('.monaco-list-row', { hasText: 'step of After-sales complaint handling' });
    await page.locator('.monaco-list-row', { hasText: 'Fault diagnosed at the customer' }).first().waitFor({ timeout: APPEAR_MS });
    await rows.filter({ hasText: 'Complaint registered' }).first().waitFor({ timeout: APPEAR_MS });
    await rows.filter({ hasText: 'Customer confirms the appliance works' }).first().waitFor({ timeout: APPEAR_MS });
    // Where it goes next: on site by the same engineer, or to Finance — a hand-off across functions.
    await runCommand('Show Outgoing Calls');
    await rows.filter({ hasText: 'Repaired on site' }).first().waitFor({ timeout: APPEAR_MS });
    await rows.filter({ hasText: 'Replacement approved by Finance' }).filter({ hasText: 'cross-function hand-off' }).first().waitFor({ timeout: APPEAR_MS });
    assert.equal(await rows.filter({ hasText: 'Repaired on site' }).filter({ hasText: 'hand-off' }).count(), 0, 'the same engineer repairs: no hand-off');
    await shot('call-hierarchy.png');
  });

  it('raised no uncaught error in the page', function () {
    assert.deepEqual(pageErrors, []);
  });
});
