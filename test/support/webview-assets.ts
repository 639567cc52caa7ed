// The scorecard page's stylesheet and script for tests: the same strings the
// bundles inline (scripts/lib/webview-assets.mjs), built once per process
// through esbuild's API, since tsx, which runs the tests, has no loader for
// the .css file or for a browser bundle.
import type { PageAssets } from '../../server/src/language/scorecard/render/html';
import { buildWebviewAssets } from '../../scripts/lib/webview-assets.mjs';

let built: PageAssets | undefined;

export function webviewAssets(): PageAssets {
  if (!built) {
    const { style, script } = buildWebviewAssets();
    built = { style, script };
  }
  return built;
}
