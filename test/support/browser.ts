// What the browser tests share: where Chromium is, how it is started, and a
// stand-in for VS Code's webview API, as plain JavaScript (no transpiled
// helpers), that records the messages the page posts.
// Where Chromium is and how it starts: the same as the real-editor harness (scripts/lib/browser.mjs).
export { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/lib/browser.mjs';

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
