// The maps in the page: a declaration can show twice in one view (a step's
// card and its node on the process map, an objective's card and its node on
// the strategy map), and the editor's cursor highlights both.

/** The map node of a card, or the card of a map node: the other elements of the same kind and name, one of the two on a map. */
export function sameDeclaration(el: Element): Element[] {
  const kind = el.getAttribute('data-kind');
  const name = el.getAttribute('data-name');
  if (kind === null || name === null) return [];
  return Array.from(document.querySelectorAll(`.clickable[data-kind="${CSS.escape(kind)}"][data-name="${CSS.escape(name)}"]`)).filter(
    (other) => other !== el && (other.classList.contains('map-node') || el.classList.contains('map-node')),
  );
}
