// The scorecard page's own stylesheet and script (client/media/), built by
// esbuild into two strings that the renderer inlines into the page, so that
// the panel and the HTML export stay one self-contained file under a strict
// CSP. Used in two places, with the same options:
//   - esbuild.mjs: the plugin below answers `import … from 'kpi-webview-assets'`
//     in the client and CLI bundles;
//   - the unit tests (TypeScript under tsx, which has no loader for .css):
//     test/support/webview-assets.ts calls buildWebviewAssets().
import * as esbuild from 'esbuild';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const WEBVIEW_SCRIPT_ENTRY = path.join(ROOT, 'client', 'media', 'src', 'main.ts');
export const WEBVIEW_STYLE_ENTRY = path.join(ROOT, 'client', 'media', 'scorecard.css');
/** The module name the edges import the built assets from (declared in client/media/assets.d.ts). */
export const WEBVIEW_ASSETS_MODULE = 'kpi-webview-assets';

function options(entry, production) {
  return {
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: production,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    // The page runs in VS Code's webview and in the browsers a report is opened with.
    target: ['chrome105', 'firefox110', 'safari16'],
    ...(entry.endsWith('.ts') ? { format: 'iife', platform: 'browser' } : {}),
  };
}

function read(result) {
  return { text: result.outputFiles[0].text.trim(), inputs: Object.keys(result.metafile.inputs).map((f) => path.resolve(ROOT, f)) };
}

/** `{ style, script }` built synchronously (the tests' route). */
export function buildWebviewAssets({ production = false } = {}) {
  const style = read(esbuild.buildSync(options(WEBVIEW_STYLE_ENTRY, production)));
  const script = read(esbuild.buildSync(options(WEBVIEW_SCRIPT_ENTRY, production)));
  return { style: style.text, script: script.text, inputs: [...style.inputs, ...script.inputs] };
}

/** The esbuild plugin that provides `kpi-webview-assets` (rebuilt, and watched, with the bundle that imports it). */
export function webviewAssetsPlugin({ production = false } = {}) {
  return {
    name: 'kpi-webview-assets',
    setup(build) {
      build.onResolve({ filter: /^kpi-webview-assets$/ }, () => ({ path: WEBVIEW_ASSETS_MODULE, namespace: 'kpi-webview-assets' }));
      build.onLoad({ filter: /.*/, namespace: 'kpi-webview-assets' }, async () => {
        const [style, script] = await Promise.all([esbuild.build(options(WEBVIEW_STYLE_ENTRY, production)), esbuild.build(options(WEBVIEW_SCRIPT_ENTRY, production))]);
        const { text: styleText, inputs: styleInputs } = read(style);
        const { text: scriptText, inputs: scriptInputs } = read(script);
        return {
          contents: `export const style = ${JSON.stringify(styleText)};\nexport const script = ${JSON.stringify(scriptText)};\n`,
          loader: 'js',
          watchFiles: [...styleInputs, ...scriptInputs],
        };
      });
    },
  };
}
