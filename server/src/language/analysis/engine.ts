// The incremental engine: each document's check state, and the scheduling
// that decides which documents need checking again.
//
// The invariant (docs/ARCHITECTURE.md): the diagnostics of every document
// always equal those of a from-scratch analysis of the same texts. It holds
// because checks see the rest of the workspace only through CheckContext,
// which records every key it reads (workspace/changes.ts), and the workspace
// announces every key an edit changes: a declaration is checked again only
// when it is new or read a changed key, and every one when the configuration
// or the date moves.
import type { Declaration } from '../model/ast';
import { Workspace, type SourceDocument, type WorkspaceListener, type WorkspaceOptions } from '../workspace/workspace';
import { defaultConfig, parseConfig, type Config } from './config';
import type { Diagnostic } from './diagnostic';
import { DocumentChecks } from './documentChecks';
import type { RuleSet } from './rule';
import { runChecks } from './run';

interface DocumentAnalysis {
  doc: SourceDocument;
  diagnostics: Diagnostic[];
  /** Per-declaration results and what they read, from their last check. */
  checks: DocumentChecks;
  /** Keys this document read that changed since its last check. */
  changed?: Set<string>;
}

const NOTHING: ReadonlySet<string> = new Set();

/** Runs a rule set over a workspace, again only where a change can matter. */
export class Analysis implements WorkspaceListener {
  private readonly documents = new Map<string, DocumentAnalysis>();
  /** Keys changed since the last analysis, not yet handed to the documents that read them. */
  private readonly pending = new Set<string>();
  /** Documents due for a check. */
  private readonly dirty = new Set<string>();
  private config: Config = defaultConfig();
  private configProblems: string[] = [];
  /** Moves when the configuration or the date does: every declaration is checked again. */
  private epoch = 0;
  /** Whether any document was ever checked (until then, every document is due anyway). */
  private checkedAny = false;

  constructor(
    private readonly workspace: Workspace,
    private readonly rules: RuleSet,
  ) {
    for (const doc of workspace.documents) this.documentChanged(doc, [], doc.model.declarations);
    workspace.listen(this);
  }

  /** Sets the text of `.kpirc.json` (undefined when there is none). Every document is checked again. */
  setConfigText(text: string | undefined): void {
    const { config, problems } = parseConfig(text, this.rules.codes);
    this.config = config;
    this.configProblems = problems;
    this.checkEverythingAgain();
  }

  get configurationProblems(): readonly string[] {
    return this.configProblems;
  }

  /**
   * Checks the documents whose diagnostics may have changed since they were
   * last checked and returns their keys; diagnostics are then read with
   * `diagnostics`. With `first`, only those documents are checked now (the
   * one being typed in) and the rest wait for the next call: `hasWork` says
   * whether any wait.
   */
  analyze(first?: ReadonlySet<string>): string[] {
    if (this.workspace.refreshToday()) this.checkEverythingAgain();
    // Hand each changed key to the documents that read it, so they can wait.
    if (this.pending.size > 0) {
      for (const [key, state] of this.documents) {
        if (!state.checks.reads.readsAny(this.pending)) continue;
        state.changed ??= new Set();
        for (const k of this.pending) state.changed.add(k);
        this.dirty.add(key);
      }
      this.pending.clear();
    }
    const checked: string[] = [];
    this.checkedAny = true;
    for (const key of this.workspace.documentKeys) {
      if (!this.dirty.has(key) || (first && !first.has(key))) continue;
      const state = this.documents.get(key)!;
      state.diagnostics = runChecks(this.rules, this.workspace, state.doc, this.config, this.epoch, state.changed ?? NOTHING, state.checks);
      state.changed = undefined;
      this.dirty.delete(key);
      checked.push(key);
    }
    return checked;
  }

  /** Whether some document awaits a check (after `analyze` with `first`). */
  get hasWork(): boolean {
    return this.dirty.size > 0 || this.pending.size > 0;
  }

  /** The current diagnostics of a document (run `analyze` first). */
  diagnostics(key: string): readonly Diagnostic[] {
    return this.documents.get(key)?.diagnostics ?? [];
  }

  private checkEverythingAgain(): void {
    this.epoch++;
    for (const key of this.documents.keys()) this.dirty.add(key);
  }

  // ---- what the workspace tells ---------------------------------------------

  /** Changed keys matter to documents already checked; while a folder loads there are none. */
  get wantsChangedKeys(): boolean {
    return this.checkedAny;
  }

  changed(key: string): void {
    this.pending.add(key);
  }

  documentChanged(doc: SourceDocument, removed: readonly Declaration[], added: readonly Declaration[]): void {
    let state = this.documents.get(doc.key);
    if (!state) this.documents.set(doc.key, (state = { doc, diagnostics: [], checks: new DocumentChecks() }));
    state.checks.removed(removed);
    state.checks.added(added);
    this.dirty.add(doc.key);
  }

  documentRemoved(key: string): void {
    this.documents.delete(key);
    this.dirty.delete(key);
  }
}

/**
 * A workspace with its analysis attached: what the edges hold (service.ts
 * gives it every rule of the language), and what the features that show
 * diagnostics read.
 */
export class AnalyzedWorkspace extends Workspace {
  private readonly analysis: Analysis;

  constructor(options: WorkspaceOptions, rules: RuleSet) {
    super(options);
    this.analysis = new Analysis(this, rules);
  }

  /** Sets the text of `.kpirc.json` (undefined when there is none). Every document is checked again. */
  setConfigText(text: string | undefined): void {
    this.analysis.setConfigText(text);
  }

  get configurationProblems(): readonly string[] {
    return this.analysis.configurationProblems;
  }

  /** See `Analysis.analyze`. */
  analyze(first?: ReadonlySet<string>): string[] {
    return this.analysis.analyze(first);
  }

  get hasWork(): boolean {
    return this.analysis.hasWork;
  }

  diagnostics(key: string): readonly Diagnostic[] {
    return this.analysis.diagnostics(key);
  }
}
