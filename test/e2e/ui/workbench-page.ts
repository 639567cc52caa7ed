// What every UI check file needs: Debian's Chromium with the flags that work
// here (../shared/REAL-EDITOR.md), the workbench of the running code-server
// opened on a folder or a `.code-workspace` file, uncaught page errors
// collected, and screenshots written where the harness says.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const CHROMIUM = process.env['KPI_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];
const SHOTS = path.resolve(process.env['KPI_E2E_SCREENSHOTS'] ?? path.join('test-results', 'e2e'));
/** How long one thing may take to appear (the workbench's first load is the slowest). */
export const APPEAR_MS = 60_000;

/** A variable scripts/e2e.mjs sets; a clear failure when the checks run some other way. */
export function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these checks through scripts/e2e.mjs (npm run test:e2e)`);
  return value;
}

export interface WorkbenchPage {
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page so far, but those of the editor's own webview host (see `isWebviewHostError`). */
  pageErrors: string[];
}

/**
 * Whether an uncaught error was thrown by VS Code's own webview host frame
 * (`webview/browser/pre/index.html`), not by the workbench or by our panel's
 * page (an inner frame of its own). That host throws "Found unexpected null"
 * now and then when a window reload removes a frame it is still loading; it
 * is the editor's race, not something the extension can cause or prevent.
 */
export function isWebviewHostError(stack: string | undefined): boolean {
  return /\/webview\/browser\/pre\/index(-no-csp)?\.html/.test(stack ?? '');
}

/** Opens the workbench at `query` (`folder=…` or `workspace=…`, encoded) and waits for it. */
export async function openWorkbench(url: string, query: string): Promise<WorkbenchPage> {
  // Chromium's crash reports and caches go where the harness says, not into the home folder.
  const browserHome = {
    ...(process.env['KPI_E2E_CHROMIUM_CONFIG'] ? { XDG_CONFIG_HOME: process.env['KPI_E2E_CHROMIUM_CONFIG'] } : {}),
    ...(process.env['KPI_E2E_CHROMIUM_CACHE'] ? { XDG_CACHE_HOME: process.env['KPI_E2E_CHROMIUM_CACHE'] } : {}),
  };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, env: { ...process.env, ...browserHome }, timeout: APPEAR_MS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => {
    if (isWebviewHostError(error.stack)) console.log(`      (the editor's webview host threw, not counted: ${error.stack?.split("\n").slice(0, 3).join(" / ") ?? error.message})`);
    else pageErrors.push(error.message);
  });
  await page.goto(`${url}/?${query}`, { timeout: APPEAR_MS });
  await page.locator('.monaco-workbench').waitFor({ timeout: APPEAR_MS });
  return { browser, page, pageErrors };
}

/** Saves a screenshot of `page` as `name` in the harness's results folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** How long one Quick Open query may take to list its files before it is typed again. */
const QUERY_MS = 10_000;

/**
 * Quick Open (Ctrl+P) with `query`, then a click on `row` (a locator of the
 * result rows). Quick Open searches once per query: one typed while the
 * workbench still resolves its folders finds nothing and stays empty (this
 * failed once in CI), so an empty answer is dismissed and the query typed
 * again, until APPEAR_MS has passed.
 */
export async function quickOpen(page: Page, query: string, row: Locator): Promise<void> {
  const deadline = Date.now() + APPEAR_MS;
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ timeout: APPEAR_MS });
    await input.fill(query);
    try {
      await row.waitFor({ timeout: Math.max(1, Math.min(QUERY_MS, deadline - Date.now())) });
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      console.log(`      (Quick Open found no row for ${query} on attempt ${attempt}; typing it again)`);
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: APPEAR_MS });
    }
  }
  await row.click();
}
