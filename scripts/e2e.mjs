// `npm run test:e2e`: the extension in a real editor.
//
//   1. package the .vsix when it is missing or stale (npm run package);
//   2. install code-server once into .cache/code-server/ and start it on
//      127.0.0.1 with a throw-away profile, the .vsix installed and
//      KPI_TODAY=2026-11-22 in its environment (the language server inherits it);
//   3. the extension-host suite (test/e2e/suite/) through @vscode/test-electron's
//      runTests, with scripts/code-server-shim.mjs standing in for VS Code and
//      the installed extension as the development extension — so what runs is
//      the .vsix's content;
//   4. the UI checks (test/e2e/ui/) with Debian's Chromium in the same workbench;
//   5. stop code-server's whole process group and print "N passed, N failed".
//
// Options: --only=suite|ui; --grep=TEXT runs the UI checks whose title has TEXT; --repackage; --update-docs-images copies the
// editor and scorecard screenshots to docs/images/; --desktop runs the
// extension-host suite in desktop VS Code 1.100.3 instead, which
// @vscode/test-electron downloads from Microsoft's update server (not
// reachable from CI here; the suite is the same). KPI_E2E_KEEP=1 keeps the
// temporary profile and workspaces. KPI_E2E_SABOTAGE=no-diagnostics patches
// the installed server so that it never publishes diagnostics — to see the
// suites fail (they must).
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { browserEnv } from './lib/browser.mjs';
import { createProfile, ensureCodeServer, installExtension, startCodeServer } from './lib/code-server.mjs';
import { cleanupAll, copyExamples, log, printSuiteResults, RESULTS, ROOT, since, tempDir, withTimeout } from './lib/harness.mjs';
import { buildSuite } from './lib/suite-build.mjs';
import { ensureVsix } from './lib/vsix.mjs';

const TODAY = '2026-11-22';
const SHIM = path.join(ROOT, 'scripts', 'code-server-shim.mjs');
const UI_CHECKS = ['workbench.ui.ts', 'multiroot.ui.ts'].map((file) => path.join(ROOT, 'test', 'e2e', 'ui', file));
/** A two-folder workspace (alpha and beta, each with `kpi OnTime`), opened through its .code-workspace file. */
const MULTIROOT_FIXTURE = path.join(ROOT, 'test', 'e2e', 'fixtures', 'multiroot');
const OUT = path.join(RESULTS, 'e2e');
/** Nothing in here may take longer, whatever hangs. */
const WATCHDOG_MS = 15 * 60_000;
const SUITE_RUN_TIMEOUT_MS = 4 * 60_000;
const UI_RUN_TIMEOUT_MS = 7 * 60_000;

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const grep = args.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
const repackage = args.includes('--repackage');
const updateDocsImages = args.includes('--update-docs-images');
const desktop = args.includes('--desktop');

/** Makes the installed server publish no diagnostics (the broken-build experiment). */
function sabotage(extensionDir) {
  const file = path.join(extensionDir, 'dist', 'server.cjs');
  const text = fs.readFileSync(file, 'utf8');
  const count = text.split('textDocument/publishDiagnostics').length - 1;
  if (count === 0) throw new Error('KPI_E2E_SABOTAGE: no publishDiagnostics in the server bundle to break');
  fs.writeFileSync(file, text.replaceAll('textDocument/publishDiagnostics', 'kpi/publishDiagnosticsDisabled'));
  log(`KPI_E2E_SABOTAGE=no-diagnostics: the installed server now publishes nothing (${count} place(s) patched)`);
}

async function runSuite(server, extensionDir, workspace) {
  const resultsFile = path.join(OUT, 'extension-host.json');
  fs.rmSync(resultsFile, { force: true });
  const testsPath = await withTimeout(buildSuite(), 60_000, 'bundling the extension-host suite');
  fs.chmodSync(SHIM, 0o755);
  log('extension-host suite: runTests with the code-server shim as the editor');
  let failure;
  try {
    await withTimeout(
      runTests({
        vscodeExecutablePath: SHIM,
        extensionDevelopmentPath: extensionDir,
        extensionTestsPath: testsPath,
        launchArgs: [workspace],
        extensionTestsEnv: { KPI_CODE_SERVER_URL: server.url, KPI_E2E_RESULTS: resultsFile, KPI_TODAY: TODAY },
        reuseMachineInstall: true,
      }),
      SUITE_RUN_TIMEOUT_MS,
      'extension-host suite',
    );
  } catch (error) {
    failure = error;
  }
  let results;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    // The suite never reported: count the run itself as one failure.
    log(`extension-host suite: no results (${failure?.message ?? 'no results file'})`);
    return { passed: 0, failed: 1 };
  }
  if (failure && results.failed === 0) {
    log(`extension-host suite: the editor failed although every test passed (${failure.message})`);
    return { passed: results.passed, failed: 1 };
  }
  return { passed: results.passed, failed: results.failed };
}

async function runUiChecks(server, workspace, multirootWorkspace) {
  process.env.KPI_CODE_SERVER_URL = server.url;
  process.env.KPI_E2E_UI_WORKSPACE = workspace;
  process.env.KPI_E2E_MULTIROOT_WORKSPACE = multirootWorkspace;
  process.env.KPI_E2E_SCREENSHOTS = OUT;
  const chromiumEnv = browserEnv();
  process.env.KPI_E2E_CHROMIUM_CONFIG = chromiumEnv.XDG_CONFIG_HOME;
  process.env.KPI_E2E_CHROMIUM_CACHE = chromiumEnv.XDG_CACHE_HOME;
  // The checks are TypeScript: load them through tsx, in this process.
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ reporter: 'spec', timeout: 120_000, ...(grep ? { grep } : {}) });
  for (const file of UI_CHECKS) mocha.addFile(file);
  try {
    await mocha.loadFilesAsync();
    const stats = await withTimeout(
      new Promise((resolve) => {
        const runner = mocha.run(() => resolve(runner.stats));
      }),
      UI_RUN_TIMEOUT_MS,
      'UI checks',
    );
    return { passed: stats.passes, failed: stats.failures };
  } finally {
    mocha.dispose();
    await unregister();
  }
}

function copyDocsImages() {
  const images = path.join(ROOT, 'docs', 'images');
  for (const [from, to] of [
    ['scorecard-panel.png', 'panel.png'],
    ['editor-squiggle-hover.png', 'editor.png'],
  ]) {
    const source = path.join(OUT, from);
    if (!fs.existsSync(source)) {
      log(`not copied to docs/images: ${from} is missing`);
      continue;
    }
    fs.copyFileSync(source, path.join(images, to));
    log(`docs/images/${to} ← test-results/e2e/${from}`);
  }
}

/** What ran so far; a harness error counts as one more failure. */
const totals = { passed: 0, failed: 0 };
function add(part) {
  totals.passed += part.passed;
  totals.failed += part.failed;
}

/** The same suite in desktop VS Code (downloaded by @vscode/test-electron), the production build in dist/ as the development extension. */
async function runSuiteOnDesktop() {
  const resultsFile = path.join(OUT, 'extension-host.json');
  fs.rmSync(resultsFile, { force: true });
  await ensureVsix({ force: repackage });
  const testsPath = await buildSuite();
  const workspace = copyExamples(path.join(tempDir('kpi-e2e-ws-'), 'examples'));
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: { KPI_TODAY: TODAY, KPI_E2E_RESULTS: resultsFile },
    });
  } catch (error) {
    log(`desktop VS Code: ${error.message}`);
  }
  const results = printSuiteResults(resultsFile);
  add(results ? { passed: results.passed, failed: results.failed } : { passed: 0, failed: 1 });
}

async function main() {
  const started = Date.now();
  if (desktop) return runSuiteOnDesktop();
  fs.mkdirSync(OUT, { recursive: true });

  const vsix = await ensureVsix({ force: repackage });
  const entry = await ensureCodeServer();
  const profile = createProfile('kpi-e2e-');
  let step = Date.now();
  const extensionDir = await installExtension(entry, profile, vsix);
  log(`installed ${path.basename(vsix)} into the profile (${since(step)})`);
  if (process.env.KPI_E2E_SABOTAGE === 'no-diagnostics') sabotage(extensionDir);
  else if (process.env.KPI_E2E_SABOTAGE) throw new Error(`unknown KPI_E2E_SABOTAGE=${process.env.KPI_E2E_SABOTAGE}`);

  const workspaces = tempDir('kpi-e2e-ws-');
  const suiteWorkspace = copyExamples(path.join(workspaces, 'suite', 'examples'));
  const uiWorkspace = copyExamples(path.join(workspaces, 'ui', 'examples'));
  fs.cpSync(MULTIROOT_FIXTURE, path.join(workspaces, 'multiroot'), { recursive: true });
  const multirootWorkspace = path.join(workspaces, 'multiroot', 'multiroot.code-workspace');

  step = Date.now();
  const server = await startCodeServer(entry, profile, {
    workspace: uiWorkspace,
    env: { KPI_TODAY: TODAY, KPI_E2E_RESULTS: path.join(OUT, 'extension-host.json') },
  });
  log(`code-server ${server.url} is up (${since(step)}); its log ends up in test-results/e2e/code-server.log`);

  try {
    if (only !== 'ui') {
      step = Date.now();
      const part = await runSuite(server, extensionDir, suiteWorkspace);
      log(`extension-host suite: ${part.passed} passed, ${part.failed} failed (${since(step)})`);
      add(part);
    }
    if (only !== 'suite') {
      step = Date.now();
      const part = await runUiChecks(server, uiWorkspace, multirootWorkspace);
      log(`UI checks: ${part.passed} passed, ${part.failed} failed (${since(step)}); screenshots in test-results/e2e/`);
      add(part);
      if (updateDocsImages) copyDocsImages();
    }
  } finally {
    await server.stop();
    if (fs.existsSync(server.logFile)) fs.copyFileSync(server.logFile, path.join(OUT, 'code-server.log'));
  }
  log(`done in ${since(started)}`);
}

const watchdog = setTimeout(() => {
  process.stderr.write(`[e2e] watchdog: still running after ${WATCHDOG_MS / 60_000} min; stopping\n`);
  void cleanupAll().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

try {
  await main();
} catch (error) {
  process.stderr.write(`[e2e] ${error?.stack ?? error}\n`);
  totals.failed += 1;
} finally {
  await cleanupAll();
}
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed > 0 ? 1 : 0);
