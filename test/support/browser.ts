// What the browser tests share: where Chromium is, how it is started, and a
// stand-in for VS Code's webview API, as plain JavaScript (no transpiled
// helpers), that records the messages the page posts.
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), nothing that reaches the network or needs a GPU. */
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
