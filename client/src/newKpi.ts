// KPI: New KPI… — the VS Code face of features/newKpi.ts: input boxes and
// quick picks for the KPI Clarity Canvas' questions, then the KPI written at
// the end of the active .kpi file (or a new one). The roles and steps to pick
// from come from the language server's workspace symbols of the file's folder.
// Called with answers as its argument (the extension-host test does), it asks
// nothing and writes them.
import * as vscode from 'vscode';
import { appendEdit, FREQUENCY_CHOICES, newKpiText, splitLevers, stepChoices, validateNumber, type NewKpiAnswers, type NewKpiChoices, type TargetComparator } from '../../server/src/language/features/newKpi';
import { todayFrom } from '../../server/src/language/model/periods';

/** The names declared in `folder` (or everywhere when there is no folder), as the server's workspace symbols list them. */
async function declaredNames(folder: vscode.WorkspaceFolder | undefined): Promise<{ choices: NewKpiChoices; taken: Set<string> }> {
  const symbols = (await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', '')) ?? [];
  const roles: string[] = [];
  const objectives: string[] = [];
  const steps: { name: string }[] = [];
  const taken = new Set<string>();
  for (const symbol of symbols) {
    if (folder && vscode.workspace.getWorkspaceFolder(symbol.location.uri)?.uri.toString() !== folder.uri.toString()) continue;
    if (symbol.kind === vscode.SymbolKind.Method && symbol.containerName) steps.push({ name: `${symbol.containerName}.${symbol.name}` });
    else {
      taken.add(symbol.name);
      if (symbol.kind === vscode.SymbolKind.Class && !roles.includes(symbol.name)) roles.push(symbol.name);
      if (symbol.kind === vscode.SymbolKind.Enum && !objectives.includes(symbol.name)) objectives.push(symbol.name);
    }
  }
  return { choices: { roles, objectives, steps }, taken };
}

/** KPI: New KPI… (registered by extension.ts; loaded with the language client, so the core it uses stays out of activation). */
export async function newKpi(given: NewKpiAnswers | undefined): Promise<void> {
  const active = vscode.window.activeTextEditor?.document;
  const target = active?.languageId === 'kpi' ? active : undefined;
  const folder = target ? vscode.workspace.getWorkspaceFolder(target.uri) : vscode.workspace.workspaceFolders?.[0];
  const { choices, taken } = await declaredNames(folder);
  const answers = given ?? (await ask(choices));
  if (!answers) return;
  // KPI_TODAY pins the date for tests and demos, as it does for the language server the editor starts.
  const pinned = process.env['KPI_TODAY'];
  const today = (pinned ? todayFrom(pinned) : undefined) ?? todayFrom(undefined)!;
  const text = newKpiText(answers, (name) => taken.has(name), today);
  const document = target ?? (await vscode.workspace.openTextDocument({ language: 'kpi', content: '' }));
  const edit = appendEdit(document.getText(), text);
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
  await vscode.workspace.applyEdit(workspaceEdit);
  const editor = await vscode.window.showTextDocument(document);
  const end = document.positionAt(document.getText().length);
  editor.revealRange(new vscode.Range(end, end));
}

/** The questions, one at a time; undefined when the user cancels any of them. */
async function ask(choices: NewKpiChoices): Promise<NewKpiAnswers | undefined> {
  const steps = 9;
  const box = (step: number, prompt: string, placeHolder: string, validateInput?: (value: string) => string | undefined) =>
    vscode.window.showInputBox({ title: `New KPI (${step}/${steps})`, prompt, placeHolder, ignoreFocusOut: true, ...(validateInput ? { validateInput } : {}) });
  const title = await box(1, 'What is the KPI called?', 'Lead log time');
  if (title === undefined) return undefined;
  const outcome = await box(2, 'Outcome: what result does it measure, worded as an outcome, not an activity?', 'Every new lead is logged in the CRM within 2 hours');
  if (outcome === undefined) return undefined;
  if (choices.roles.length === 0) {
    void vscode.window.showWarningMessage('KPI: declare the role that owns the KPI first (role Name "Title"); the Get Started walkthrough shows how.');
    return undefined;
  }
  const owner = await vscode.window.showQuickPick(choices.roles, { title: `New KPI (3/${steps})`, placeHolder: 'Ownership: the one role that controls the result', ignoreFocusOut: true });
  if (owner === undefined) return undefined;
  let step: string | undefined;
  const stepNames = stepChoices(choices, owner);
  if (stepNames.length > 0) {
    step = await vscode.window.showQuickPick(stepNames, { title: `New KPI (4/${steps})`, placeHolder: 'The process step where the result is created', ignoreFocusOut: true });
    if (step === undefined) return undefined;
  }
  const levers = await box(5, 'Control levers: what can the owner move? (separate them with commas)', 'CRM mobile app, Lead form, Daily check');
  if (levers === undefined) return undefined;
  const direction = await vscode.window.showQuickPick(
    [
      { label: 'Higher is better', comparator: '>=' as TargetComparator },
      { label: 'Lower is better', comparator: '<=' as TargetComparator },
    ],
    { title: `New KPI (6/${steps})`, placeHolder: 'Which way is better?', ignoreFocusOut: true },
  );
  if (direction === undefined) return undefined;
  const targetText = await box(6, `Target: the number to reach (target ${direction.comparator} …)`, '2', validateNumber);
  if (targetText === undefined) return undefined;
  const picked = await vscode.window.showQuickPick([...FREQUENCY_CHOICES], { title: `New KPI (7/${steps})`, placeHolder: 'Frequency: how often is it measured?', ignoreFocusOut: true });
  const frequency = FREQUENCY_CHOICES.find((cadence) => cadence === picked);
  if (frequency === undefined) return undefined;
  const visibility = await box(8, 'Visibility: where is it shown?', 'Weekly sales review, team dashboard');
  if (visibility === undefined) return undefined;
  const motivation = await box(8, 'Motivation: what makes people care?', 'Fast follow-up wins deals; shown on the team board');
  if (motivation === undefined) return undefined;
  let supports: string | undefined;
  if (choices.objectives.length > 0) {
    const none = 'No objective: say why in words';
    const picked = await vscode.window.showQuickPick([...choices.objectives, none], { title: `New KPI (9/${steps})`, placeHolder: 'Purpose: the objective it serves', ignoreFocusOut: true });
    if (picked === undefined) return undefined;
    if (picked !== none) supports = picked;
  }
  const why = supports ? '' : await box(9, 'Why does it matter? (the purpose)', 'Leads contacted early convert more often');
  if (why === undefined) return undefined;
  const latest = await box(9, 'The latest measured value (optional: leave empty if there is none yet)', '1.5', (value) => (value.trim() === '' ? undefined : validateNumber(value)));
  if (latest === undefined) return undefined;
  return {
    title,
    outcome,
    owner,
    ...(step ? { step } : {}),
    levers: splitLevers(levers),
    comparator: direction.comparator,
    target: Number(targetText),
    frequency,
    visibility,
    motivation,
    ...(supports ? { supports } : {}),
    ...(why ? { why } : {}),
    ...(latest.trim() === '' ? {} : { latest: Number(latest) }),
  };
}
