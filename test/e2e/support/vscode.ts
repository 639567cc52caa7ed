// Helpers of the extension-host suite: the workspace (a copy of examples/),
// waiting for a condition by polling, and reading diagnostic codes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'kpi-scorecard.kpi-scorecard';

/**
 * What the examples produce on 2026-11-22 (examples/README.md, "Findings you
 * should see"): the codes of each file, sorted. The harness sets
 * KPI_TODAY=2026-11-22 for the editor, and the language server inherits it.
 */
export const EXPECTED_CODES: Record<string, string[]> = {
  'finance.kpi': ['joint-review', 'stale-data'],
  'launch.kpi': ['cross-function-dependency', 'joint-review'],
  'org.kpi': [],
  'sales.kpi': ['kpi-without-sop', 'team-owner', 'vague-target'],
  'service.kpi': ['at-risk'],
  'sops.kpi': ['sop-review-overdue'],
  'strategy.kpi': [],
};

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the editor has no workspace folder open (the harness opens a copy of examples/)');
  return folder;
}

export function fileUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relative.split('/'));
}

/** Activates the extension (once) and returns it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this editor`);
  await extension.activate();
  return extension;
}

/** A diagnostic's code as a string (`code` may be a string, a number or `{ value, target }`). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function codesOf(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map(codeOf).sort();
}

/**
 * Polls `check` every 100 ms until it returns something other than undefined
 * or false, and returns that; fails with `describe()` (what was seen last)
 * after `ms`.
 */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, describe: () => string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`not seen within ${ms / 1000} s: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Puts `text` back into `document` and saves it, so the suites that follow find the file as it was. */
export async function restoreDocument(document: vscode.TextDocument, text: string): Promise<void> {
  if (document.getText() !== text) {
    const restore = new vscode.WorkspaceEdit();
    restore.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
    await vscode.workspace.applyEdit(restore);
  }
  if (document.isDirty) await document.save();
}

/** The position just after the first match of `pattern` in `document` at or after line `fromLine` (0-based). */
export function positionAfter(document: vscode.TextDocument, pattern: RegExp, fromLine = 0): vscode.Position {
  for (let line = fromLine; line < document.lineCount; line++) {
    const match = pattern.exec(document.lineAt(line).text);
    if (match) return new vscode.Position(line, match.index + match[0].length);
  }
  assert.fail(`${pattern} not found in ${document.uri.path} after line ${fromLine + 1}`);
}

/** The 0-based line of the first line matching `pattern`. */
export function lineOf(document: vscode.TextDocument, pattern: RegExp, fromLine = 0): number {
  for (let line = fromLine; line < document.lineCount; line++) if (pattern.test(document.lineAt(line).text)) return line;
  assert.fail(`${pattern} not found in ${document.uri.path}`);
}

/** The plain text of hover contents (markdown strings and marked strings). */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}
