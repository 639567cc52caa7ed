// One build script for the VS Code client, the language server and the `kpi`
// CLI. The client is three bundles (see client/src/extension.ts): the entry,
// loaded at activation, and two it loads later: the language client and the
// scorecard preview. Only the client's bundles mark `vscode` external (it is
// provided by the editor); the server and the CLI are self-contained Node
// programs. The two that render the scorecard page (the preview and the CLI)
// inline its stylesheet and script, built from client/media/ by the
// webview-assets plugin.
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';
import { webviewAssetsPlugin } from './scripts/lib/webview-assets.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const packageVersion = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  // Lets the packaged server skip checks that only a change of the grammar can fail (syntax/parser.ts).
  // The version `kpi --version`, SARIF and the server's serverInfo report: package.json's, written in at build time (server/src/version.ts).
  define: { ...(production ? { 'process.env.NODE_ENV': '"production"' } : {}), KPI_SCORECARD_VERSION: JSON.stringify(packageVersion) },
  logLevel: 'warning',
  // chevrotain ships ESM that reads `import.meta` nowhere we need; keep the output quiet.
  legalComments: 'none',
};

const page = { plugins: [webviewAssetsPlugin({ production })] };

const builds = [
  // The entry, the language client it loads right after activation (see client/src/extension.ts),
  // and the scorecard preview it loads when a preview command or the panel's serializer first runs
  // (client/src/preview/index.ts).
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.cjs', external: ['vscode'] },
  { ...common, entryPoints: ['client/src/languageClient.ts'], outfile: 'dist/client.cjs', external: ['vscode'] },
  { ...common, entryPoints: ['client/src/preview/panelCommands.ts'], outfile: 'dist/preview.cjs', external: ['vscode'], ...page },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.cjs', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.cjs', banner: { js: '#!/usr/bin/env node' }, ...page },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching client, server and CLI');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
