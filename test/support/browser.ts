// What the browser tests share: where Chromium is, how it is started, and a
// stand-in for VS Code's webview API, as plain JavaScript (no transpiled
// helpers), that records the messages the page posts.
// Where Chromium is and how it starts: the same as the real-editor harness (scripts/lib/browser.mjs).
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/lib/browser.mjs';

export { CHROMIUM, CHROMIUM_ARGS };

/** Debian's Chromium, headless, started as every browser test starts it; a clear error when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (CI does).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export const FAKE_VSCODE_API = `
    window.__messages = [];
    window.__state = null;
    window.acquireVsCodeApi = function () {
      return {
        postMessage: function (m) { window.__messages.push(m); },
        getState: function () { return window.__state; },
        setState: function (s) { window.__state = JSON.parse(JSON.stringify(s)); }
      };
    };`;
