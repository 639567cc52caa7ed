// The memo of the page's parts between renders, in the spirit of
// rust-analyzer's salsa: a part (a KPI card in one box, a process with its
// steps and map, an SOP card…) is a function of its key (a card of the model,
// which the scorecard build keeps as the same object while it does not
// change, and never mutates) and of what it asks the Context while it
// renders: other cards by name, titles (lookups), and the ids it claims.
//
// Lookups are checked push-style: each distinct lookup any part made gets a
// number, and a render starts by looking each one up again once and marking
// those whose answer changed (===: the same card object, the same string).
// A part is then reused when its key is the same object, it was on the page
// the render before, none of its lookups is marked, and its claims come out
// the same (the same count of an id's claims before it: its ids and anchors
// depend on the parts before it). Checking a part costs a few array reads,
// not a map lookup per name, so a live update of a page of 15,000 parts
// costs in proportion to what changed plus one quick pass. Anything else
// renders afresh, so the memo's page equals renderRegions' byte for byte
// (test/page-memo.test.ts).
import { ClaimCounts, markPart, type Context, type LookupKind, type PartMemo } from './context';

/** A claim in a part's record: the id's number, then how many times it was claimed before. */
const CLAIM = 0;
/** A count of claims in a part's record: the id's number, then the limit, negated and less one when the answer was no. */
const AT_LEAST = 1;

interface Part {
  slot: string;
  html: string;
  /** The render that last put it on the page. */
  used: number;
  /** The numbers of its lookups (Lookups), each once. */
  lookups: number[];
  /** Its claims and counts of claims in the order made, three slots each: CLAIM or AT_LEAST, the id's number, the value. */
  claims: number[];
}

/** What a part records while it renders. */
interface Recording {
  lookups: number[];
  claims: number[];
  /** Marks the lookups recorded already (Lookups.seen), so that a part that reads a name twice records it once. */
  serial: number;
}

/** Every distinct lookup made by a part, numbered, with its answer at the last render. */
class Lookups {
  private readonly numbers = new Map<string, number>();
  private kinds: LookupKind[] = [];
  private keys: string[] = [];
  private values: unknown[] = [];
  /** 1 for a lookup whose answer changed at the start of this render. */
  changed = new Uint8Array(1024);
  /** The recording that last recorded each lookup. */
  seen = new Int32Array(1024);

  get size(): number {
    return this.kinds.length;
  }

  /** The number of `kind` + `key`, whose answer now is `value`. */
  numberOf(kind: LookupKind, key: string, value: unknown): number {
    const name = `${kind}\u0000${key}`;
    let number = this.numbers.get(name);
    if (number === undefined) {
      number = this.kinds.length;
      this.numbers.set(name, number);
      this.kinds.push(kind);
      this.keys.push(key);
      this.values.push(value);
      if (number >= this.changed.length) this.grow();
      this.changed[number] = 0;
      this.seen[number] = 0;
    }
    return number;
  }

  /** Looks every lookup up again in `ctx`, and marks the ones whose answer changed. */
  refresh(ctx: Context): void {
    const { kinds, keys, values, changed } = this;
    for (let number = 0; number < kinds.length; number++) {
      const kind = kinds[number]!;
      if (ctx.sameLookups(kind)) {
        changed[number] = 0;
        continue;
      }
      const value = ctx.resolve(kind, keys[number]!);
      changed[number] = value === values[number] ? 0 : 1;
      values[number] = value;
    }
  }

  /** Keeps only the lookups `keep` says to, renumbered; returns each old number's new one (-1: dropped). */
  compact(keep: Uint8Array): Int32Array {
    const renumber = new Int32Array(this.kinds.length).fill(-1);
    const kinds: LookupKind[] = [];
    const keys: string[] = [];
    const values: unknown[] = [];
    this.numbers.clear();
    for (let number = 0; number < this.kinds.length; number++) {
      if (!keep[number]) continue;
      renumber[number] = kinds.length;
      this.numbers.set(`${this.kinds[number]}\u0000${this.keys[number]}`, kinds.length);
      kinds.push(this.kinds[number]!);
      keys.push(this.keys[number]!);
      values.push(this.values[number]);
    }
    this.kinds = kinds;
    this.keys = keys;
    this.values = values;
    this.changed = new Uint8Array(Math.max(1024, kinds.length * 2));
    this.seen = new Int32Array(this.changed.length);
    return renumber;
  }

  private grow(): void {
    const changed = new Uint8Array(this.changed.length * 2);
    changed.set(this.changed);
    this.changed = changed;
    const seen = new Int32Array(changed.length);
    seen.set(this.seen);
    this.seen = seen;
  }
}

export class PageMemo implements PartMemo {
  readonly claims = new ClaimCounts();
  private readonly lookups = new Lookups();
  /** A key's part, or its parts when it has several (a KPI on two scorecards). */
  private readonly parts = new Map<object | string, Part | Part[]>();
  /** How many parts `parts` holds. */
  private size = 0;
  /** The render under way, and the one before: only a part the render before used may be reused. */
  private now = 0;
  private before = -1;
  private recording: Recording | undefined;
  private serial = 0;
  /** How many lookups and ids had numbers after the last compaction. */
  private compacted = 0;
  /** Parts rendered afresh and reused in the current render (for tests and measurements). */
  rendered = 0;
  reused = 0;

  /** Starts a render with `ctx`: the lookups whose answer changed since the render before are marked. */
  start(ctx: Context): void {
    this.before = this.now;
    this.now++;
    this.rendered = 0;
    this.reused = 0;
    this.recording = undefined;
    this.claims.reset();
    this.lookups.refresh(ctx);
  }

  part(key: object | string, slot: string, render: () => string): string {
    const known = this.parts.get(key);
    if (known !== undefined) {
      if (!Array.isArray(known)) {
        if (known.used === this.before && known.slot === slot && this.reusable(known)) return this.reuse(known);
      } else {
        for (const part of known) if (part.used === this.before && part.slot === slot && this.reusable(part)) return this.reuse(part);
      }
    }
    const outer = this.recording;
    const recording: Recording = { lookups: [], claims: [], serial: ++this.serial };
    this.recording = recording;
    let html: string;
    try {
      html = markPart(render());
    } finally {
      this.recording = outer;
    }
    if (outer) append(outer, recording);
    flatten(html);
    this.keep(key, known, { slot, html, used: this.now, lookups: recording.lookups, claims: recording.claims });
    this.rendered++;
    return html;
  }

  private readonly derivations = new Map<string, { inputs: readonly unknown[]; value: unknown }>();

  derived<T>(name: string, inputs: readonly unknown[], compute: () => T): T {
    const last = this.derivations.get(name);
    if (last && sameItems(last.inputs, inputs)) return last.value as T;
    const value = compute();
    this.derivations.set(name, { inputs, value });
    return value;
  }

  looked(kind: LookupKind, key: string, value: unknown): void {
    const recording = this.recording;
    if (!recording) return;
    const number = this.lookups.numberOf(kind, key, value);
    if (this.lookups.seen[number] === recording.serial) return;
    this.lookups.seen[number] = recording.serial;
    recording.lookups.push(number);
  }

  claimed(number: number, before: number): void {
    this.recording?.claims.push(CLAIM, number, before);
  }

  counted(number: number, limit: number, answer: boolean): void {
    this.recording?.claims.push(AT_LEAST, number, answer ? limit : -limit - 1);
  }

  /**
   * Ends a render. The parts it did not use can never be reused; they are
   * dropped once they are an eighth of the memo, so that an edit, which
   * leaves a part or two behind, does not walk all of them.
   */
  finish(): void {
    const used = this.rendered + this.reused;
    if (this.size - used > Math.max(256, used >> 3)) this.sweep();
    if (this.lookups.size + this.claims.size > 2 * this.compacted + 4096) this.compact();
  }

  /**
   * Whether `part` comes out the same now: none of its lookups changed, and
   * its claims, made again, count what they counted. They are made as they
   * are checked; when one does not match, the ones made are taken back.
   */
  private reusable(part: Part): boolean {
    const { changed } = this.lookups;
    for (const number of part.lookups) if (changed[number]) return false;
    const { claims } = part;
    for (let index = 0; index < claims.length; index += 3) {
      const number = claims[index + 1]!;
      const value = claims[index + 2]!;
      const same =
        claims[index] === CLAIM
          ? this.claims.claim(number) === value
          : (this.claims.count(number) >= (value >= 0 ? value : -value - 1)) === value >= 0;
      if (same) continue;
      if (claims[index] === CLAIM) this.claims.unclaim(number);
      for (let undo = 0; undo < index; undo += 3) if (claims[undo] === CLAIM) this.claims.unclaim(claims[undo + 1]!);
      return false;
    }
    return true;
  }

  private reuse(part: Part): string {
    part.used = this.now;
    if (this.recording) append(this.recording, part);
    this.reused++;
    return part.html;
  }

  /** Keeps a part rendered now, in place of an earlier part of its key and slot that could not be reused. */
  private keep(key: object | string, known: Part | Part[] | undefined, part: Part): void {
    if (known === undefined) {
      this.parts.set(key, part);
      this.size++;
    } else if (!Array.isArray(known)) {
      if (known.used !== this.now && known.slot === part.slot) this.parts.set(key, part);
      else {
        this.parts.set(key, [known, part]);
        this.size++;
      }
    } else {
      const stale = known.findIndex((other) => other.used !== this.now && other.slot === part.slot);
      if (stale >= 0) known[stale] = part;
      else {
        known.push(part);
        this.size++;
      }
    }
  }

  /** Drops the parts this render did not use. */
  private sweep(): void {
    this.size = 0;
    const dropped: (object | string)[] = [];
    this.parts.forEach((known, key) => {
      if (!Array.isArray(known)) {
        if (known.used === this.now) this.size++;
        else dropped.push(key);
        return;
      }
      const used = known.filter((part) => part.used === this.now);
      if (used.length === 0) dropped.push(key);
      else if (used.length < known.length) this.parts.set(key, used.length === 1 ? used[0]! : used);
      this.size += used.length;
    });
    for (const key of dropped) this.parts.delete(key);
  }

  /**
   * Renumbers the lookups and ids the kept parts still use, dropping the
   * rest: names come and go as the user types, and their numbers would
   * otherwise pile up. Runs when they have doubled since the last time.
   */
  private compact(): void {
    const liveLookups = new Uint8Array(this.lookups.size);
    const liveIds = new Uint8Array(this.claims.size);
    const all = [...this.parts.values()].flat();
    for (const part of all) {
      for (const number of part.lookups) liveLookups[number] = 1;
      for (let index = 0; index < part.claims.length; index += 3) liveIds[part.claims[index + 1]!] = 1;
    }
    const lookups = this.lookups.compact(liveLookups);
    const ids = this.claims.compact((number) => liveIds[number] === 1);
    for (const part of all) {
      for (let index = 0; index < part.lookups.length; index++) part.lookups[index] = lookups[part.lookups[index]!]!;
      for (let index = 0; index < part.claims.length; index += 3) part.claims[index + 1] = ids[part.claims[index + 1]!]!;
    }
    this.compacted = this.lookups.size + this.claims.size;
  }
}

/** Whether two lists hold the same items, in the same order. */
export function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** Adds an inner part's record to the record of the part around it. */
function append(outer: Recording, inner: { lookups: number[]; claims: number[] }): void {
  for (const number of inner.lookups) outer.lookups.push(number);
  for (const value of inner.claims) outer.claims.push(value);
}

/**
 * Makes V8 store `html` as one flat string now. A card's HTML is built by
 * concatenation, which V8 keeps as a tree of the pieces; a memoized card is
 * joined into its view again at every render, and joining a tree walks it
 * every time. Converting a string to a number flattens it in place (the
 * number itself is not wanted).
 */
function flatten(html: string): void {
  Number(html);
}
