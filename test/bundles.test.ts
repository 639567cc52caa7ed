// Activation loads dist/extension.cjs only; the language client
// (dist/client.cjs) and the scorecard preview (dist/preview.cjs: the page's
// renderer, the maps and dagre) are bundles of their own that the entry
// loads later (docs/performance.md, "Activation"). This bundles the entries
// in memory as esbuild.mjs does and checks which sources each one pulls in,
// and that every bundle the client loads is built and shipped in the .vsix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.join(import.meta.dirname, '..');

/** The source files (relative to the root, `/` separators) a bundle of `entry` is made of. */
async function bundledInputs(entry: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    // The page's built stylesheet and script: esbuild.mjs's plugin provides them, here they stay a name.
    external: ['vscode', 'kpi-webview-assets'],
  });
  return Object.keys(result.metafile.inputs).map((input) => input.split(path.sep).join('/'));
}

/** What only the preview needs: none of it may load at activation. */
const PREVIEW_ONLY: readonly { what: string; pattern: RegExp }[] = [
  { what: 'the page renderer', pattern: /^server\/src\/language\/scorecard\/render\// },
  { what: 'dagre', pattern: /node_modules\/@dagrejs\// },
  { what: 'the scorecard panel', pattern: /^client\/src\/preview\/scorecardPanel\.ts$/ },
  { what: 'the export command', pattern: /^client\/src\/preview\/exportScorecard\.ts$/ },
];

describe('client bundles', () => {
  let activation: string[];
  let preview: string[];
  before(async () => {
    [activation, preview] = await Promise.all([bundledInputs('client/src/extension.ts'), bundledInputs('client/src/preview/panelCommands.ts')]);
  });

  it('the preview bundle holds the renderer, dagre, the panel and the export', () => {
    for (const { what, pattern } of PREVIEW_ONLY) assert.ok(preview.some((input) => pattern.test(input)), `${what} is in dist/preview.cjs`);
  });

  it('the activation bundle holds none of the preview, nor the language client', () => {
    for (const { what, pattern } of PREVIEW_ONLY) assert.deepEqual(activation.filter((input) => pattern.test(input)), [], `${what} stays out of dist/extension.cjs`);
    assert.deepEqual(activation.filter((input) => /node_modules\/vscode-languageclient\//.test(input)), [], 'the language client stays out of dist/extension.cjs');
    assert.ok(activation.includes('client/src/preview/index.ts'), 'the preview registers its commands and serializer at activation');
  });

  it('every bundle the client loads later is built by esbuild.mjs and shipped in the .vsix', () => {
    const loaded = new Set<string>();
    for (const file of fs.readdirSync(path.join(ROOT, 'client', 'src'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.join(ROOT, 'client', 'src', file), 'utf8');
      for (const match of text.matchAll(/require\(path\.join\(__dirname, '([\w-]+\.cjs)'\)\)/g)) loaded.add(match[1]!);
    }
    assert.deepEqual([...loaded].sort(), ['client.cjs', 'preview.cjs']);
    const build = fs.readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8');
    const shipped = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const bundle of ['extension.cjs', ...loaded]) {
      assert.ok(build.includes(`outfile: 'dist/${bundle}'`), `esbuild.mjs builds dist/${bundle}`);
      assert.ok(shipped.includes(`!dist/${bundle}`), `.vscodeignore ships dist/${bundle}`);
    }
  });
});
