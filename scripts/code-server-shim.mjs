#!/usr/bin/env node
// A stand-in for the VS Code executable, for @vscode/test-electron's
// `runTests({ vscodeExecutablePath })`: it takes the Electron-style arguments
// (`--extensionDevelopmentPath=…`, `--extensionTestsPath=…`, the workspace
// folder) and runs the same extension-host suite in code-server instead, the
// route of ../shared/REAL-EDITOR.md: Debian's Chromium opens the workbench
// with the development extension and the tests in the URL's `payload`, and
// the workbench calls `codeAutomationExit(code)` when the suite's `run()`
// settles. The shim exits with that code.
//
// With KPI_CODE_SERVER_URL set it uses that running code-server (the
// harness, scripts/e2e.mjs, starts one); otherwise it starts its own with a
// throw-away profile and stops it again. Other VS Code arguments
// (--no-sandbox, --user-data-dir, …) mean nothing here and are ignored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from './lib/browser.mjs';
import { createProfile, ensureCodeServer, startCodeServer } from './lib/code-server.mjs';
import { cleanupAll, log, onCleanup, printSuiteResults, RESULTS, setLogPrefix, withTimeout } from './lib/harness.mjs';

setLogPrefix('shim');

const SUITE_TIMEOUT_MS = Number(process.env.KPI_E2E_SUITE_TIMEOUT_MS ?? 3 * 60_000);

function parseArgs(argv) {
  const options = { developmentPaths: [], testsPath: undefined, folder: undefined };
  for (const arg of argv) {
    const [key, value] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (key === 'extensionDevelopmentPath') options.developmentPaths.push(path.resolve(value));
    else if (key === 'extensionTestsPath') options.testsPath = path.resolve(value);
    else if (!arg.startsWith('-')) options.folder = path.resolve(arg);
  }
  if (!options.testsPath) throw new Error('no --extensionTestsPath=… given');
  if (options.developmentPaths.length === 0) throw new Error('no --extensionDevelopmentPath=… given');
  if (!options.folder) throw new Error('no workspace folder given');
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const resultsFile = process.env.KPI_E2E_RESULTS ?? path.join(RESULTS, 'e2e', 'extension-host.json');
  fs.rmSync(resultsFile, { force: true });

  let url = process.env.KPI_CODE_SERVER_URL;
  if (!url) {
    const entry = await ensureCodeServer();
    const profile = createProfile('kpi-shim-');
    const server = await startCodeServer(entry, profile, { env: { KPI_E2E_RESULTS: resultsFile, KPI_TODAY: process.env.KPI_TODAY ?? '2026-11-22' } });
    url = server.url;
    log(`code-server on ${url} (log: ${server.logFile})`);
  }
  const authority = new URL(url).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ...options.developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(options.testsPath)],
  ];
  const target = `${url}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const browser = await launchChromium();
  onCleanup(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleLog = path.join(RESULTS, 'e2e', 'extension-host-console.log');
  fs.mkdirSync(path.dirname(consoleLog), { recursive: true });
  const consoleLines = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  onCleanup(() => fs.writeFileSync(consoleLog, `${consoleLines.join('\n')}\n`));

  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  // Before navigating: the workbench looks the function up when the suite ends.
  await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code)));
  log('extension-host suite: opening the workbench…');
  await page.goto(target, { timeout: 60_000 });
  const code = await withTimeout(exited, SUITE_TIMEOUT_MS, 'extension-host suite');
  const results = printSuiteResults(resultsFile);
  if (results) log(`extension-host suite: ${results.passed} passed, ${results.failed} failed (exit code ${code})`);
  else log(`extension-host suite: exit code ${code}; the console is in ${path.relative(process.cwd(), consoleLog)}`);
  return code;
}

let status = 1;
try {
  status = await main();
} catch (error) {
  process.stderr.write(`[shim] ${error?.stack ?? error}\n`);
  status = 1;
} finally {
  await cleanupAll();
}
process.exit(status);
