// Text shown beside the code: code lenses (a KPI's status above it, the KPIs
// attached to a process), inlay hints (an owner's function, the status after
// the latest actual) and links (a `data` path to its CSV file).
import type { KpiDecl, ProcessDecl, Span } from '../model/ast';
import { formatNumber } from '../model/status';
import { resolveDataPath } from '../workspace/data';
import { forEachRef } from '../workspace/symbols';
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';
import * as path from 'node:path';
import { kpisAtStep, STATUS_LABEL } from './hover';

export interface Lens {
  span: Span;
  title: string;
  /** The declaration the lens is about, for commands such as "open in scorecard". */
  name: string;
  /** A KPI, which the scorecard preview can show. */
  openInScorecard?: boolean;
}

export function codeLenses(workspace: Workspace, doc: SourceDocument): Lens[] {
  const lenses: Lens[] = [];
  for (const decl of doc.model.declarations) {
    if (decl.kind === 'kpi') {
      const status = workspace.status({ doc, decl });
      const unit = decl.unit ? ` ${decl.unit.value.value}` : '';
      const latest = status.latest ? ` · ${formatNumber(status.latest.value)}${unit} (${status.latest.period.text})` : '';
      lenses.push({ span: decl.keyword, title: `${STATUS_LABEL[status.status]}${latest}${status.stale ? ' · stale' : ''}`, name: decl.name.text, openInScorecard: true });
    } else if (decl.kind === 'process') {
      const entry = { doc, decl } as DeclEntry<ProcessDecl>;
      const attached = decl.steps.map((step) => kpisAtStep(workspace, entry, step).length);
      const kpis = attached.reduce((a, b) => a + b, 0);
      const steps = attached.filter((n) => n > 0).length;
      lenses.push({
        span: decl.keyword,
        title: `${kpis} KPI${kpis === 1 ? '' : 's'} on ${steps} of ${decl.steps.length} step${decl.steps.length === 1 ? '' : 's'}`,
        name: decl.name.text,
      });
    }
  }
  return lenses;
}

export interface InlayHint {
  offset: number;
  label: string;
  kind: 'ownerFunction' | 'status';
  tooltip?: string;
}

export interface InlayOptions {
  ownerFunction: boolean;
  status: boolean;
}

export function inlayHints(workspace: Workspace, doc: SourceDocument, range: Span, options: InlayOptions): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const decl of doc.model.declarations) {
    if (decl.span.end < range.start || decl.span.start > range.end) continue;
    if (options.ownerFunction) {
      forEachRef(decl, ({ ref, site }) => {
        if (site !== 'owner') return;
        const role = workspace.declarations(ref.name)[0]?.decl;
        if (role?.kind !== 'role' || !role.in) return;
        const fn = workspace.declarations(role.in.name)[0]?.decl;
        if (fn?.kind === 'function') hints.push({ offset: ref.span.end, label: `· ${fn.title?.value ?? fn.name.text}`, kind: 'ownerFunction', tooltip: `${ref.name} is in the ${fn.name.text} function` });
      });
    }
    if (options.status && decl.kind === 'kpi' && decl.actuals.length > 0) {
      const last = decl.actuals.reduce((a, b) => (b.span.start > a.span.start ? b : a));
      const status = workspace.status({ doc, decl } as DeclEntry<KpiDecl>);
      hints.push({ offset: last.span.end, label: `→ ${STATUS_LABEL[status.status]}${status.stale ? ', stale' : ''}`, kind: 'status', tooltip: status.reason });
    }
  }
  return hints.filter((h) => h.offset >= range.start && h.offset <= range.end);
}

export interface DocumentLink {
  /** The path inside the quotes. */
  span: Span;
  /** Absolute path of the file. */
  target: string;
}

/** `data "…"` paths that resolve to a regular file inside the workspace (never a folder, a FIFO or a device). */
export function documentLinks(workspace: Workspace, doc: SourceDocument): DocumentLink[] {
  const links: DocumentLink[] = [];
  const root = workspace.options.root;
  for (const decl of doc.model.declarations) {
    if (decl.kind !== 'kpi' || !decl.data) continue;
    const written = decl.data.value;
    const fromDir = doc.path ? path.dirname(doc.path) : root;
    // In limited mode the link goes to the path as written: the server touches no data file.
    const fs = workspace.options.readDataFiles === false ? undefined : workspace.options.fs;
    const resolved = resolveDataPath(root, fromDir, written.value, fs);
    if ('file' in resolved && (!fs || fs.stat(resolved.file)?.kind === 'file')) links.push({ span: { start: written.span.start + 1, end: Math.max(written.span.start + 1, written.span.end - 1) }, target: resolved.file });
  }
  return links;
}
