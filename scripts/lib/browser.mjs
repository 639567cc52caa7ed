// Debian's Chromium, driven by playwright-core (nothing downloads a browser).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { tempDir } from './harness.mjs';

export const CHROMIUM = process.env.KPI_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/**
 * The environment for Chromium: its crash reports and caches go to a
 * temporary folder instead of ~/.config/chromium and ~/.cache/chromium.
 */
export function browserEnv() {
  const home = tempDir('kpi-chromium-');
  return { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') };
}

/** Launches Chromium; the caller closes it (and registers that as a clean-up). */
export async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, env: browserEnv(), timeout: 60_000 });
}
