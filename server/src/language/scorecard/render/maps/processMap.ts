// The process map as SVG: lanes per step owner grouped by function, steps
// with their SOP and KPIs, one arrow per `next`. A hand-off (two owners) is
// drawn heavier than the flow, one between two functions heavier still; a
// loop's back edge is dashed with an open arrowhead; the entry step carries a
// "start" tag and unreachable steps, right of a divider, an "unreachable" one.
import { layoutProcess, type ProcessLayout } from '../../maps';
import type { ProcessCard } from '../../model';
import { processInput, stepShownLines, type MapSource } from './inputs';
import { memoLayout } from './memo';
import { edgeGroup, fmt, labelText, markerRef, nodeGroup, svgDocument, type MapRenderOptions } from './svg';

/** What the page adds to a step's node: its click-through and filter attributes. */
export type StepAttributes = (step: ProcessCard['steps'][number]) => string;

export function processMapLayout(source: MapSource, process: ProcessCard): ProcessLayout {
  const input = processInput(source, process);
  return memoLayout('process', input, input, layoutProcess);
}

export function renderProcessMap(source: MapSource, process: ProcessCard, options: MapRenderOptions, stepAttributes: StepAttributes = () => ''): string {
  const layout = processMapLayout(source, process);
  const stepByName = new Map<string, ProcessCard['steps'][number]>();
  for (const step of process.steps) if (!stepByName.has(step.name)) stepByName.set(step.name, step);
  const title = (name: string) => stepByName.get(name)?.title ?? name;
  const ownerTitle = (owner: string | undefined) => (owner === undefined ? 'No owner' : (process.steps.find((s) => s.owner?.name === owner)?.owner?.title ?? owner));
  const out: string[] = [];

  for (const group of layout.groups) {
    const label = group.ownerFunction === undefined ? 'No function' : (process.steps.find((s) => s.owner?.function?.name === group.ownerFunction)?.owner?.function?.title ?? group.ownerFunction);
    out.push(`<g class="map-group-wrap"><rect class="map-group" x="${fmt(group.box.x)}" y="${fmt(group.box.y)}" width="${fmt(group.box.width)}" height="${fmt(group.box.height)}"/>${labelText(group.labelBox, label, 'map-group-label', 'top', true)}</g>`);
  }
  for (const lane of layout.lanes) {
    out.push(`<g class="map-lane-wrap"><rect class="map-lane" x="${fmt(lane.box.x)}" y="${fmt(lane.box.y)}" width="${fmt(lane.box.width)}" height="${fmt(lane.box.height)}"/>${labelText(lane.labelBox, ownerTitle(lane.owner), 'map-lane-label')}</g>`);
  }
  if (layout.unreachableArea) {
    const area = layout.unreachableArea;
    out.push(
      `<g class="map-unreachable-area"><line class="map-divider" x1="${fmt(area.x)}" y1="${fmt(area.y)}" x2="${fmt(area.x)}" y2="${fmt(area.y + area.height)}"/>` +
        `<text class="muted" x="${fmt(area.x + 6)}" y="${fmt(area.y + 12)}">Not reachable from the start</text></g>`,
    );
  }
  for (const edge of layout.edges) {
    const classes = [edge.handOff ? 'handoff' : 'flow', ...(edge.crossFunction ? ['cross-function'] : []), ...(edge.back ? ['back'] : [])];
    const words = [edge.back ? 'loops back' : '', edge.crossFunction ? 'hand-off between functions' : edge.handOff ? 'hand-off between owners' : ''].filter(Boolean).join(', ');
    out.push(
      edgeGroup({
        from: title(edge.from),
        to: title(edge.to),
        handOff: edge.handOff,
        classes,
        points: edge.points,
        marker: markerRef(options.idPrefix, edge.back ? 'open' : 'arrow'),
        ...(words ? { description: words } : {}),
      }),
    );
  }
  for (const node of layout.nodes) {
    const step = stepByName.get(node.name);
    if (!step) continue;
    const tags = [...(node.entry ? [{ text: 'start', cls: 'entry' }] : []), ...(node.unreachable ? [{ text: 'unreachable', cls: 'unreachable' }] : [])];
    out.push(
      nodeGroup({
        title: step.title,
        classes: ['step', ...(node.entry ? ['entry'] : []), ...(node.unreachable ? ['unreachable'] : [])],
        attributes: options.mode === 'page' ? stepAttributes(step) : '',
        page: options.mode === 'page',
        box: node.box,
        lines: stepShownLines(source, step),
        tags,
        ...(node.unreachable ? { description: 'unreachable from the start' } : node.entry ? { description: 'start' } : {}),
      }),
    );
  }
  const handOffs = layout.edges.filter((edge) => edge.handOff).length;
  const label = `Process map of ${process.title}: ${layout.nodes.length} ${layout.nodes.length === 1 ? 'step' : 'steps'} in ${layout.lanes.length} ${layout.lanes.length === 1 ? 'lane' : 'lanes'}, ${handOffs} ${handOffs === 1 ? 'hand-off' : 'hand-offs'}`;
  return svgDocument('process', label, layout.width, layout.height, out.join(''), options);
}

