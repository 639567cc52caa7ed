// `kpi` — the command line for CI (LANGUAGE.md section 6). A thin layer over
// the core: find files, build one workspace, print its diagnostics; or give
// files their canonical layout (`kpi format`, docs/formatting.md).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allDiagnostics,
  applyEdits,
  buildScorecardModel,
  CONFIG_FILE,
  createWorkspace,
  fixAll,
  formatWithReason,
  renderCsv,
  renderReport,
  RULES,
  ruleDocsUrl,
  todayFrom,
  type Day,
  type InputFile,
  type LocatedDiagnostic,
  type ReportFormat,
  type Workspace,
} from './language/service';
import { agendaCommand } from './cliAgenda';
import { painter, wantsColour, type Paint } from './node/colour';
import { mapSvg } from './mapExport';
import { PAGE_ASSETS } from './pageAssets';
import { findKpiFiles, keyFor, nodeFileSystem, readText } from './node/files';
import { VERSION } from './version';


const USAGE = `Usage:
  kpi check [paths…] [--format text|json|sarif] [--today YYYY-MM-DD] [--fix]
            [--quiet] [--max-warnings N]
  kpi scorecard [paths…] [--format html|json|csv|markdown|svg] [--today YYYY-MM-DD]
                [-o file] [--no-bom] [--map process:Name|strategy|handoffs]
  kpi format [paths…] [--check]
  kpi agenda [paths…] [--owner Role] [--function Function]
             [--format markdown|html|json] [--today YYYY-MM-DD] [-o file]
  kpi --version | --help

Paths are .kpi files or folders (searched for .kpi files, skipping node_modules
and dot-folders); none means the current folder. The current folder is the
workspace root for .kpirc.json and data paths.

check exits 0 when there is no error, 1 on at least one error diagnostic or
when there are more warnings than --max-warnings N allows (N is 0 or more;
-1, the default, sets no limit). --quiet reports errors only; the warnings it
leaves out still count towards --max-warnings.
scorecard --format svg --map draws one map: a process's swimlanes, the
strategy map or the hand-offs between functions.
scorecard starts a CSV with a UTF-8 byte-order mark, as the editor's export
does, so that Excel reads non-ASCII text correctly; --no-bom leaves it out for
a program that does not skip it.
format rewrites the files whose layout is not canonical and prints their
paths; files with syntax errors are left alone (named on stderr, exit 1).
format --check changes nothing, lists the files that are not formatted and
exits 1 if there is any (or any file with syntax errors), 0 otherwise.
agenda prints the weekly review: per owner, red, amber and at-risk KPIs,
stale data, SOP reviews overdue or due within 14 days, joint reviews;
--owner and --function narrow it (an unknown name is bad usage).
Bad usage exits 2. Environment: KPI_TODAY=YYYY-MM-DD sets today, like --today.
The text report is coloured on a terminal: NO_COLOR=1 turns colour off,
FORCE_COLOR=1 turns it on even in a pipe, FORCE_COLOR=0 turns it off.`;

class UsageError extends Error {}

interface Options {
  command: string;
  paths: string[];
  format?: string;
  today?: string;
  output?: string;
  check: boolean;
  fix: boolean;
  /** `check --quiet`: report errors only. */
  quiet: boolean;
  /** `check --max-warnings N`: exit 1 on more than N warnings; undefined or -1 sets no limit. */
  maxWarnings?: number;
  /** `scorecard --no-bom` (false) or `--bom` (true, the default anyway): whether the CSV starts with a byte-order mark; undefined when neither is given. */
  bom?: boolean;
  /** `agenda --owner Role` and `--function Function`. */
  owner?: string;
  function?: string;
  /** `scorecard --format svg --map …`: which map. */
  map?: string;
}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  if (argv.length === 0) throw new UsageError('no command given');
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  const options: Options = { command: command!, paths: [], check: false, fix: false, quiet: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = (name: string) => {
      const eq = arg.indexOf('=');
      if (eq >= 0) return arg.slice(eq + 1);
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      return next;
    };
    if (arg === '--format' || arg.startsWith('--format=')) options.format = value('--format');
    else if (arg === '--today' || arg.startsWith('--today=')) options.today = value('--today');
    else if (arg === '-o' || arg === '--output' || arg.startsWith('--output=')) options.output = value('-o');
    else if (arg === '--check') options.check = true;
    else if (arg === '--fix') options.fix = true;
    else if (arg === '--quiet') options.quiet = true;
    else if (arg === '--max-warnings' || arg.startsWith('--max-warnings=')) options.maxWarnings = warningLimit(value('--max-warnings'));
    else if (arg === '--bom' || arg === '--no-bom') options.bom = arg === '--bom';
    else if (arg === '--owner' || arg.startsWith('--owner=')) options.owner = value('--owner');
    else if (arg === '--function' || arg.startsWith('--function=')) options.function = value('--function');
    else if (arg === '--map' || arg.startsWith('--map=')) options.map = value('--map');
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else options.paths.push(arg);
  }
  return options;
}

/** The byte-order-mark option as it was written, for a usage error. */
function bomOption(bom: boolean): string {
  return bom ? '--bom' : '--no-bom';
}

/** The value of --max-warnings: a whole number, 0 or more, or -1 for no limit (ESLint's default). */
function warningLimit(text: string): number {
  const limit = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < -1) throw new UsageError(`--max-warnings must be a whole number, 0 or more (or -1 for no limit), not "${text}"`);
  return limit;
}

/**
 * `--fix`: the editor's "fix all auto-fixable problems", written to disk; the
 * report that follows is of what is left.
 */
function applyFixes(workspace: Workspace): void {
  let problems = 0;
  let changed = 0;
  for (const doc of workspace.documents) {
    const edits = fixAll(workspace, doc);
    if (edits.length === 0 || !doc.path) continue;
    const text = applyEdits(doc.text, edits);
    // The workspace holds the text without its byte-order mark; the file keeps it.
    const bom = nodeFileSystem.readFile(doc.path)?.startsWith('\uFEFF') ? '\uFEFF' : '';
    fs.writeFileSync(doc.path, bom + text);
    workspace.setDocument(doc.key, text, doc.version + 1, doc.path);
    problems += edits.length;
    changed++;
  }
  workspace.analyze();
  if (changed > 0) process.stderr.write(`kpi: applied ${problems} fix${problems === 1 ? '' : 'es'} in ${changed} file${changed === 1 ? '' : 's'}.\n`);
}

/** Resolves today's date from --today, then KPI_TODAY, then the clock. */
function resolveToday(option: string | undefined): Day {
  // An empty KPI_TODAY counts as unset; an empty --today is a mistake, not "use the clock".
  const env = process.env['KPI_TODAY'];
  const text = option ?? (env === '' ? undefined : env);
  const today = todayFrom(text);
  if (today === undefined) throw new UsageError(`${option !== undefined ? '--today' : 'KPI_TODAY'} must be a calendar date YYYY-MM-DD, not "${text}"`);
  return today;
}

/** A .kpi file to work on, and whether the command line named it (rather than a folder holding it). */
interface Found {
  file: string;
  named: boolean;
}

function collectFiles(root: string, paths: string[]): Found[] {
  const files = new Map<string, boolean>();
  for (const p of paths.length > 0 ? paths : ['.']) {
    const abs = path.resolve(root, p);
    const stat = nodeFileSystem.stat(abs);
    if (!stat) throw new UsageError(`${p}: no such file or folder`);
    if (stat.kind === 'directory') for (const f of findKpiFiles(abs)) files.set(f, files.get(f) ?? false);
    else if (!abs.endsWith('.kpi')) throw new UsageError(`${p} is not a .kpi file`);
    else if (stat.kind !== 'file') throw new UsageError(`${p} is not a regular file`);
    else files.set(abs, true);
  }
  return [...files].map(([file, named]) => ({ file, named }));
}

/**
 * A found file's text. One the command line named must be readable; one a
 * folder search listed may be gone by the time it is read (deleted or renamed
 * meanwhile): it is skipped with a note, not an error.
 */
function readFound(root: string, { file, named }: Found): string | undefined {
  const text = readText(file);
  if (text !== undefined) return text;
  if (named) throw new UsageError(`${file}: cannot be read`);
  process.stderr.write(`kpi: ${keyFor(root, file)}: ${nodeFileSystem.stat(file) ? 'cannot be read' : 'no longer exists'}; skipped\n`);
  return undefined;
}

/** One workspace of the given paths, rooted at the current folder. */
function loadWorkspace(options: Options): { workspace: Workspace; files: InputFile[]; configText: string | undefined } {
  const today = resolveToday(options.today);
  const root = process.cwd();
  const files: InputFile[] = [];
  for (const found of collectFiles(root, options.paths)) {
    const text = readFound(root, found);
    if (text !== undefined) files.push({ key: keyFor(root, found.file), path: found.file, text });
  }
  const configText = readText(path.join(root, CONFIG_FILE));
  return { workspace: createWorkspace({ root, fs: nodeFileSystem, today: () => today, files, configText }), files, configText };
}

/**
 * `kpi check`. As ESLint does: --quiet leaves everything but errors out of the
 * report (all formats; the JSON summary counts what is reported), while
 * --max-warnings counts every warning found, reported or not. The exit status
 * is 1 on an error or on too many warnings; "too many warnings" is said on
 * stderr only when there is no error to explain the status already.
 */
function check(options: Options): number {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif for check, not "${format}"`);
  const { workspace, files, configText } = loadWorkspace(options);
  if (options.fix) applyFixes(workspace);
  const found = allDiagnostics(workspace, configText);
  const diagnostics = options.quiet ? found.filter((d) => d.severity === 'error') : found;
  const foundSummary = summarize(found, files.length);
  const summary = summarize(diagnostics, files.length);
  const toFile = options.output !== undefined && options.output !== '-';
  const out =
    format === 'json'
      ? `${JSON.stringify({ diagnostics, summary }, null, 2)}\n`
      : format === 'sarif'
        ? `${JSON.stringify(sarif(diagnostics), null, 2)}\n`
        : stylish(diagnostics, summary, found.length - diagnostics.length, painter(!toFile && wantsColour(process.env, process.stdout.isTTY === true)));
  write(out, options.output);
  const limit = options.maxWarnings ?? -1;
  const tooManyWarnings = limit >= 0 && foundSummary.warnings > limit;
  if (tooManyWarnings && foundSummary.errors === 0) {
    process.stderr.write(`kpi: ${plural(foundSummary.warnings, 'warning')}; --max-warnings allows at most ${limit}.\n`);
  }
  return foundSummary.errors > 0 || tooManyWarnings ? 1 : 0;
}

/**
 * `kpi format [paths…] [--check]`: rewrites files whose text differs from its
 * canonical layout (or, with --check, only lists them). A file with syntax
 * errors is never touched; it is named on stderr and makes the exit status 1.
 */
/** The format named by an output file's extension. */
function formatOfFile(file: string | undefined): string | undefined {
  const ext = file ? path.extname(file).toLowerCase() : '';
  return { '.html': 'html', '.htm': 'html', '.json': 'json', '.csv': 'csv', '.md': 'markdown', '.markdown': 'markdown', '.svg': 'svg' }[ext];
}

/**
 * `kpi scorecard`: the same picture as the preview panel, as a file. The format
 * is --format, else the output file's extension, else Markdown (readable in a
 * terminal and in a pull-request comment).
 */
function scorecard(options: Options): number {
  const format = options.format ?? formatOfFile(options.output) ?? (options.map !== undefined ? 'svg' : 'markdown');
  if (!['html', 'json', 'csv', 'markdown', 'svg'].includes(format)) throw new UsageError(`--format must be html, json, csv, markdown or svg for scorecard, not "${format}"`);
  if (options.map !== undefined && format !== 'svg') throw new UsageError(`--map applies to --format svg only, not to ${format}`);
  if (options.bom !== undefined && format !== 'csv') throw new UsageError(`${bomOption(options.bom)} applies to CSV only (--format csv, or -o a .csv file), not to ${format}`);
  const { workspace } = loadWorkspace(options);
  const model = buildScorecardModel(workspace);
  const map = format === 'svg' ? mapSvg(model, options.map) : undefined;
  if (map && 'problem' in map) throw new UsageError(map.problem);
  const report = map ? map.svg : format === 'csv' ? renderCsv(model, options.bom === undefined ? {} : { byteOrderMark: options.bom }) : renderReport(format as ReportFormat, model, { nonce: randomBytes(16).toString('base64'), assets: PAGE_ASSETS });
  write(report, options.output);
  if (options.output && options.output !== '-') process.stderr.write(`kpi: wrote the scorecard to ${options.output}\n`);
  return 0;
}

function format(options: Options): number {
  if (options.format !== undefined) throw new UsageError('kpi format has no --format option');
  if (options.today !== undefined) throw new UsageError('kpi format has no --today option');
  if (options.output !== undefined) throw new UsageError('kpi format has no -o option; it rewrites files in place');
  const root = process.cwd();
  const files = collectFiles(root, options.paths).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  let failed = 0;
  let unformatted = 0;
  for (const found of files) {
    const file = found.file;
    const shown = keyFor(root, file);
    // The raw text, byte-order mark included: the formatter keeps it (formatting.md).
    const text = nodeFileSystem.readFile(file);
    if (text === undefined) {
      // A file a folder search listed and that is gone now was renamed or deleted meanwhile: nothing to format.
      if (!found.named && !nodeFileSystem.stat(file)) continue;
      process.stderr.write(`kpi: ${shown}: cannot be read\n`);
      failed++;
      continue;
    }
    const outcome = formatWithReason(text);
    if (!('text' in outcome)) {
      process.stderr.write(
        outcome.reason === 'syntax'
          ? `kpi: ${shown}: has syntax errors; not formatted (run kpi check to see them)\n`
          : `kpi: ${shown}: could not be formatted safely; left unchanged\n`,
      );
      failed++;
      continue;
    }
    if (outcome.text === text) continue;
    unformatted++;
    if (!options.check) {
      try {
        fs.writeFileSync(file, outcome.text);
      } catch (error) {
        process.stderr.write(`kpi: ${shown}: cannot be written: ${(error as Error).message}\n`);
        failed++;
        continue;
      }
    }
    process.stdout.write(`${shown}\n`);
  }
  if (options.check && unformatted > 0) {
    process.stderr.write(`kpi: ${unformatted} file${unformatted === 1 ? ' is' : 's are'} not formatted; run kpi format to fix ${unformatted === 1 ? 'it' : 'them'}.\n`);
  }
  return failed > 0 || (options.check && unformatted > 0) ? 1 : 0;
}

function summarize(diagnostics: LocatedDiagnostic[], files: number) {
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  return { files, errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint') };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The text report: each file's name, then one line per diagnostic
 * (`  line:column  severity  message  code`; the problem matcher in
 * package.json reads these lines), then a summary line. `hidden` is how many
 * diagnostics --quiet left out.
 */
function stylish(diagnostics: LocatedDiagnostic[], summary: ReturnType<typeof summarize>, hidden: number, paint: Paint): string {
  const severityColor: Record<string, string> = { error: '31', warning: '33', information: '36', hint: '90' };
  const lines: string[] = [];
  let file: string | undefined;
  for (const d of diagnostics) {
    if (d.file !== file) {
      if (file !== undefined) lines.push('');
      file = d.file;
      lines.push(paint('4', d.file));
    }
    // At least one space after the position, however long it is, so the columns stay apart.
    const where = `${`${d.line}:${d.column}`.padEnd(7)} `;
    lines.push(`  ${paint('2', where)}${paint(severityColor[d.severity]!, d.severity.padEnd(12))}${d.message}  ${paint('2', d.code)}`);
  }
  if (diagnostics.length > 0) lines.push('');
  lines.push(summaryLine(summary, diagnostics.length, hidden, paint));
  return `${lines.join('\n')}\n`;
}

function summaryLine(summary: ReturnType<typeof summarize>, total: number, hidden: number, paint: Paint): string {
  const files = plural(summary.files, 'file');
  // Under --quiet only errors are listed; the line says how many others there were.
  const quietNote = hidden > 0 ? `; ${plural(hidden, 'other problem')} not shown (--quiet)` : '';
  if (total === 0) return paint('32', hidden > 0 ? `No errors in ${files}` : `No problems in ${files}`) + `${quietNote}.`;
  const counts = hidden > 0 ? `${plural(summary.errors, 'error')} in ${files}` : `${plural(total, 'problem')} (${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.information} information, ${plural(summary.hints, 'hint')}) in ${files}`;
  const colour = summary.errors > 0 ? '1;31' : summary.warnings > 0 ? '1;33' : '1';
  return paint(colour, `${summary.errors > 0 ? '✖' : '⚠'} ${counts}`) + `${quietNote}.`;
}

function sarif(diagnostics: LocatedDiagnostic[]) {
  const level = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;
  const rules = [...RULES.values()];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kpi',
            version: VERSION,
            informationUri: 'https://github.com/kpi-scorecard/kpi-scorecard',
            rules: rules.map((r) => ({
              id: r.code,
              shortDescription: { text: r.summary },
              helpUri: ruleDocsUrl(r.code),
              defaultConfiguration: { level: level[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: rules.findIndex((r) => r.code === d.code),
          level: level[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file.split('/').map(encodeURIComponent).join('/') },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

function write(text: string, output: string | undefined): void {
  if (output && output !== '-') fs.writeFileSync(output, text);
  else process.stdout.write(text);
}

export function main(argv: string[]): number {
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (options === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (options.command !== 'check' && (options.quiet || options.maxWarnings !== undefined)) {
      throw new UsageError(`${options.quiet ? '--quiet' : '--max-warnings'} is an option of kpi check, not of kpi ${options.command}`);
    }
    if (options.command !== 'format' && options.check) throw new UsageError(`--check is an option of kpi format, not of kpi ${options.command}`);
    if (options.command !== 'check' && options.fix) throw new UsageError(`--fix is an option of kpi check, not of kpi ${options.command}`);
    if (options.command !== 'scorecard' && options.map !== undefined) throw new UsageError(`--map is an option of kpi scorecard, not of kpi ${options.command}`);
    if (options.command !== 'scorecard' && options.bom !== undefined) throw new UsageError(`${bomOption(options.bom)} is an option of kpi scorecard, not of kpi ${options.command}`);
    if (options.command !== 'agenda' && (options.owner ?? options.function) !== undefined) {
      throw new UsageError(`${options.owner !== undefined ? '--owner' : '--function'} is an option of kpi agenda, not of kpi ${options.command}`);
    }
    switch (options.command) {
      case 'agenda':
        return agendaCommand(options, { loadWorkspace: () => loadWorkspace(options).workspace, write, formatOfFile, usageError: (message) => new UsageError(message) });
      case 'check':
        return check(options);
      case 'format':
        return format(options);
      case 'scorecard':
        return scorecard(options);
      default:
        throw new UsageError(`unknown command "${options.command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kpi: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`kpi: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

// A reader that stops early (`kpi check | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = main(process.argv.slice(2));
process.exitCode = code;
