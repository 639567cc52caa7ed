// The first five minutes in the real editor: the Get Started walkthrough is
// contributed with its media shipped in the .vsix, and KPI: New KPI…, its
// answers handed over as the command's argument (no input box opens), writes
// a KPI that leaves its file without findings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codesOf, fileUri, waitFor } from '../support/vscode';

interface WalkthroughStep {
  id: string;
  description: string;
  media: { markdown?: string };
}

/** The walkthrough's sample organisation, its names prefixed so that they clash with nothing in the examples. */
function prefixedSample(markdown: string): string {
  const sample = /```kpi\n([\s\S]*?)```/.exec(markdown)?.[1];
  assert.ok(sample, 'the organisation step shows a ```kpi sample');
  return sample.replace(/\b(Sales|SalesCoordinator|LeadHandling|LeadIntake)\b/g, 'E2e$1');
}

describe('the first five minutes', function () {
  let extension: vscode.Extension<unknown>;
  before(async function () {
    extension = await activateExtension();
  });

  it('contributes the Get Started walkthrough, its media shipped with the extension', async function () {
    const walkthroughs = (extension.packageJSON as { contributes: { walkthroughs: { id: string; steps: WalkthroughStep[] }[] } }).contributes.walkthroughs;
    const walkthrough = walkthroughs.find((w) => w.id === 'kpi.getStarted');
    assert.ok(walkthrough, 'the kpi.getStarted walkthrough');
    for (const step of walkthrough.steps) {
      assert.ok(step.media.markdown, `step ${step.id} has markdown media`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, step.media.markdown));
    }
    const commands = await vscode.commands.getCommands(true);
    for (const step of walkthrough.steps) {
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.includes(command!), `the command ${command} of step ${step.id} exists`);
    }
  });

  it('KPI: New KPI… writes a complete KPI that leaves no finding', async function () {
    const organisation = vscode.Uri.joinPath(extension.extensionUri, 'client', 'walkthrough', '2-organisation.md');
    const sample = prefixedSample(new TextDecoder().decode(await vscode.workspace.fs.readFile(organisation)));
    const uri = fileUri('first-five.kpi');
    // An objective nothing measures yet: the KPI that supports it clears the warning.
    const start = `${sample}\nobjective E2eFastLeads "Fast leads" {\n  owner E2eSalesCoordinator\n}\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(start));
    const document = await vscode.workspace.openTextDocument(uri);
    try {
      await vscode.window.showTextDocument(document);
      await waitFor(
        () => JSON.stringify(codesOf(uri)) === JSON.stringify(['objective-unmeasured']),
        () => `only objective-unmeasured before the KPI; have ${codesOf(uri).join(', ')}`,
      );
      await vscode.commands.executeCommand('kpi.newKpi', {
        title: 'E2e lead log time',
        outcome: 'Every new lead is logged in the CRM within 2 hours',
        owner: 'E2eSalesCoordinator',
        step: 'E2eLeadHandling.LogLead',
        levers: ['CRM mobile app', 'Lead form'],
        comparator: '<=',
        target: 2,
        frequency: 'weekly',
        visibility: 'Weekly sales review',
        motivation: 'Shown on the team board',
        supports: 'E2eFastLeads',
        latest: 1.5,
      });
      assert.match(document.getText(), /\n\nkpi E2eLeadLogTime "E2e lead log time" \{\n {2}outcome {4}"Every new lead/);
      await waitFor(
        () => codesOf(uri).length === 0,
        () => `no findings once the KPI is written; have ${codesOf(uri).join(', ')}`,
      );
    } finally {
      // Saved, closed and deleted: the suites that follow find the workspace as it was.
      if (document.isDirty) await document.save();
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(uri);
    }
  });
});
