// What lets the scorecard builder (build.ts) keep a card the same object while
// it does not change: a memo of each name's card with the inputs it was made
// from, compared with ===, and equality of plain data for what is made anew
// and kept when equal (backdating, as rust-analyzer's salsa calls it).
import type { Declaration } from '../model/ast';

/**
 * The card of each name, kept while the declaration and the inputs it was made
 * from stay the same (each compared with ===). A card made again that equals
 * the kept one as data is the kept one: an input changed in a way the card
 * does not show, or the re-parse made a new declaration of the same text.
 */
export class Memo<V extends { name: string }> {
  private readonly byName = new Map<string, { decl: Declaration; inputs: readonly unknown[]; value: V }>();

  get(decl: Declaration, inputs: readonly unknown[], make: () => V): V {
    const name = decl.name.text;
    const kept = this.byName.get(name);
    if (kept && kept.decl === decl && sameInputs(kept.inputs, inputs)) return kept.value;
    const made = make();
    const value = kept && sameData(kept.value, made) ? kept.value : made;
    this.byName.set(name, { decl, inputs, value });
    return value;
  }

  /** Forgets the names no longer shown, once they are many (renames while typing leave one behind per keystroke). */
  prune(shown: readonly V[]): void {
    if (this.byName.size <= shown.length * 2 + 64) return;
    const alive = new Set(shown.map((card) => card.name));
    for (const name of this.byName.keys()) if (!alive.has(name)) this.byName.delete(name);
  }
}

export function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `items`, each replaced by the item of `last` (the previous build's, by key)
 * when the two are equal as data; and the map to pass next time. For what is
 * made anew on every build (joint reviews, the agenda's groups), so that it
 * keeps its identity too.
 */
export function keepEqual<T, K>(items: T[], last: ReadonlyMap<K, T>, keyOf: (item: T) => K): [T[], Map<K, T>] {
  const next = new Map<K, T>();
  const kept = items.map((item) => {
    const before = last.get(keyOf(item));
    const value = before !== undefined && sameData(before, item) ? before : item;
    next.set(keyOf(item), value);
    return value;
  });
  return [kept, next];
}

/** A list of names as one input: equal lists give the same string. */
export function keyOf(names: readonly string[]): string {
  return names.length === 0 ? '' : names.length === 1 ? names[0]! : names.join('\u0000');
}

/** Whether two values are equal as plain data (JSON-like: objects, arrays, strings, numbers, booleans, null). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) if (!sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}
