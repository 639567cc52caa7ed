// The trend in a real browser (Debian's Chromium, driven by playwright-core,
// as in test/scorecard-browser.test.ts): the sparkline's dashed projection in
// the colour and with the word of the band it lands in, the projection and
// its method on the card, and an objective's status and due projection.
// Saves test-results/scorecard-trend.png and scorecard-trend-objectives.png
// (copied by hand to docs/images/ after looking at them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { renderHtml } from '../server/src/language/scorecard/render/html';
import { trendWorkspace } from './support/trend-workspace';
import { webviewAssets } from './support/webview-assets';
import { launchChromium } from './support/browser';

// The page's globals, for the callbacks that run in the browser (the tsconfig has no DOM lib).
declare function getComputedStyle(element: unknown): { stroke: string; strokeDasharray: string; fill: string };

const RESULTS = path.resolve('test-results');
// The light theme's band colours in client/media/scorecard.css (--amber #b58100, --red #cf222e).
const AMBER = 'rgb(181, 129, 0)';
const RED = 'rgb(207, 34, 46)';

describe('the trend in Chromium', function () {
  this.timeout(30000);
  let browser: Browser | undefined;
  let dir: string;
  let file: string;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-trend-'));
    file = path.join(dir, 'trend.html');
    fs.writeFileSync(file, renderHtml(buildScorecardModel(trendWorkspace()), { mode: 'export', nonce: 'tR3ndN0nce', assets: webviewAssets() }));
    fs.mkdirSync(RESULTS, { recursive: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('continues the sparkline with a dashed segment in the colour and with the word of the projected band', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);

    const card = page.locator('#kpi-SellOutGrowth');
    const segment = card.locator('.spark-projection-line');
    assert.ok(await segment.isVisible(), 'the dashed segment shows');
    const style = await segment.evaluate((el) => ({ stroke: getComputedStyle(el).stroke, dash: getComputedStyle(el).strokeDasharray }));
    assert.equal(style.stroke, AMBER, 'amber: 19.5 lands between 12 and 20');
    assert.match(style.dash, /^3(px)?,? 2(px)?$/, 'dashed');
    // It continues the actuals to the right: it starts where the latest point is and ends further right.
    const segmentBox = (await segment.boundingBox())!;
    const latestBox = (await card.locator('.spark-latest').boundingBox())!;
    assert.ok(Math.abs(segmentBox.x - (latestBox.x + latestBox.width / 2)) < 2, `starts at the latest point (${segmentBox.x}, ${latestBox.x + latestBox.width / 2})`);
    assert.ok(segmentBox.x + segmentBox.width > latestBox.x + latestBox.width, 'ends right of it');
    assert.equal(await card.locator('.legend-projection').innerText(), 'projected 2026-11');
    assert.equal(await card.locator('.projection .chip').innerText(), 'Amber');
    assert.equal(await card.locator('.trend-projection').innerText(), 'Projected 19.5% by the end of 2026-11 (2026-11-30).');
    assert.equal(await card.locator('.trend-method').innerText(), 'Trend -1.6 a month (a straight line through the latest 4 actuals).');
    assert.equal(await card.locator('.spark-projection title').textContent(), 'projected 19.5% for 2026-11: Amber');

    const complaints = page.locator('#kpi-ComplaintRate');
    assert.equal(await complaints.locator('.spark-projection-line').evaluate((el) => getComputedStyle(el).stroke), RED, 'red: 3.2 is above 3');
    assert.equal(await complaints.locator('.legend-projection').innerText(), 'projected 2026-W48');
    assert.equal(await page.locator('#kpi-Training .spark-projection-line').count(), 0, 'no trend, no segment');
    await page.locator('#view-scorecard').screenshot({ path: path.join(RESULTS, 'scorecard-trend.png') });

    await page.getByRole('tab', { name: /Objectives/ }).click();
    const grow = page.locator('#objective-GrowAPlus');
    assert.equal(await grow.locator('.card-head .chip .st-word').innerText(), 'Amber');
    assert.equal(await grow.locator('.kr-due').innerText(), 'Projected 17.9% at due 2026-12-31 (2026-12): amber, by a straight line through the latest 4 actuals.');
    assert.equal(await page.locator('#objective-FixComplaints .kr-due .sicon .shape').evaluate((el) => getComputedStyle(el).fill), RED, 'the red icon beside the due projection');
    await page.locator('#view-objectives .map').screenshot({ path: path.join(RESULTS, 'scorecard-trend-objectives.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
