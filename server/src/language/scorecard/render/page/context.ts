// What every view of the page shares: stable ids, the data-* attributes the
// page's script reads (where a card is declared, what the filters match), and
// a Context that looks declarations up by name and renders links to them.
import type { Perspective } from '../../../model/ast';
import { PERSPECTIVE_LABELS, type KpiCard, type Named, type OwnerRef, type ProcessCard, type ScorecardModel, type SopCard, type StepCard, type Where } from '../../model';
import { escapeHtml as esc, statusWord } from '../text';
import { icon, statusIcon } from './icons';

export const PERSPECTIVE_ORDER: Perspective[] = ['financial', 'customer', 'internal', 'learning'];
export const UNPLACED = 'unplaced';
export const NO_FUNCTION = '(none)';

export class Ids {
  private readonly used = new Set<string>();
  private counter = 0;
  /** A stable, safe id for `kind` + `name`, or undefined when it was handed out already. */
  anchor(kind: string, name: string): string | undefined {
    const id = anchorId(kind, name);
    if (this.used.has(id)) return undefined;
    this.used.add(id);
    return id;
  }
  unique(prefix: string): string {
    return `${prefix}-${++this.counter}`;
  }
}

/** `kpi-SellOutGrowth`; characters outside [A-Za-z0-9_-] become `.hex.` so any name is a valid id. */
export function anchorId(kind: string, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, (c) => `.${c.codePointAt(0)!.toString(16)}.`)}`;
}

export function whereAttrs(kind: string, name: string, where: Where): string {
  return (
    ` data-kind="${esc(kind)}" data-name="${esc(name)}" data-file="${esc(where.file)}"` +
    ` data-line="${esc(where.line)}" data-character="${esc(where.character)}"`
  );
}

export function filterAttrs(f: { perspective?: string[]; owner?: string[]; function?: string[]; status?: string[]; scorecard?: string[]; search: string[] }): string {
  let out = '';
  for (const key of ['perspective', 'owner', 'function', 'status', 'scorecard'] as const) {
    const values = f[key];
    if (values) out += ` data-f-${key}="${esc(JSON.stringify([...new Set(values)]))}"`;
  }
  const text = f.search.filter(Boolean).join(' ').toLowerCase();
  return `${out} data-search="${esc(text)}"`;
}

export function ownerFilter(owner: OwnerRef | undefined): { owner: string[]; function: string[] } {
  return { owner: owner ? [owner.name] : [], function: [owner?.function?.name ?? NO_FUNCTION] };
}

export function ownerSearch(owner: OwnerRef | undefined): string[] {
  return owner ? [owner.name, owner.title, owner.function?.title ?? ''] : [];
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export const FREQUENCY_WORDS: Record<string, string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly' };

// ---------------------------------------------------------------- context

export class Context {
  readonly ids = new Ids();
  readonly kpis = new Map<string, KpiCard>();
  readonly owners = new Map<string, Named>();
  readonly sops = new Map<string, SopCard>();
  readonly processes = new Map<string, ProcessCard>();
  readonly objectiveTitles = new Map<string, string>();
  readonly scorecardTitles = new Map<string, string>();
  /** SOP name → the `Process.Step`s that use it. */
  readonly sopUses = new Map<string, { process: ProcessCard; step: StepCard }[]>();

  constructor(readonly model: ScorecardModel) {
    for (const k of model.kpis) if (!this.kpis.has(k.name)) this.kpis.set(k.name, k);
    for (const o of model.owners) if (!this.owners.has(o.name)) this.owners.set(o.name, o);
    for (const s of model.sops) if (!this.sops.has(s.name)) this.sops.set(s.name, s);
    for (const s of model.scorecards) if (!this.scorecardTitles.has(s.name)) this.scorecardTitles.set(s.name, s.title);
    for (const o of model.objectives) if (!this.objectiveTitles.has(o.name)) this.objectiveTitles.set(o.name, o.title);
    for (const p of model.processes) {
      if (!this.processes.has(p.name)) this.processes.set(p.name, p);
      for (const step of p.steps) {
        if (!step.sop) continue;
        const list = this.sopUses.get(step.sop) ?? [];
        list.push({ process: p, step });
        this.sopUses.set(step.sop, list);
      }
    }
  }

  perspectiveLabel(p: Perspective | undefined): string {
    if (!p) return 'Unplaced';
    return this.model.perspectives.find((x) => x.id === p)?.label ?? PERSPECTIVE_LABELS[p] ?? p;
  }

  roleTitle(name: string): string {
    return this.owners.get(name)?.title ?? name;
  }

  /** A link to a KPI's card, with its status icon (and the word for screen readers). */
  kpiRef(name: string): string {
    const k = this.kpis.get(name);
    if (!k) return `<span class="kref missing" title="Not in this view">${esc(name)}</span>`;
    return (
      `<a class="kref st-${esc(k.status)}" href="#${esc(anchorId('kpi', name))}" title="${esc(`${statusWord(k.status)}: ${k.statusReason}`)}">` +
      `${statusIcon(k.status)}<span>${esc(k.title)}</span><span class="sr"> (${esc(statusWord(k.status))})</span></a>`
    );
  }

  sopRef(name: string): string {
    const s = this.sops.get(name);
    if (!s) return `<span class="sref missing">${icon('sop')}${esc(name)}</span>`;
    const overdue = s.overdue ? `<span class="mini-badge warn">${icon('clock')}Review overdue</span>` : '';
    return `<a class="sref" href="#${esc(anchorId('sop', name))}">${icon('sop')}<span>${esc(s.title)}</span></a>${overdue}`;
  }

  stepRef(process: string, step: string): string {
    const p = this.processes.get(process);
    const s = p?.steps.find((x) => x.name === step);
    const label = s ? `${p!.title} › ${s.title}` : `${process}.${step}`;
    return s ? `<a class="pref" href="#${esc(anchorId('step', `${process}.${step}`))}">${esc(label)}</a>` : `<span class="pref missing">${esc(label)}</span>`;
  }

  ownerLine(owner: OwnerRef | undefined, prefix = ''): string {
    if (!owner) return `<span class="owner none">${icon('person')}<span>${prefix}<em>No owner</em></span></span>`;
    const fn = owner.function ? `<span class="fn"> · ${esc(owner.function.title)}</span>` : '';
    const problem = owner.kind === 'role' ? '' : `<span class="mini-badge warn">${esc(owner.kind === 'unknown' ? 'unknown' : owner.kind)}</span>`;
    const link = this.owners.has(owner.name) ? `<a href="#${esc(anchorId('owner', owner.name))}">${esc(owner.title)}</a>` : esc(owner.title);
    return `<span class="owner">${icon(owner.kind === 'team' ? 'team' : 'person')}<span>${prefix}${link}${fn}</span>${problem}</span>`;
  }
}

