// `kpi agenda`: the weekly review per owner (docs/agenda.md), as Markdown for
// a chat message or a pull-request comment, JSON, or a self-contained HTML
// file. cli.ts parses the options and hands over what it shares with the
// other commands (loading the workspace, writing the output, usage errors).
import { randomBytes } from 'node:crypto';
import { agendaFilterProblem, buildScorecardModel, filterAgenda, renderAgenda, type AgendaFormat, type Workspace } from './language/service';
import { PAGE_ASSETS } from './pageAssets';

export interface AgendaOptions {
  format?: string;
  output?: string;
  owner?: string;
  function?: string;
}

/** What `kpi agenda` borrows from cli.ts. */
export interface AgendaEdge {
  loadWorkspace(): Workspace;
  write(text: string, output: string | undefined): void;
  /** The format an output file's extension names. */
  formatOfFile(file: string | undefined): string | undefined;
  /** An error that makes the command exit 2 with the usage. */
  usageError(message: string): Error;
}

const FORMATS: readonly AgendaFormat[] = ['markdown', 'json', 'html'];

/**
 * The format is --format, else the output file's extension, else Markdown.
 * An unknown --owner or --function is bad usage (exit 2), as a typo in a
 * scheduled job should fail loudly rather than post an empty agenda.
 */
export function agendaCommand(options: AgendaOptions, edge: AgendaEdge): number {
  const format = options.format ?? edge.formatOfFile(options.output) ?? 'markdown';
  if (!(FORMATS as readonly string[]).includes(format)) throw edge.usageError(`--format must be markdown, json or html for agenda, not "${format}"`);
  for (const [name, value] of [['--owner', options.owner], ['--function', options.function]] as const) {
    if (value === '') throw edge.usageError(`${name} needs a name`);
  }
  const model = buildScorecardModel(edge.loadWorkspace());
  const filter = { ...(options.owner !== undefined ? { owner: options.owner } : {}), ...(options.function !== undefined ? { function: options.function } : {}) };
  const problem = agendaFilterProblem(model, filter);
  if (problem) throw edge.usageError(problem);
  const agenda = filterAgenda(model.agenda!, filter);
  edge.write(renderAgenda(format as AgendaFormat, agenda, { nonce: randomBytes(16).toString('base64'), assets: PAGE_ASSETS }), options.output);
  if (options.output && options.output !== '-') process.stderr.write(`kpi: wrote the agenda to ${options.output}\n`);
  return 0;
}
