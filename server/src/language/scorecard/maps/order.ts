// The graph work the maps share: reachability and loop edges along `next`,
// and the order of nodes from the layout library. The library (dagre, see
// docs/decisions/map-layout.md) ranks the nodes and minimises crossings; our
// own code then puts each node into its lane or band and draws the edges.
import { graphlib, layout } from '@dagrejs/dagre';

/** Compares strings by code unit, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface Walk {
  /** Nodes in the order a depth-first walk first reaches them. */
  readonly reached: readonly string[];
  /** `from\u0000to` keys of the edges that go back to a node still on the walk's path. */
  readonly backEdges: ReadonlySet<string>;
}

export function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * Walks depth-first from each root in turn, following successors in their
 * given order, and marks an edge "back" when it returns to a node on the
 * current path: that edge closes a loop. Iterative, so a long chain of steps
 * cannot overflow the stack.
 */
export function walkFrom(roots: readonly string[], successors: (node: string) => readonly string[], alreadyReached: ReadonlySet<string> = new Set()): Walk {
  const reached: string[] = [];
  const seen = new Set<string>(alreadyReached);
  const onPath = new Set<string>();
  const backEdges = new Set<string>();
  for (const root of roots) {
    if (seen.has(root)) continue;
    seen.add(root);
    reached.push(root);
    onPath.add(root);
    const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = successors(top.node);
      if (top.next >= targets.length) {
        onPath.delete(top.node);
        stack.pop();
        continue;
      }
      const target = targets[top.next++]!;
      if (onPath.has(target)) {
        backEdges.add(edgeKey(top.node, target));
      } else if (!seen.has(target)) {
        seen.add(target);
        reached.push(target);
        onPath.add(target);
        stack.push({ node: target, next: 0 });
      }
    }
  }
  return { reached, backEdges };
}

export interface RankedNode {
  /** The column (left to right) or row the library put the node in. */
  readonly rank: number;
  /** The node's position across its rank after crossing minimisation; only the order matters. */
  readonly across: number;
}

export interface OrderingInput {
  /** Node ids with their sizes, in a canonical order (the library's result depends on it). */
  readonly nodes: readonly { id: string; width: number; height: number }[];
  /** Edges without cycles, in a canonical order. */
  readonly edges: readonly { from: string; to: string }[];
}

/**
 * Ranks and orders the nodes with dagre, laid out left to right. The library
 * is deterministic for a given insertion order, so callers pass nodes and
 * edges in a canonical order. Should it ever throw (bad input reaching a
 * library bug), the ranks come from the longest path instead and the order
 * is the input order: a plainer picture, never a crash.
 */
export function rankAndOrder(input: OrderingInput): Map<string, RankedNode> {
  try {
    return rankWithDagre(input);
  } catch {
    return rankByLongestPath(input);
  }
}

function rankWithDagre(input: OrderingInput): Map<string, RankedNode> {
  const graph = new graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 20, ranksep: 40, ranker: 'network-simplex' });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of input.nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  input.edges.forEach((edge, index) => graph.setEdge(edge.from, edge.to, { minlen: 1, weight: 1 }, `e${index}`));
  layout(graph);
  const columns = new Map<string, number>();
  for (const node of input.nodes) {
    const label = graph.node(node.id) as { x?: number; y?: number } | undefined;
    columns.set(node.id, Math.round(label?.x ?? 0));
  }
  const distinct = [...new Set(columns.values())].sort((a, b) => a - b);
  const rankOfColumn = new Map(distinct.map((x, index) => [x, index]));
  const result = new Map<string, RankedNode>();
  for (const node of input.nodes) {
    const label = graph.node(node.id) as { y?: number } | undefined;
    result.set(node.id, { rank: rankOfColumn.get(columns.get(node.id)!)!, across: label?.y ?? 0 });
  }
  return result;
}

function rankByLongestPath(input: OrderingInput): Map<string, RankedNode> {
  const rank = new Map(input.nodes.map((node) => [node.id, 0]));
  // Relaxing every edge once per node settles the longest path in an acyclic graph.
  for (let round = 0; round < input.nodes.length; round++) {
    let changed = false;
    for (const edge of input.edges) {
      const candidate = (rank.get(edge.from) ?? 0) + 1;
      if (rank.has(edge.to) && candidate > rank.get(edge.to)!) {
        rank.set(edge.to, candidate);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return new Map(input.nodes.map((node, index) => [node.id, { rank: rank.get(node.id)!, across: index }]));
}
