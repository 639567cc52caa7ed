// What a rule may see of the workspace: a CheckContext records every read as
// a key of workspace/changes.ts, so the analysis knows which edits can change
// a document's diagnostics.
import type { Declaration, KpiDecl } from '../model/ast';
import type { Day } from '../model/periods';
import type { KpiStatus } from '../model/status';
import { declaredKey, DEPENDS_KEY, referrersKey } from '../workspace/changes';
import type { DataFile } from '../workspace/data';
import type { DeclEntry, SourceDocument } from '../workspace/workspace';
import type { Config } from './config';

/** What a rule may read of the workspace (workspace/workspace.ts answers it). */
export interface WorkspaceView {
  today(): Day;
  declarations(name: string): readonly DeclEntry[];
  isReferenced(name: string): boolean;
  referrersOf(name: string): DeclEntry[];
  dependencyComponent(kpi: KpiDecl): number;
  componentSize(component: number): number;
  dependencyPath(from: KpiDecl, to: KpiDecl): KpiDecl[] | undefined;
  /** `record` is told the key of the data file the status read. */
  status(entry: DeclEntry<KpiDecl>, record?: (key: string) => void): KpiStatus;
  dataFile(doc: SourceDocument, written: string): { key: string; data: DataFile };
}

/**
 * What a check may see of the workspace. Every read is recorded, so the
 * analysis knows which edits can change this document's diagnostics.
 */
export class CheckContext {
  readonly reads = new Set<string>();

  constructor(
    private readonly workspace: WorkspaceView,
    readonly doc: SourceDocument,
    readonly config: Config,
  ) {}

  get today(): number {
    return this.workspace.today();
  }

  /** Declarations named `name`, in workspace order. */
  declarations(name: string): readonly DeclEntry[] {
    this.reads.add(declaredKey(name));
    return this.workspace.declarations(name);
  }

  /** The declaration `name` resolves to (the first in workspace order). */
  resolve(name: string): DeclEntry | undefined {
    return this.declarations(name)[0];
  }

  /** Whether any declaration refers to `name` (reads less than `referrers`). */
  isReferenced(name: string): boolean {
    this.reads.add(referrersKey(name));
    return this.workspace.isReferenced(name);
  }

  /** Top-level declarations that refer to `name`. */
  referrers(name: string): DeclEntry[] {
    this.reads.add(referrersKey(name));
    const result = this.workspace.referrersOf(name);
    for (const entry of result) this.reads.add(declaredKey(entry.decl.name.text));
    return result;
  }

  /** The `depends` component of a kpi (kpis on a common cycle share one); reads the whole graph's shape. */
  dependencyComponent(kpi: KpiDecl): number {
    this.reads.add(DEPENDS_KEY);
    return this.workspace.dependencyComponent(kpi);
  }

  dependencyComponentSize(component: number): number {
    this.reads.add(DEPENDS_KEY);
    return this.workspace.componentSize(component);
  }

  /** A shortest `depends` path between two kpis of one component (covered by `g:depends`). */
  dependencyPath(from: KpiDecl, to: KpiDecl): KpiDecl[] | undefined {
    this.reads.add(DEPENDS_KEY);
    return this.workspace.dependencyPath(from, to);
  }

  status(entry: DeclEntry<KpiDecl>): KpiStatus {
    // A kpi's status depends on its own text (recorded by whoever found it) and its data file.
    return this.workspace.status(entry, (key) => this.reads.add(key));
  }

  dataFile(written: string): DataFile {
    const { key, data } = this.workspace.dataFile(this.doc, written);
    this.reads.add(key);
    return data;
  }

  entry<D extends Declaration>(decl: D): DeclEntry<D> {
    return { doc: this.doc, decl };
  }
}
