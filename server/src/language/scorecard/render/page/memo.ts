// The memo of the page's parts between renders, in the spirit of
// rust-analyzer's salsa: a part (a KPI card in one box, a process with its
// steps and map, an SOP card…) is a function of its key (a card of the model,
// which the scorecard build keeps as the same object while it does not
// change, and never mutates) and of the reads it makes through the Context:
// other cards by name, titles, the ids it claims. While a part renders, the
// Context writes down every read and what it gave (Reads); on the next render
// the part's HTML is reused when the key is the same object and every read
// gives the same value again (===: the same card object, the same string, the
// same count of an id's claims before it), and its id claims are then made
// again so the parts after it see the page as a fresh render would. Anything
// else renders afresh, so the memo's page equals renderRegions' byte for byte
// (test/page-memo.test.ts).
//
// The memo keeps the parts of the last render only: a render moves what it
// reuses or renders into the new generation, and the rest is dropped.
import { CLAIM, type Context, type PartMemo, type ReadKind } from './context';

interface Part {
  slot: string;
  html: string;
  /** kind, key, value: three slots a read, in the order made. */
  reads: unknown[];
}

export class PageMemo implements PartMemo {
  /** A key's part, or its parts when it has several (a KPI on two scorecards). */
  private previous = new Map<object | string, Part | Part[]>();
  private current = new Map<object | string, Part | Part[]>();
  /** Parts rendered afresh and reused in the current render (for tests and measurements). */
  rendered = 0;
  reused = 0;

  part(ctx: Context, key: object | string, slot: string, render: () => string): string {
    const outer = ctx.reads.current;
    const known = this.previous.get(key);
    if (known !== undefined) {
      if (!Array.isArray(known)) {
        if (known.slot === slot && stillValid(ctx, known.reads)) {
          this.previous.delete(key);
          return this.reuse(ctx, key, known);
        }
      } else {
        for (let index = 0; index < known.length; index++) {
          const part = known[index]!;
          if (part.slot !== slot || !stillValid(ctx, part.reads)) continue;
          // Taken: a second part of the same key and slot (a KPI listed twice in one box) does not reuse it again.
          known.splice(index, 1);
          return this.reuse(ctx, key, part);
        }
      }
    }
    const reads: unknown[] = [];
    ctx.reads.current = reads;
    let html: string;
    try {
      html = render();
    } finally {
      ctx.reads.current = outer;
    }
    outer?.push(...reads);
    flatten(html);
    this.keep(key, { slot, html, reads });
    this.rendered++;
    return html;
  }

  private reuse(ctx: Context, key: object | string, part: Part): string {
    replayClaims(ctx, part.reads);
    ctx.reads.current?.push(...part.reads);
    this.keep(key, part);
    this.reused++;
    return part.html;
  }

  /** Ends a render: its parts are what the next render may reuse. */
  finish(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** Starts a render (after a render that threw, what it had kept is dropped; the parts it took are rendered again). */
  start(): void {
    this.current = new Map();
    this.rendered = 0;
    this.reused = 0;
  }

  private keep(key: object | string, part: Part): void {
    const parts = this.current.get(key);
    if (parts === undefined) this.current.set(key, part);
    else if (Array.isArray(parts)) parts.push(part);
    else this.current.set(key, [parts, part]);
  }
}

/**
 * Whether every read gives what it gave. A claim's value is how many times
 * the id was claimed before it; a part that claims one id twice expects the
 * second claim one higher, hence the claims counted as they are checked.
 */
function stillValid(ctx: Context, reads: unknown[]): boolean {
  let claimed: Map<string, number> | undefined;
  for (let index = 0; index < reads.length; index += 3) {
    const kind = reads[index] as ReadKind;
    const key = reads[index + 1] as string;
    if (kind === CLAIM) {
      const earlier = claimed?.get(key) ?? 0;
      if (ctx.ids.count(key) + earlier !== reads[index + 2]) return false;
      (claimed ??= new Map()).set(key, earlier + 1);
    } else if (ctx.resolve(kind, key) !== reads[index + 2]) return false;
  }
  return true;
}

/** Makes a reused part's id claims again, as rendering it would. */
function replayClaims(ctx: Context, reads: unknown[]): void {
  for (let index = 0; index < reads.length; index += 3) if (reads[index] === CLAIM) ctx.ids.claimAgain(reads[index + 1] as string);
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
