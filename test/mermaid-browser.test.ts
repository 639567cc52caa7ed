// The Markdown export's Mermaid flowcharts drawn by the real Mermaid (the
// browser bundle from node_modules, a devDependency) in Debian's Chromium, as
// GitHub and GitLab draw them: every diagram of the examples, the test models,
// hostile titles and generated processes must become an SVG without a parse
// error, with a node per step or objective whose text is the label as
// written, and nothing in a title may run, load or be read as syntax.
//
// CI installs Chromium with `apt-get install -y chromium`; without it this
// suite fails with a message that says so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderMarkdown } from '../server/src/language/scorecard/render/markdown';
import type { ScorecardModel } from '../server/src/language/scorecard/model';
import { examplesModel, generatedModel, MERMAID_HOSTILE, mermaidBlocks } from './support/mermaid-models';
import { hostileModel, realisticModel } from './support/scorecard-models';
import { launchChromium } from './support/browser';

// The page's globals, for the callbacks that run in the browser (the tsconfig has no DOM lib).
declare const window: any;
declare const document: any;

const MERMAID_BUNDLE = path.join(import.meta.dirname, '..', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

/** What Mermaid drew: the SVG's kind and the text of each node and edge label. */
interface Drawn {
  error?: string;
  roleDescription?: string;
  nodes: string[];
  edgeLabels: string[];
  clusters: string[];
}

/**
 * The text a label shows: Mermaid's entity codes decoded, its line breaks
 * gone (a node's text runs on across them).
 */
function shownText(label: string): string {
  return label.replace(/<br>/g, '').replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/** The labels of a diagram's nodes, edges and subgraphs, as its source writes them. */
function labelsOf(source: string): { nodes: string[]; edgeLabels: string[]; clusters: string[] } {
  const nodes = [...source.matchAll(/^ +(?:step|goal)\d+\["([^"]*)"\]$/gm)].map((match) => shownText(match[1]!));
  const edgeLabels = [...source.matchAll(/\|"([^"]*)"\|/g)].map((match) => shownText(match[1]!));
  const clusters = [...source.matchAll(/^ *subgraph \S+ \["([^"]*)"\]$/gm)].map((match) => shownText(match[1]!));
  return { nodes, edgeLabels, clusters };
}

/** A ZWSP and other invisible characters may be dropped or kept by the browser's text; compare without them. */
function comparable(texts: readonly string[]): string[] {
  return texts.map((text) => text.replace(/[\u0000\u200B-\u200F\u202A-\u202E\u2060\uFEFF\uFFFD]/g, '').replace(/\s+/g, ' ').trim()).sort();
}

describe('Mermaid draws the Markdown export’s flowcharts in Chromium', function () {
  this.timeout(180000);
  let browser: Browser | undefined;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  before(async function () {
    assert.ok(fs.existsSync(MERMAID_BUNDLE), `${MERMAID_BUNDLE} is missing: run npm ci`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // No network: a diagram that tried to load anything would show up here.
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><div id="diagram"></div></body></html>');
    await page.addScriptTag({ content: fs.readFileSync(MERMAID_BUNDLE, 'utf8') });
    await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
  });

  after(async () => {
    await browser?.close();
  });

  let renders = 0;
  async function draw(source: string): Promise<Drawn> {
    const id = `diagram${renders++}`;
    return page.evaluate(
      async ([text, diagramId]) => {
        try {
          const { svg } = await window.mermaid.render(diagramId, text);
          const holder = document.getElementById('diagram');
          holder.innerHTML = svg;
          const root = holder.querySelector('svg');
          return {
            roleDescription: String(root?.getAttribute('aria-roledescription') ?? ''),
            // Inline, not a helper: the bundler would wrap a named function in a helper the page lacks.
            nodes: [...holder.querySelectorAll('g.node')].map((element: any) => String(element.textContent)),
            edgeLabels: [...holder.querySelectorAll('g.edgeLabel')].map((element: any) => String(element.textContent)).filter((text: string) => text.length > 0),
            clusters: [...holder.querySelectorAll('g.cluster-label')].map((element: any) => String(element.textContent)),
            ...(/Syntax error|Parse error/i.test(svg) ? { error: 'error diagram' } : {}),
          };
        } catch (error: any) {
          return { error: String(error?.message ?? error), nodes: [], edgeLabels: [], clusters: [] };
        }
      },
      [source, id] as const,
    );
  }

  async function assertDrawsAll(model: ScorecardModel, minimum: number): Promise<string[]> {
    const blocks = mermaidBlocks(renderMarkdown(model));
    assert.ok(blocks.length >= minimum, `${blocks.length} diagrams, expected at least ${minimum}`);
    for (const source of blocks) {
      const drawn = await draw(source);
      assert.equal(drawn.error, undefined, `Mermaid failed on:\n${source}\n${drawn.error}`);
      assert.equal(drawn.roleDescription, 'flowchart-v2');
      const written = labelsOf(source);
      assert.deepEqual(comparable(drawn.nodes), comparable(written.nodes), 'a node per step or objective, showing its label as written');
      assert.deepEqual(comparable(drawn.edgeLabels), comparable(written.edgeLabels), 'the arrows’ labels as written');
      assert.deepEqual(comparable(drawn.clusters), comparable(written.clusters), 'the lanes, functions and bands as written');
    }
    return blocks;
  }

  it('draws the examples’ strategy map and processes', async () => {
    await assertDrawsAll(examplesModel(), 2);
  });

  it('draws the realistic and the hostile test models', async () => {
    await assertDrawsAll(realisticModel(), 3);
    await assertDrawsAll(hostileModel(), 2);
  });

  it('draws generated processes with branches, loops, self-loops and unreachable steps, and titles hostile to Mermaid', async () => {
    const sources = [
      ...(await assertDrawsAll(generatedModel(5, { steps: 24, titles: MERMAID_HOSTILE }), 2)),
      ...(await assertDrawsAll(generatedModel(6, { steps: 10, objectives: 16, titles: [...MERMAID_HOSTILE].reverse() }), 2)),
      ...(await assertDrawsAll(generatedModel(28, { steps: 50 }), 2)),
    ].join('\n');
    // The seeds were chosen so that every kind of arrow and step is drawn.
    assert.match(sources, /^ {2}(step\d+) -\.->\|"[^"]*"\| \1$/m, 'a step that is its own next');
    assert.match(sources, /^ {2}step\d+ -\.->/m, 'a loop back');
    assert.match(sources, /^ {2}step\d+ ==>/m, 'a hand-off between functions');
    assert.match(sources, /^ {2}step\d+ -->\|"hand-off"\|/m, 'a hand-off within a function');
    assert.match(sources, /^ {2}class step\d+ unreachable$/m, 'an unreachable step');
    assert.match(sources, /^ +subgraph lane\d+ \["No owner"\]$/m, 'the lane of steps without owner');
    assert.match(sources, /^ {2}goal\d+ -\.->/m, 'a KPI depends arrow');
  });

  it('ran nothing and loaded nothing', async () => {
    assert.ok(renders > 10, `only ${renders} diagrams drawn`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no title ran as script');
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
  });
});
