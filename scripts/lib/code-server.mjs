// code-server (the VS Code workbench served to a browser, with VS Code's own
// Node extension host): installed once into .cache/code-server/ from the npm
// registry, then started per run with a throw-away profile. See
// ../shared/REAL-EDITOR.md for why these versions and work-arounds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE, ROOT, log, pollUntil, run, since, spawnGroup, tempDir, freePort } from './harness.mjs';

/** The newest code-server whose engines accept node 20 (VS Code 1.100.3). */
export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep that code-server 4.100.3 depends on, and the ripgrep build it fetches. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BUILD = 'v13.0.0-10';

const INSTALL_DIR = path.join(CACHE, 'code-server');
const MARKER = path.join(INSTALL_DIR, `installed-${CODE_SERVER_VERSION}`);
const ENTRY = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const INSTALL_TIMEOUT_MS = 10 * 60_000;
const CLI_TIMEOUT_MS = 90_000;
const START_TIMEOUT_MS = 60_000;

function ripgrepTarget() {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
  if (!arch || process.platform !== 'linux') throw new Error(`no ripgrep seed for ${process.platform}-${process.arch}`);
  return `${arch}-unknown-linux-musl`;
}

/**
 * Returns the path of code-server's entry script, installing code-server
 * first when the cache does not hold a complete install of this version.
 */
export async function ensureCodeServer() {
  if (fs.existsSync(MARKER) && fs.existsSync(ENTRY)) return ENTRY;
  const started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), INSTALL_DIR) || INSTALL_DIR} (once; about 1–2 minutes)…`);
  fs.mkdirSync(INSTALL_DIR, { recursive: true });
  fs.writeFileSync(path.join(INSTALL_DIR, 'package.json'), `${JSON.stringify({ name: 'kpi-code-server-cache', private: true }, null, 2)}\n`);

  // Work-around 3: @vscode/ripgrep downloads ripgrep from GitHub in its
  // postinstall unless its cache (under TMPDIR) holds the tarball already.
  // Seed it with Debian's rg.
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new Error(`${rg} is missing: install Debian's ripgrep (apt-get install -y ripgrep)`);
  const tmp = tempDir('kpi-code-server-install-');
  const seedDir = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const stage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(seedDir, { recursive: true });
  fs.mkdirSync(stage);
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  await run('tar', ['-czf', path.join(seedDir, `ripgrep-${RIPGREP_BUILD}-${ripgrepTarget()}.tar.gz`), '-C', stage, 'rg'], { timeoutMs: 30_000 });

  const env = {
    ...process.env,
    TMPDIR: tmp,
    // Work-around 1: code-server's postinstall refuses to run as root otherwise.
    npm_config_unsafe_perm: 'true',
    // Work-around 2: a postinstall runs `npx node-gyp`, which must not prompt.
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  await run('npm', ['install', '--prefix', INSTALL_DIR, '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    env,
    cwd: INSTALL_DIR,
    timeoutMs: INSTALL_TIMEOUT_MS,
    what: `npm install code-server@${CODE_SERVER_VERSION}`,
  });
  if (!fs.existsSync(ENTRY)) throw new Error(`code-server installed, but ${ENTRY} is missing`);
  fs.writeFileSync(MARKER, `${new Date().toISOString()}\n`);
  log(`code-server installed in ${since(started)}`);
  return ENTRY;
}

/**
 * A throw-away profile: user data, extensions, XDG folders and TMPDIR in one
 * temporary folder, so nothing is written into the home folder.
 */
export function createProfile(prefix = 'kpi-code-server-') {
  const base = tempDir(prefix);
  const profile = {
    base,
    userDataDir: path.join(base, 'user-data'),
    extensionsDir: path.join(base, 'extensions'),
    xdgConfig: path.join(base, 'xdg-config'),
    xdgData: path.join(base, 'xdg-data'),
    xdgCache: path.join(base, 'xdg-cache'),
    xdgState: path.join(base, 'xdg-state'),
    tmp: path.join(base, 'tmp'),
    log: path.join(base, 'code-server.log'),
  };
  for (const dir of [profile.userDataDir, profile.extensionsDir, profile.xdgConfig, profile.xdgData, profile.xdgCache, profile.xdgState, profile.tmp]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  // Quiet first start: no welcome page, no release notes, no telemetry prompt.
  const settings = path.join(profile.userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(
    settings,
    `${JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'update.showReleaseNotes': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'security.workspace.trust.enabled': false,
        'window.restoreWindows': 'none',
        // The sticky header would cover the line a check hovers.
        'editor.stickyScroll.enabled': false,
        'chat.commandCenter.enabled': false,
        'chat.disableAIFeatures': true,
      },
      null,
      2,
    )}\n`,
  );
  return profile;
}

function profileEnv(profile, extra) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: profile.xdgConfig,
    XDG_DATA_HOME: profile.xdgData,
    XDG_CACHE_HOME: profile.xdgCache,
    XDG_STATE_HOME: profile.xdgState,
    TMPDIR: profile.tmp,
    ...extra,
  };
}

function profileArgs(profile) {
  return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Installs a .vsix into the profile (code-server's own CLI) and returns the unpacked extension's folder. */
export async function installExtension(entry, profile, vsix) {
  await run(process.execPath, [entry, ...profileArgs(profile), '--install-extension', vsix, '--force'], {
    env: profileEnv(profile, {}),
    timeoutMs: CLI_TIMEOUT_MS,
    what: `code-server --install-extension ${path.basename(vsix)}`,
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const prefix = `${manifest.publisher}.${manifest.name}-`.toLowerCase();
  const folder = fs.readdirSync(profile.extensionsDir).find((name) => name.toLowerCase().startsWith(prefix));
  if (!folder) throw new Error(`the extension is not in ${profile.extensionsDir} after --install-extension`);
  return path.join(profile.extensionsDir, folder);
}

/**
 * Starts code-server on 127.0.0.1 with a free port (or `port`) in its own
 * process group and waits for /healthz. Returns `{ url, port, stop, logFile }`;
 * `stop()` is also registered as a clean-up.
 */
export async function startCodeServer(entry, profile, { workspace, env = {}, port } = {}) {
  const chosen = port ?? (await freePort());
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${chosen}`,
    '--auth',
    'none',
    ...profileArgs(profile),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(workspace ? [workspace] : []),
  ];
  const server = spawnGroup(process.execPath, args, { env: profileEnv(profile, env), logFile: profile.log });
  const url = `http://127.0.0.1:${chosen}`;
  let exited;
  void server.exited.then((status) => (exited = status));
  await pollUntil(
    async () => {
      if (exited) throw new Error(`code-server exited (${exited.code ?? exited.signal}); see ${profile.log}`);
      const response = await fetch(`${url}/healthz`);
      return response.ok;
    },
    START_TIMEOUT_MS,
    `code-server on ${url}`,
  ).catch((error) => {
    throw exited ? new Error(`code-server exited (${exited.code ?? exited.signal}):\n${readTail(profile.log)}`) : error;
  });
  return { url, port: chosen, stop: server.stop, exited: server.exited, logFile: profile.log };
}

export function readTail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
