// Two graph algorithms over any nodes, for the `depends` graph of kpis: the
// strongly connected components (kpis on a common cycle) and a shortest path.

export interface Components<N> {
  /** The component of each node reached; nodes on a common cycle share one. */
  componentOf: Map<N, number>;
  /** How many nodes each component holds, by component number. */
  sizes: number[];
}

/**
 * Tarjan's algorithm, iterative (a long chain must not overflow the stack).
 * Components are numbered in the order they complete, walking from `roots`
 * in their order.
 */
export function stronglyConnectedComponents<N>(roots: Iterable<N>, successors: (node: N) => readonly N[]): Components<N> {
  const index = new Map<N, number>();
  const low = new Map<N, number>();
  const onStack = new Set<N>();
  const stack: N[] = [];
  const componentOf = new Map<N, number>();
  const sizes: number[] = [];
  let counter = 0;
  const work: { node: N; next: readonly N[]; i: number }[] = [];
  const visit = (node: N) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    work.push({ node, next: successors(node), i: 0 });
  };
  for (const root of roots) {
    if (index.has(root)) continue;
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.next.length) {
        const next = frame.next[frame.i++]!;
        if (!index.has(next)) visit(next);
        else if (onStack.has(next)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        let member: N;
        let size = 0;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          componentOf.set(member, sizes.length);
          size++;
        } while (member !== frame.node);
        sizes.push(size);
      }
    }
  }
  return { componentOf, sizes };
}

/** A shortest path from `from` to `to` (both included), breadth first, or undefined when there is none. */
export function shortestPath<N>(from: N, to: N, successors: (node: N) => Iterable<N>): N[] | undefined {
  const previous = new Map<N, N | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    if (node === to) {
      const path: N[] = [];
      for (let n: N | null = node; n !== null; n = previous.get(n) ?? null) path.unshift(n);
      return path;
    }
    for (const next of successors(node)) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined;
}
