// The hand-off map as SVG: functions with their KPI count and worst status,
// an arrow from the function that supplies to the one that receives, labelled
// with what crosses (step hand-offs, KPI dependencies, by their titles) and
// the worst status on it, worded; amber or red says "joint review". A label
// shows at most LISTED_CROSSINGS crossings, each line cut to the label's
// width; the whole list, uncut, is the label's own <title> (a tooltip) and
// the arrow's <desc> (what a screen reader reads), so nothing is lost.
import { crossingLines, crossingParts, crossingText, layoutHandOffs, type Crossing } from '../../maps';
import { edgeNote, functionShownLines, handOffInput, type MapSource } from './inputs';
import { memoLayout } from './memo';
import { escapeHtml as esc } from '../text';
import { cut, drawLines, edgeGroup, fmt, lineRoom, markerRef, nodeGroup, svgDocument, type MapLine, type MapRenderOptions } from './svg';

export type FunctionAttributes = (fn: string) => string;

/** A label's text starts this far left of its box's padding (the layout sizes the box tight to the text). */
const LABEL_BLEED = 6;

/**
 * A crossing's line within `characters`: when both titles do not fit, the
 * longer one is cut first, each keeping at least half the room, so the line
 * still names both ends ("Launch scope and… → Logistics partn…").
 */
export function fittedCrossing(crossing: Crossing, characters: number): string {
  const [first, joint, second] = crossingParts(crossing);
  const room = characters - Array.from(joint).length;
  const firstLength = Array.from(first).length;
  const secondLength = Array.from(second).length;
  if (firstLength + secondLength <= room) return `${first}${joint}${second}`;
  const half = Math.floor(room / 2);
  const firstRoom = firstLength <= half ? firstLength : secondLength <= room - half ? room - secondLength : half;
  return `${cut(first, Math.max(1, firstRoom))}${joint}${cut(second, Math.max(1, room - firstRoom))}`;
}

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
    const room = lineRoom(edge.labelBox.width + 2 * LABEL_BLEED);
    const lines: MapLine[] = [...crossingLines(edge.crossings, (crossing) => fittedCrossing(crossing, room)).map((text) => ({ text })), ...(note ? [note] : [])];
    const whole = [...edge.crossings.map(crossingText), ...(note ? [note.text] : [])];
    const box = edge.labelBox;
    const label =
      `<g class="map-edge-label${joint ? ` joint-review st-${note.status}` : ''}" aria-hidden="true"><title>${esc(whole.join('\n'))}</title>` +
      `<rect x="${fmt(box.x)}" y="${fmt(box.y)}" width="${fmt(box.width)}" height="${fmt(box.height)}" rx="3"/>` +
      drawLines({ x: box.x - LABEL_BLEED, y: box.y, width: box.width + 2 * LABEL_BLEED, height: box.height }, lines, 2) +
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
        description: whole.join('; '),
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
