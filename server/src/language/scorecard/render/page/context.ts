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
 * How many times each id has been claimed so far on the page being rendered.
 * Each id gets a small number the first time it is seen, kept across renders
 * by the page's memo (page/memo.ts), so that a reused part's claims are
 * counted again by number, without hashing its ids.
 */
export class ClaimCounts {
  private readonly numbers = new Map<string, number>();
  private ids: string[] = [];
  private counts = new Int32Array(256);

  /** Starts a page: nothing claimed yet. */
  reset(): void {
    this.counts.fill(0, 0, this.ids.length);
  }

  /** The number of `id`. */
  numberOf(id: string): number {
    let number = this.numbers.get(id);
    if (number === undefined) {
      number = this.ids.length;
      this.numbers.set(id, number);
      this.ids.push(id);
      if (number >= this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    return number;
  }

  /** How many times the id numbered `number` was claimed before; counts this claim. */
  claim(number: number): number {
    return this.counts[number]!++;
  }

  /** Takes back a claim (a reused part whose claims turned out not to match). */
  unclaim(number: number): void {
    this.counts[number]!--;
  }

  count(number: number): number {
    return this.counts[number]!;
  }

  /** How many ids have a number. */
  get size(): number {
    return this.ids.length;
  }

  /** Keeps only the ids `keep` says to, renumbered; returns each old number's new one (-1: dropped). */
  compact(keep: (number: number) => boolean): Int32Array {
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    this.numbers.clear();
    for (let number = 0; number < this.ids.length; number++) {
      if (!keep(number)) continue;
      renumber[number] = ids.length;
      this.numbers.set(this.ids[number]!, ids.length);
      ids.push(this.ids[number]!);
    }
    this.ids = ids;
    this.counts = new Int32Array(Math.max(256, ids.length * 2));
    return renumber;
  }
}

/**
 * The ids a page hands out. Which card gets an anchor depends on the order
 * the page renders them (the first card of a name gets `kpi-Name`, a second
 * one none), so every claim is recorded for the memo (PartMemo.claimed): a
 * memoized card is reused only where its claims come out the same.
 */
export class Ids {
  constructor(
    private readonly counts: ClaimCounts,
    private readonly memo?: PartMemo,
  ) {}

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
    const number = this.counts.numberOf(id);
    const before = this.counts.claim(number);
    this.memo?.claimed(number, before);
    return before;
  }

  /** Whether `id` has been claimed `limit` times or more (recorded for the memo: the answer depends on the parts before). */
  atLeast(id: string, limit: number): boolean {
    const number = this.counts.numberOf(id);
    const answer = this.counts.count(number) >= limit;
    this.memo?.counted(number, limit, answer);
    return answer;
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

/** A lookup a part's HTML depends on: a card by name, a title, the process count. */
export type LookupKind = 'kpi' | 'sop' | 'process' | 'owner' | 'objectiveTitle' | 'sopUses' | 'perspectiveLabel' | 'processCount';

/** The id the page claims once per process map it draws (mapsView.ts counts them against MAP_LIMITS). */
export const PROCESS_MAP_CLAIM = 'process-map';

/**
 * Where a Context keeps the memoized parts of the page between renders
 * (page/memo.ts implements it), and what it tells the memo while a part
 * renders: every lookup, id claim and count of claims, so that the memo
 * knows when the part's HTML would come out the same.
 */
export interface PartMemo {
  /** The counts of claimed ids, kept across renders. */
  readonly claims: ClaimCounts;
  part(key: object | string, slot: string, render: () => string): string;
  /** The value `compute` gave at an earlier render when `inputs` holds the same items; else computed now. */
  derived<T>(name: string, inputs: readonly unknown[], compute: () => T): T;
  looked(kind: LookupKind, key: string, value: unknown): void;
  claimed(number: number, before: number): void;
  counted(number: number, limit: number, answer: boolean): void;
}

export class Context {
  readonly ids: Ids;
  private readonly kpis: Map<string, KpiCard>;
  private readonly owners: Map<string, Named>;
  private readonly sops: Map<string, SopCard>;
  private readonly processes: Map<string, ProcessCard>;
  private readonly objectives: Map<string, ObjectiveCard>;
  /** SOP name → the `Process.Step`s that use it, as process and step names. */
  private readonly sopUses: Map<string, [process: string, step: string][]>;
  /** The same as one string a SOP, made when first read: what the memo compares between renders. */
  private sopUseKeys = new Map<string, string>();

  /** `previous`: the Context of the page's last render, whose lookups this one builds on where the model's cards did not change. */
  constructor(
    readonly model: ScorecardModel,
    private readonly memo?: PartMemo,
    previous?: Context,
  ) {
    this.ids = new Ids(memo?.claims ?? new ClaimCounts(), memo);
    const before = previous?.model;
    this.kpis = firstByName(model.kpis, before?.kpis, previous?.kpis);
    this.owners = firstByName(model.owners, before?.owners, previous?.owners as Map<string, OwnerCard> | undefined);
    this.sops = firstByName(model.sops, before?.sops, previous?.sops);
    this.processes = firstByName(model.processes, before?.processes, previous?.processes);
    this.objectives = firstByName(model.objectives, before?.objectives, previous?.objectives);
    this.sopUses = previous && sameSopUses(model.processes, previous.model.processes) ? previous.sopUses : sopUsesOf(model.processes);
    if (previous?.functions !== undefined && sameFunctionNames(model, previous.model)) this.functions = previous.functions;
    if (previous) {
      this.unchanged = {
        kpi: this.kpis === previous.kpis,
        owner: this.owners === previous.owners,
        sop: this.sops === previous.sops,
        process: this.processes === previous.processes,
        objectiveTitle: this.objectives === previous.objectives,
        sopUses: this.sopUses === previous.sopUses,
      };
      if (this.unchanged.sopUses) this.sopUseKeys = previous.sopUseKeys;
    }
  }

  /** The kinds of lookup whose every answer is the previous render's, because they come from the same map. */
  private readonly unchanged: Partial<Record<LookupKind, boolean>> = {};

  /** Whether every lookup of `kind` answers as in the Context this one was made after (the memo then skips looking them up again). */
  sameLookups(kind: LookupKind): boolean {
    return this.unchanged[kind] === true;
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
    return this.memo ? this.memo.part(key, slot, render) : markPart(render());
  }

  /**
   * Data a view works out from lists of the model (its groups, their order),
   * kept between renders: `compute` runs again only when `inputs` no longer
   * holds the same items (unchanged cards are the same objects). `compute`
   * must read nothing but what `inputs` holds.
   */
  derived<T>(name: string, inputs: readonly unknown[], compute: () => T): T {
    return this.memo ? this.memo.derived(name, inputs, compute) : compute();
  }

  /** What a lookup of `kind` + `key` gives now, without recording it (page/memo.ts looks up again what its parts looked up). */
  resolve(kind: LookupKind, key: string): unknown {
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
    }
  }

  private read<T>(kind: LookupKind, key: string): T {
    const value = this.resolve(kind, key);
    this.memo?.looked(kind, key, value);
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
    return this.ids.atLeast(PROCESS_MAP_CLAIM, limit);
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

/** Each object's key by content (contentKey), made once per object. */
const contentKeys = new WeakMap<object, string>();

/**
 * A memo key for a part made from data that may come as a new object with
 * the same content (a model built by hand, or by an older build): its data
 * as JSON, worked out once per object — the scorecard build keeps unchanged
 * joint reviews and agenda groups as the same objects, so most renders only
 * look the key up.
 */
export function contentKey(kind: string, data: object): string {
  let key = contentKeys.get(data);
  if (key === undefined) contentKeys.set(data, (key = `${kind}\u0000${JSON.stringify(data)}`));
  return key;
}

/** A part's HTML between the markers that let the page find it (regions.ts). */
export function markPart(html: string): string {
  return `${PART_START}${html}${PART_END}`;
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
