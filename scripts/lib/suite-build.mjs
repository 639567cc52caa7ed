// Bundles the extension-host suite (test/e2e/suite/*.ts) into
// out/e2e/suite/*.cjs, one file per suite, the way the extension host loads
// it: CommonJS, `vscode` provided by the editor, mocha from node_modules.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './harness.mjs';

export const SUITE_OUT = path.join(ROOT, 'out', 'e2e', 'suite');

/** Builds the suite and returns the path of its entry point (index.cjs). */
export async function buildSuite() {
  const dir = path.join(ROOT, 'test', 'e2e', 'suite');
  const entryPoints = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
  fs.rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: SUITE_OUT,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(SUITE_OUT, 'index.cjs');
}
