// The scorecard page's stylesheet and script (client/media/), as the strings
// esbuild builds into the bundles that render the page: the CLI's HTML export
// and the VS Code panel and export. The core renderer takes them as an
// argument, so that the unit tests can hand it the same strings built
// through esbuild's API (test/support/webview-assets.ts).
/// <reference path="../../client/media/assets.d.ts" />
import { script, style } from 'kpi-webview-assets';
import type { PageAssets } from './language/service';

export const PAGE_ASSETS: PageAssets = { style, script };
