// What every view of the page shares: stable ids, the data-* attributes the
// page's script reads (where a card is declared, what the filters match), and
// a Context that looks declarations up by name and renders links to them.
import type { Perspective } from '../../../model/ast';
import { PERSPECTIVE_LABELS, type KpiCard, type Named, type ObjectiveCard, type OwnerCard, type OwnerRef, type ProcessCard, type ScorecardModel, type SopCard, type Where } from '../../model';
import { escapeHtml as esc, statusWord } from '../text';
import { icon, statusIcon } from './icons';
import { PART_END, PART_START } from './regions';

export const PERSPECTIVE_ORDER: Perspective[] = ['financial', 'customer', 'internal', 'learning'];
export const UNPLACED = 'unplaced';
export const NO_FUNCTION = '(none)';

/**
 * The ids a page hands out. Which card gets an anchor depends on the order
 * the page renders them (the first card of a name gets `kpi-Name`, a second
 * one none), so every claim goes through the Context's record of reads
 * (`Reads`): a memoized card is reused only where its claims would come out
 * the same (page/memo.ts).
 */
export class Ids {
  /** How many times each id was claimed so far. */
  private readonly claims = new Map<string, number>();

  constructor(private readonly reads: Reads) {}

  /** A stable, safe id for `kind` + `name`, or undefined when it was handed out already. */
  anchor(kind: string, name: string): string | undefined {
    const id = anchorId(kind, name);
    return this.claim(id) === 0 ? id : undefined;
  }

  /**
   * A card's anchor (as `anchor`) and the id of its title, unique on the
   * page: `t-kpi-Name`, then `t-kpi-Name.1` for the same card shown a second
   * time. The card's own name keys them, not a counter, so one card added or
   * removed leaves the others' ids alone.
   */
  card(kind: string, name: string): { anchor: string | undefined; titleId: string } {
    const id = anchorId(kind, name);
    const before = this.claim(id);
    return { anchor: before === 0 ? id : undefined, titleId: withOccurrence(`t-${id}`, before) };
  }

  /** An id unique on the page for something of `kind` + `name` that is not a card (a box's heading, a map's markers), keyed like a title. */
  unique(prefix: string, kind: string, name: string): string {
    const id = `${prefix}-${anchorId(kind, name)}`;
    return withOccurrence(id, this.claim(id));
  }

  /** How many times `id` was claimed before; counts this claim. */
  claim(id: string): number {
    const before = this.claims.get(id) ?? 0;
    this.claims.set(id, before + 1);
    this.reads.record(CLAIM, id, before);
    return before;
  }

  /** Claims `id` once more without recording it: a reused part's claim, which its own record of reads holds already. */
  claimAgain(id: string): void {
    this.claims.set(id, (this.claims.get(id) ?? 0) + 1);
  }

  /** How many times `id` was claimed so far (no claim). */
  count(id: string): number {
    return this.claims.get(id) ?? 0;
  }
}

/** `id`, then `id.1`, `id.2`: anchorId never ends in a dot and digits, so these cannot be another name's id. */
function withOccurrence(id: string, before: number): string {
  return before === 0 ? id : `${id}.${before}`;
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

/** A read a card's HTML depends on: one lookup by name, the process count, a claimed id. */
export type ReadKind = 'kpi' | 'sop' | 'process' | 'owner' | 'objectiveTitle' | 'sopUses' | 'perspectiveLabel' | 'processCount' | 'processMapsFull' | typeof CLAIM;

/** The read kind of an id claimed (Ids.claim): its value is how many times the id was claimed before. */
export const CLAIM = 'claim';

/** The id the page claims once per process map it draws (mapsView.ts counts them against MAP_LIMITS). */
export const PROCESS_MAP_CLAIM = 'process-map';

/**
 * The record of reads: while a memoized part of the page renders
 * (Context.memo), every lookup it makes through the Context is written down
 * as kind, key and the value it got, flat (three slots a read).
 */
export class Reads {
  private reads: unknown[] | undefined;
  /** The lookups recorded in `reads` already: a card that reads a name twice is checked once. */
  private seen: Set<string> | undefined;

  /** The reads recorded now, or undefined when nothing records. */
  get current(): unknown[] | undefined {
    return this.reads;
  }

  /** Starts recording into `reads` (or stops, with undefined). */
  set current(reads: unknown[] | undefined) {
    this.reads = reads;
    this.seen = undefined;
  }

  record(kind: ReadKind, key: string, value: unknown): void {
    if (!this.reads) return;
    if (kind !== CLAIM) {
      const lookup = `${kind}\u0000${key}`;
      if (this.seen?.has(lookup)) return;
      (this.seen ??= new Set()).add(lookup);
    }
    this.reads.push(kind, key, value);
  }
}

/** Where a Context keeps the memoized parts of the page between renders (page/memo.ts implements it). */
export interface PartMemo {
  part(ctx: Context, key: object | string, slot: string, render: () => string): string;
}

export class Context {
  readonly reads = new Reads();
  readonly ids = new Ids(this.reads);
  private readonly kpis: Map<string, KpiCard>;
  private readonly owners: Map<string, Named>;
  private readonly sops: Map<string, SopCard>;
  private readonly processes: Map<string, ProcessCard>;
  private readonly objectives: Map<string, ObjectiveCard>;
  /** SOP name → the `Process.Step`s that use it, as process and step names. */
  private readonly sopUses: Map<string, [process: string, step: string][]>;
  /** The same as one string a SOP, made when first read: what a memoized card's read of them compares. */
  private readonly sopUseKeys = new Map<string, string>();

  /** `previous`: the Context of the page's last render, whose lookups this one builds on where the model's cards did not change. */
  constructor(
    readonly model: ScorecardModel,
    private readonly memo?: PartMemo,
    previous?: Context,
  ) {
    const before = previous?.model;
    this.kpis = firstByName(model.kpis, before?.kpis, previous?.kpis);
    this.owners = firstByName(model.owners, before?.owners, previous?.owners as Map<string, OwnerCard> | undefined);
    this.sops = firstByName(model.sops, before?.sops, previous?.sops);
    this.processes = firstByName(model.processes, before?.processes, previous?.processes);
    this.objectives = firstByName(model.objectives, before?.objectives, previous?.objectives);
    this.sopUses = previous && sameSopUses(model.processes, previous.model.processes) ? previous.sopUses : sopUsesOf(model.processes);
    if (previous?.functions !== undefined && sameFunctionNames(model, previous.model)) this.functions = previous.functions;
  }

  private functions: number | undefined;

  /**
   * How many functions the model names: declared, or the function of an
   * owner, a KPI's owner or a step's owner (the hand-off map's nodes, as
   * MapSource.functionTitles has them). Counted once, and kept from the last
   * render while no card with a different function took another's place.
   */
  functionCount(): number {
    if (this.functions !== undefined) return this.functions;
    const names = new Set<string>();
    const { model } = this;
    for (const fn of model.functions) names.add(fn.name);
    for (const owner of model.owners) if (owner.function) names.add(owner.function.name);
    for (const kpi of model.kpis) if (kpi.owner?.function) names.add(kpi.owner.function.name);
    for (const process of model.processes) for (const step of process.steps) if (step.owner?.function) names.add(step.owner.function.name);
    return (this.functions = names.size);
  }

  /**
   * A part of the page (a card, a process with its steps and map) that is a
   * function of `key` and `slot` and of what it reads through this Context:
   * with a memo, the HTML of an earlier render when `key` is the same object
   * (or string) and every read gives what it gave then; else rendered now.
   */
  part(key: object | string, slot: string, render: () => string): string {
    const marked = () => `${PART_START}${render()}${PART_END}`;
    return this.memo ? this.memo.part(this, key, slot, marked) : marked();
  }

  /** What a read of `kind` + `key` gives now, without recording it (page/memo.ts checks a memoized part's reads with it). */
  resolve(kind: ReadKind, key: string): unknown {
    switch (kind) {
      case 'kpi':
        return this.kpis.get(key);
      case 'sop':
        return this.sops.get(key);
      case 'process':
        return this.processes.get(key);
      case 'owner':
        return this.owners.get(key);
      case 'objectiveTitle':
        return this.objectives.get(key)?.title;
      case 'sopUses': {
        let uses = this.sopUseKeys.get(key);
        if (uses === undefined) this.sopUseKeys.set(key, (uses = (this.sopUses.get(key) ?? []).map(([process, step]) => `${process}\u0000${step}`).join('\u0001')));
        return uses;
      }
      case 'perspectiveLabel':
        return this.perspectiveLabelNow(key === '' ? undefined : (key as Perspective));
      case 'processCount':
        return this.model.processes.length;
      case 'processMapsFull':
        return this.ids.count(PROCESS_MAP_CLAIM) >= Number(key);
      case CLAIM:
        return this.ids.count(key);
    }
  }

  private read<T>(kind: ReadKind, key: string): T {
    const value = this.resolve(kind, key);
    this.reads.record(kind, key, value);
    return value as T;
  }

  kpi(name: string): KpiCard | undefined {
    return this.read('kpi', name);
  }

  sop(name: string): SopCard | undefined {
    return this.read('sop', name);
  }

  process(name: string): ProcessCard | undefined {
    return this.read('process', name);
  }

  owner(name: string): Named | undefined {
    return this.read('owner', name);
  }

  objectiveTitle(name: string): string | undefined {
    return this.read('objectiveTitle', name);
  }

  /** The steps that use SOP `name`, as process and step names. */
  stepsUsingSop(name: string): [process: string, step: string][] {
    this.read('sopUses', name);
    return this.sopUses.get(name) ?? [];
  }

  /** How many processes the model has. */
  processCount(): number {
    return this.read('processCount', '');
  }

  /** Whether the page has drawn `limit` process maps already. */
  processMapsFull(limit: number): boolean {
    return this.read('processMapsFull', String(limit));
  }

  perspectiveLabel(p: Perspective | undefined): string {
    return this.read('perspectiveLabel', p ?? '');
  }

  private perspectiveLabelNow(p: Perspective | undefined): string {
    if (!p) return 'Unplaced';
    return this.model.perspectives.find((x) => x.id === p)?.label ?? PERSPECTIVE_LABELS[p] ?? p;
  }

  roleTitle(name: string): string {
    return this.owner(name)?.title ?? name;
  }

  /** A link to a KPI's card, with its status icon (and the word for screen readers). */
  kpiRef(name: string): string {
    const k = this.kpi(name);
    if (!k) return `<span class="kref missing" title="Not in this view">${esc(name)}</span>`;
    return (
      `<a class="kref st-${esc(k.status)}" href="#${esc(anchorId('kpi', name))}" title="${esc(`${statusWord(k.status)}: ${k.statusReason}`)}">` +
      `${statusIcon(k.status)}<span>${esc(k.title)}</span><span class="sr"> (${esc(statusWord(k.status))})</span></a>`
    );
  }

  sopRef(name: string): string {
    const s = this.sop(name);
    if (!s) return `<span class="sref missing">${icon('sop')}${esc(name)}</span>`;
    const overdue = s.overdue ? `<span class="mini-badge warn">${icon('clock')}Review overdue</span>` : '';
    return `<a class="sref" href="#${esc(anchorId('sop', name))}">${icon('sop')}<span>${esc(s.title)}</span></a>${overdue}`;
  }

  stepRef(process: string, step: string): string {
    const p = this.process(process);
    const s = p?.steps.find((x) => x.name === step);
    const label = s ? `${p!.title} › ${s.title}` : `${process}.${step}`;
    return s ? `<a class="pref" href="#${esc(anchorId('step', `${process}.${step}`))}">${esc(label)}</a>` : `<span class="pref missing">${esc(label)}</span>`;
  }

  ownerLine(owner: OwnerRef | undefined, prefix = ''): string {
    if (!owner) return `<span class="owner none">${icon('person')}<span>${prefix}<em>No owner</em></span></span>`;
    const fn = owner.function ? `<span class="fn"> · ${esc(owner.function.title)}</span>` : '';
    const problem = owner.kind === 'role' ? '' : `<span class="mini-badge warn">${esc(owner.kind === 'unknown' ? 'unknown' : owner.kind)}</span>`;
    const link = this.owner(owner.name) ? `<a href="#${esc(anchorId('owner', owner.name))}">${esc(owner.title)}</a>` : esc(owner.title);
    return `<span class="owner">${icon(owner.kind === 'team' ? 'team' : 'person')}<span>${prefix}${link}${fn}</span>${problem}</span>`;
  }
}

/**
 * Each name's first card. With the cards and map of the last render: the
 * same map when every card is the same object, a copy with the changed cards
 * put in when only cards kept their names changed (cards are never mutated;
 * a changed card is a new object), else built anew.
 */
function firstByName<Card extends { name: string }>(cards: readonly Card[], before?: readonly Card[], map?: Map<string, Card>): Map<string, Card> {
  if (before && map && before.length === cards.length) {
    let patched: Map<string, Card> | undefined;
    let index = 0;
    for (; index < cards.length; index++) {
      const was = before[index]!;
      const is = cards[index]!;
      if (was === is) continue;
      if (was.name !== is.name || before.indexOf(was) !== index) break;
      patched ??= new Map(map);
      if (map.get(was.name) === was) patched.set(is.name, is);
    }
    if (index === cards.length) return patched ?? map;
  }
  const byName = new Map<string, Card>();
  for (const card of cards) if (!byName.has(card.name)) byName.set(card.name, card);
  return byName;
}

function sopUsesOf(processes: readonly ProcessCard[]): Map<string, [process: string, step: string][]> {
  const uses = new Map<string, [process: string, step: string][]>();
  for (const p of processes) {
    for (const step of p.steps) {
      if (!step.sop) continue;
      const list = uses.get(step.sop) ?? [];
      list.push([p.name, step.name]);
      uses.set(step.sop, list);
    }
  }
  return uses;
}

/** Whether the processes use the same SOPs at the same steps as `before` (so the SOPs' uses are the same). */
function sameSopUses(processes: readonly ProcessCard[], before: readonly ProcessCard[]): boolean {
  if (processes.length !== before.length) return false;
  for (let index = 0; index < processes.length; index++) {
    const was = before[index]!;
    const is = processes[index]!;
    if (was === is) continue;
    if (was.name !== is.name || was.steps.length !== is.steps.length) return false;
    for (let step = 0; step < is.steps.length; step++) if (was.steps[step]!.name !== is.steps[step]!.name || was.steps[step]!.sop !== is.steps[step]!.sop) return false;
  }
  return true;
}

/** Whether `model` names the same functions as `before` where they differ (a card changed in place, its owner's function the same). */
function sameFunctionNames(model: ScorecardModel, before: ScorecardModel): boolean {
  const same = <Card>(cards: readonly Card[], was: readonly Card[], names: (card: Card) => string) => {
    if (cards.length !== was.length) return false;
    for (let index = 0; index < cards.length; index++) if (cards[index] !== was[index] && names(cards[index]!) !== names(was[index]!)) return false;
    return true;
  };
  return (
    same(model.functions, before.functions, (fn) => fn.name) &&
    same(model.owners, before.owners, (owner) => owner.function?.name ?? '') &&
    same(model.kpis, before.kpis, (kpi) => kpi.owner?.function?.name ?? '') &&
    same(model.processes, before.processes, (process) => process.steps.map((step) => step.owner?.function?.name ?? '').join('\u0000'))
  );
}
