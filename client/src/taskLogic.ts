// The `kpi` task type's decisions that need no editor: what a task definition
// from tasks.json means, which command line it runs, and which folders are
// offered "kpi: check". No `vscode` import here, so it is unit-tested in
// test/tasks.test.ts; tasks.ts is the thin VS Code side.

/** The `type` of the task definition contributed in package.json. */
export const KPI_TASK_TYPE = 'kpi';

/** The problem matcher contributed in package.json, as tasks name it. */
export const KPI_PROBLEM_MATCHER = '$kpi';

/** The npm package whose `kpi` command the task runs. */
export const KPI_PACKAGE = 'kpi-scorecard';

/** A `kpi` task definition (package.json `contributes.taskDefinitions`). */
export interface KpiTaskDefinition {
  type: typeof KPI_TASK_TYPE;
  command: 'check';
  /** More arguments, such as paths, `--max-warnings 0` or `--quiet`. */
  args?: string[];
}

/** A definition from tasks.json, checked: VS Code validates it against the schema only as a hint. */
export function parseKpiTaskDefinition(value: unknown): KpiTaskDefinition | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, command, args } = value as Record<string, unknown>;
  if (type !== KPI_TASK_TYPE || command !== 'check') return undefined;
  if (args !== undefined && !(Array.isArray(args) && args.every((a) => typeof a === 'string'))) return undefined;
  return { type, command, ...(args ? { args } : {}) };
}

/**
 * The command line of a task: the project's own `kpi` through npx, so the
 * task checks with the version CI runs (the extension does not ship the CLI).
 * `--no` makes npx fail with a message instead of downloading a package.
 * `--format text` because the problem matcher reads the text report.
 */
export function kpiTaskCommandLine(definition: KpiTaskDefinition): { command: string; args: string[] } {
  return { command: 'npx', args: ['--no', '--', 'kpi', definition.command, ...(definition.args ?? []), '--format', 'text'] };
}

/**
 * Whether a folder gets "kpi: check": its package.json is the kpi-scorecard
 * package itself or depends on it. Without one, `npx --no kpi` would fail; a
 * tasks.json entry can still run `kpi` some other way with the `$kpi` matcher.
 */
export function offersKpiTask(packageJsonText: string | undefined): boolean {
  if (packageJsonText === undefined) return false;
  let manifest: unknown;
  try {
    manifest = JSON.parse(packageJsonText);
  } catch {
    return false;
  }
  if (typeof manifest !== 'object' || manifest === null) return false;
  const record = manifest as Record<string, unknown>;
  if (record['name'] === KPI_PACKAGE) return true;
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => {
    const dependencies = record[field];
    return typeof dependencies === 'object' && dependencies !== null && Object.hasOwn(dependencies, KPI_PACKAGE);
  });
}
