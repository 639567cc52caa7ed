// Runs the bundled `kpi` (dist/cli.cjs) as users run it, in a child process.
import { spawnSync } from 'node:child_process';
import { CLI } from './lsp';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Variables a test's own environment must not leak into `kpi`: they change the date and the colours. */
const DECIDING_VARIABLES = ['KPI_TODAY', 'NO_COLOR', 'FORCE_COLOR'];

/** Runs `kpi args…` in `cwd`. KPI_TODAY, NO_COLOR and FORCE_COLOR are unset unless `env` sets them, so only the test decides. */
export function runKpi(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of DECIDING_VARIABLES) if (!(name in env)) delete childEnv[name];
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: childEnv, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
