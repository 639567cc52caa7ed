// How the language server keeps its memory bounded over a long session. It is
// not a leak: what survives a full collection stays near 60 MB over tens of
// thousands of edits on a 200-file workspace. But every edit leaves the
// previous text of the document, its line table and its re-parsed declarations
// behind in the old generation (they lived across several young-generation
// collections), and V8, seeing gigabytes of head-room, lets the old generation
// grow to up to four times what survived the last full collection before it
// collects again: 150 MB at the start became 350–570 MB after 20,000 edits.
// The server therefore sets its own heap growth policy as it starts, so that
// every way of starting it (the VS Code extension, `kpi-language-server
// --stdio`, `node dist/server.cjs`, tests) stays bounded without flags from its
// caller (docs/performance.md, "Long sessions").
import * as v8 from 'node:v8';

/**
 * V8 flags the server sets on itself before it reads any file. They must be
 * flags V8 reads at every collection, not only when it creates the heap (as
 * `--max-old-space-size` and `--max-semi-space-size` are): those would need
 * the caller's command line, which `kpi-language-server` does not control.
 *
 * `--heap-growing-percent=50`: after each full collection the old generation
 * may grow by half of what survived before the next one (instead of up to
 * 300%). It sets no ceiling, so a workspace of any size still fits; a full
 * collection comes every ~2,000 small edits and costs tens of milliseconds,
 * mostly on V8's background threads.
 */
export const SERVER_HEAP_FLAGS: readonly string[] = ['--heap-growing-percent=50'];

/** Applies SERVER_HEAP_FLAGS to this process (main.ts, first thing); `setFlags` is V8's, or a test's stand-in. */
export function configureServerHeap(setFlags: (flag: string) => void = v8.setFlagsFromString): readonly string[] {
  for (const flag of SERVER_HEAP_FLAGS) setFlags(flag);
  return SERVER_HEAP_FLAGS;
}

/**
 * Whether a Node or V8 option changes how the heap is sized or collected. The
 * extension's launch options hold only the young generation's size, which a
 * process cannot set on itself (test/memory-settings.test.ts).
 */
export function isHeapOption(option: string): boolean {
  return /^--(max|min|initial)[-_](old|semi|new|heap)[-_]?(space|generation)?[-_]?size|^--(max|min)[-_]heap|^--heap[-_]growing|^--semi[-_]space|^--optimize[-_]for[-_]size|^--(no[-_])?memory[-_]reducer|^--expose[-_]gc/.test(option);
}
