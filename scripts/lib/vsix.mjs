// The .vsix under test: `npm run package` (a production esbuild, then
// `vsce package --no-dependencies`) whenever it is missing or older than
// anything it is built from.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, ROOT, run, since } from './harness.mjs';

const PACKAGE_TIMEOUT_MS = 3 * 60_000;

/** What goes into the .vsix, directly or through the bundles. */
const INPUTS = ['package.json', 'package-lock.json', 'esbuild.mjs', '.vscodeignore', 'language-configuration.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'syntaxes', 'media', 'client/src', 'server/src'];

export function vsixPath() {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return path.join(ROOT, 'dist', `${name}-${version}.vsix`);
}

function anyInputNewerThan(time) {
  let newest = 0;
  const visit = (file) => {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of INPUTS) visit(path.join(ROOT, input));
  return newest > time;
}

/** Returns the .vsix path, packaging first when needed (or always with `force`). */
export async function ensureVsix({ force = false } = {}) {
  const vsix = vsixPath();
  const stale = !fs.existsSync(vsix) || anyInputNewerThan(fs.statSync(vsix).mtimeMs);
  if (!force && !stale) {
    log(`using ${path.relative(ROOT, vsix)} (up to date)`);
    return vsix;
  }
  const started = Date.now();
  log('packaging the extension (npm run package)…');
  await run('npm', ['run', 'package'], { timeoutMs: PACKAGE_TIMEOUT_MS, what: 'npm run package' });
  if (!fs.existsSync(vsix)) throw new Error(`npm run package did not write ${vsix}`);
  log(`packaged ${path.relative(ROOT, vsix)} in ${since(started)}`);
  return vsix;
}
