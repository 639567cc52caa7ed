// UI checks in the real workbench (code-server, the extension installed from
// the .vsix), driven like a person would with Debian's Chromium: a .kpi file
// opens with syntax colouring, a known problem has its squiggle and hover,
// the Problems panel lists it, and the command palette opens the scorecard
// preview, whose webview shows the examples' KPIs with their statuses.
// Screenshots go to test-results/e2e/. Every wait polls a selector.
//
// Run by scripts/e2e.mjs, which starts code-server and sets
// KPI_CODE_SERVER_URL and KPI_E2E_UI_WORKSPACE (a copy of examples/).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';

// The page's globals, for callbacks that run in the browser (the tsconfig has no DOM lib).
declare function getComputedStyle(element: unknown): { color: string };
declare const document: { querySelectorAll(selector: string): ArrayLike<unknown> & Iterable<unknown> };

const CHROMIUM = process.env['KPI_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];
const SHOTS = path.resolve(process.env['KPI_E2E_SCREENSHOTS'] ?? path.join('test-results', 'e2e'));
/** How long one thing may take to appear (the workbench's first load is the slowest). */
const APPEAR_MS = 60_000;

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these checks through scripts/e2e.mjs (npm run test:e2e)`);
  return value;
}

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
  const pageErrors: string[] = [];

  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, name) });
  };
  const editorLines = () => page.locator('.editor-instance .monaco-editor .view-lines').first();

  before(async function () {
    // Chromium's crash reports and caches go where the harness says, not into the home folder.
    const browserHome = {
      ...(process.env['KPI_E2E_CHROMIUM_CONFIG'] ? { XDG_CONFIG_HOME: process.env['KPI_E2E_CHROMIUM_CONFIG'] } : {}),
      ...(process.env['KPI_E2E_CHROMIUM_CACHE'] ? { XDG_CACHE_HOME: process.env['KPI_E2E_CHROMIUM_CACHE'] } : {}),
    };
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, env: { ...process.env, ...browserHome }, timeout: APPEAR_MS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { timeout: APPEAR_MS });
    await page.locator('.monaco-workbench').waitFor({ timeout: APPEAR_MS });
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
    // One row per file with problems, then its problems; closed files included.
    const codes = ['team-owner', 'vague-target', 'kpi-without-sop', 'sop-review-overdue', 'stale-data', 'joint-review', 'cross-function-dependency'];
    for (const text of ['sales.kpi', 'finance.kpi', 'launch.kpi', 'sops.kpi', ...codes]) {
      await rows.filter({ hasText: text }).first().waitFor({ timeout: APPEAR_MS });
    }
    await shot('problems.png');
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
    // More room for the editor and the panel side by side: hide the side bar.
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: APPEAR_MS });
    await shot('scorecard-panel.png');
  });

  it('raised no uncaught error in the page', function () {
    assert.deepEqual(pageErrors, []);
  });
});
