// The layouts of the last maps drawn, by their input: a live update of the
// panel redraws every map of the page, and most of them have not changed, so
// their layout (dagre, the costly part) is reused. The key is the whole input
// as JSON, so a hit returns exactly what laying the same input out would
// return (the layout is deterministic); the memo holds a bounded number of
// layouts and forgets the least recently used first.

const CAPACITY = 128;
const layouts = new Map<string, unknown>();

export function memoLayout<Input, Layout>(kind: string, input: Input, key: unknown, lay: (input: Input) => Layout): Layout {
  const id = `${kind}\u0000${JSON.stringify(key)}`;
  const known = layouts.get(id);
  if (known !== undefined) {
    layouts.delete(id);
    layouts.set(id, known);
    return known as Layout;
  }
  const layout = lay(input);
  layouts.set(id, layout);
  if (layouts.size > CAPACITY) layouts.delete(layouts.keys().next().value!);
  return layout;
}
