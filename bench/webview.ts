// The panel's page in Chromium on the generated workspace: how long it takes
// to load, and to apply a live update (the change the panel posts after an
// edit: the page's script swaps the parts, keeps the reader's view and
// filters, and the browser lays the page out again). `npm run bench` takes
// `webviewRows` from here; `bench/maps.ts` measures the host's side of the
// same update (model, delta, page regions).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScorecardBuilder } from '../server/src/language/scorecard/build';
import { PageRenderer, renderHtml } from '../server/src/language/scorecard/render/html';
import { CHROMIUM, FAKE_VSCODE_API, launchChromium } from '../test/support/browser';
import { webviewAssets } from '../test/support/webview-assets';
import { benchWorkspace } from './maps';
import { percentile } from './stats';

// The page's globals, for the callbacks that run in the browser (the tsconfig has no DOM lib).
declare const window: { postMessage(message: unknown, origin: string): void };
declare const document: { documentElement: { getBoundingClientRect(): unknown } };

export async function webviewRows(files: number, edits: number): Promise<{ what: string; p50: number; unit: string; target?: string }[]> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`bench: no Chromium at ${CHROMIUM}; the panel page's figures are left out`);
    return [];
  }
  const { generated, workspace } = benchWorkspace(files);
  const builder = new ScorecardBuilder();
  const renderer = new PageRenderer();
  let shown = renderer.render(builder.build(workspace));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-bench-page-'));
  const file = path.join(dir, 'panel.html');
  fs.writeFileSync(file, renderHtml(builder.build(workspace), { mode: 'panel', nonce: 'benchNonce', assets: webviewAssets(), cspSource: 'vscode-webview-resource:', version: 0, regions: shown.regions }));
  const megabytes = fs.statSync(file).size / 1e6;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.addInitScript(FAKE_VSCODE_API);
    const start = performance.now();
    await page.goto(`file://${file}`, { timeout: 300_000 });
    await page.evaluate(() => document.documentElement.getBoundingClientRect());
    const load = performance.now() - start;
    const target = generated[0]!;
    const times: number[] = [];
    for (let edit = 1; edit <= edits; edit++) {
      workspace.setDocument(target.key, target.text.replace('"Request received"', `"Request received ${edit}"`), edit + 1, `/bench/${target.key}`);
      workspace.analyze();
      const next = renderer.render(builder.build(workspace));
      const change = next.changeSince(shown);
      shown = next;
      // From the message to the page laid out again: the handler runs as the message's task; reading a box forces the layout.
      times.push(
        await page.evaluate(
          async ({ regions, version }) => {
            const begin = performance.now();
            window.postMessage({ type: 'content', version, base: version - 1, regions }, '*');
            await new Promise((resolve) => setTimeout(resolve, 0));
            document.documentElement.getBoundingClientRect();
            return performance.now() - begin;
          },
          { regions: change, version: edit },
        ),
      );
    }
    const label = `${files} files × 500 lines, ${megabytes.toFixed(0)} MB of HTML`;
    return [
      { what: `panel page in Chromium: load, laid out (${label})`, p50: load, unit: 'ms' },
      { what: `panel page in Chromium: apply a live update, laid out (${label})`, p50: percentile(times, 50), unit: 'ms' },
    ];
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
