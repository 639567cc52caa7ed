// The `kpi` task type: "kpi: check" in Run Task for each workspace folder
// whose package.json uses kpi-scorecard, and tasks.json entries of type `kpi`.
// The task runs `kpi check` in a terminal and the `$kpi` problem matcher
// (package.json) puts its report into the Problems panel. Registering costs
// nothing at activation: the folders are read only when VS Code asks for tasks.
import * as vscode from 'vscode';
import { KPI_PROBLEM_MATCHER, KPI_TASK_TYPE, kpiTaskCommandLine, offersKpiTask, parseKpiTaskDefinition, type KpiTaskDefinition } from './taskLogic';

export function registerKpiTasks(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(KPI_TASK_TYPE, {
      async provideTasks() {
        const tasks: vscode.Task[] = [];
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          if (offersKpiTask(await readText(vscode.Uri.joinPath(folder.uri, 'package.json')))) {
            tasks.push(kpiTask(folder, { type: KPI_TASK_TYPE, command: 'check' }));
          }
        }
        return tasks;
      },
      resolveTask(task) {
        const definition = parseKpiTaskDefinition(task.definition);
        // A task of a .code-workspace file has no single folder to run in.
        if (!definition || typeof task.scope !== 'object') return undefined;
        // VS Code requires the very definition object it passed in.
        return kpiTask(task.scope, task.definition as KpiTaskDefinition);
      },
    }),
  );
}

function kpiTask(folder: vscode.WorkspaceFolder, definition: KpiTaskDefinition): vscode.Task {
  const { command, args } = kpiTaskCommandLine(definition);
  const task = new vscode.Task(definition, folder, definition.command, KPI_TASK_TYPE, new vscode.ShellExecution(command, args, { cwd: folder.uri.fsPath }), [KPI_PROBLEM_MATCHER]);
  task.detail = `kpi ${[definition.command, ...(definition.args ?? [])].join(' ')} in ${folder.name}, into the Problems panel`;
  return task;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
