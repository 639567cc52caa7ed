// The hand-off map as SVG: functions with their KPI count and worst status,
// an arrow from the function that supplies to the one that receives, labelled
// with what crosses (step hand-offs, KPI dependencies) and the worst status
// on it, worded; amber or red says "joint review".
import { crossingLines, layoutHandOffs } from '../../maps';
import { edgeNote, functionShownLines, handOffInput, type MapSource } from './inputs';
import { memoLayout } from './memo';
import { drawLines, edgeGroup, fmt, markerRef, nodeGroup, svgDocument, type MapLine, type MapRenderOptions } from './svg';

export type FunctionAttributes = (fn: string) => string;

export function renderHandOffMap(source: MapSource, options: MapRenderOptions, functionAttributes: FunctionAttributes = () => ''): string {
  const input = handOffInput(source);
  // The label notes follow the KPIs' statuses: they are part of the key, as the rest of the input is.
  const key = { ...input, labelNote: undefined, statuses: source.model.kpis.map((kpi) => [kpi.name, kpi.status, kpi.title]) };
  const layout = memoLayout('handoffs', input, key, layoutHandOffs);
  const out: string[] = [];
  // Labels go above every line, so that no other edge runs across one.
  const labels: string[] = [];
  for (const edge of layout.edges) {
    const note = edgeNote(source, edge.crossings);
    const joint = note !== undefined && note.cls === 'joint';
    const lines: MapLine[] = [...crossingLines(edge.crossings).map((text) => ({ text })), ...(note ? [note] : [])];
    const box = edge.labelBox;
    const label =
      `<g class="map-edge-label${joint ? ` joint-review st-${note.status}` : ''}" aria-hidden="true"><rect x="${fmt(box.x)}" y="${fmt(box.y)}" width="${fmt(box.width)}" height="${fmt(box.height)}" rx="3"/>` +
      drawLines({ x: box.x - 6, y: box.y, width: box.width + 12, height: box.height }, lines, 2) +
      `</g>`;
    const handOff = edge.crossings.some((crossing) => crossing.kind === 'hand-off');
    out.push(
      edgeGroup({
        from: source.functionTitle(edge.from),
        to: source.functionTitle(edge.to),
        handOff,
        classes: [handOff ? 'handoff' : 'depends-only', ...(joint ? ['joint-review'] : [])],
        points: edge.points,
        marker: markerRef(options.idPrefix, 'arrow'),
        description: lines.map((line) => line.text).join('; '),
      }),
    );
    labels.push(label);
  }
  out.push(...labels);
  for (const node of layout.nodes) {
    out.push(
      nodeGroup({
        title: source.functionTitle(node.name),
        classes: ['function'],
        attributes: options.mode === 'page' ? functionAttributes(node.name) : '',
        page: options.mode === 'page',
        box: node.box,
        lines: functionShownLines(source, node.name),
      }),
    );
  }
  const label = `Hand-off map: ${layout.nodes.length} ${layout.nodes.length === 1 ? 'function' : 'functions'}, ${layout.edges.length} ${layout.edges.length === 1 ? 'connection' : 'connections'} between them`;
  return svgDocument('handoffs', label, layout.width, layout.height, out.join(''), options);
}
