// What the three map renderers share: the SVG document with its accessible
// name, the arrowheads, a node as a focusable group with its <title>, lines
// of text cut to their box, and status as icon and word (never colour alone).
// Sizes match the layout's text measure (maps/measure.ts): 12 px text, 16 px
// lines, 10 px padding; a line the estimate makes too long is cut with "…".
import type { StatusKind } from '../../../model/status';
import { AVERAGE_CHARACTER_WIDTH, BOX_PADDING_X, BOX_PADDING_Y, LINE_HEIGHT, type Box, type Point } from '../../maps';
import { escapeHtml as esc, statusWord } from '../text';
import { STATUS_SHAPES } from '../page/icons';

/** How a map is written: for the page (styled by its stylesheet, click-through data) or as a file on its own. */
export interface MapRenderOptions {
  /** `page`: inside the scorecard page (the page's stylesheet colours it); `standalone`: an .svg file with its own style. */
  mode: 'page' | 'standalone';
  /** A prefix for the ids inside the map (its arrowheads), unique in the page. */
  idPrefix: string;
}

/** One line of a node or a label: text, optionally after a status icon, optionally with a marked ending. */
export interface MapLine {
  readonly text: string;
  /** A CSS class of the line (`title`, `muted`). */
  readonly cls?: string;
  /** Drawn as its icon before the text (the text carries the word). */
  readonly status?: StatusKind;
  /** Kept whole at the end of the line, cutting the text before it instead (e.g. "· review overdue"). */
  readonly suffix?: { readonly text: string; readonly cls: string };
}

/** Room the status icon takes at the start of a line: three average characters. */
const ICON_ROOM = 3;

/** The text a line is measured by (the layout sizes boxes from it). */
export function measuredText(line: MapLine): string {
  const text = `${line.status !== undefined ? ' '.repeat(ICON_ROOM) : ''}${line.text}${line.suffix?.text ?? ''}`;
  return line.cls === 'title' ? `${text}${' '.repeat(Math.ceil(Array.from(text).length * (BOLD_WIDTH - 1)))}` : text;
}

/** Bold text (a node's title) is about this much wider than the average the layout measures. */
const BOLD_WIDTH = 1.1;

/** Text cut to at most `characters`, ending in "…" when cut. */
export function cut(text: string, characters: number): string {
  const chars = Array.from(text);
  if (chars.length <= characters) return text;
  return `${chars.slice(0, Math.max(0, characters - 1)).join('')}…`;
}

/** A status as it reads on a map: the icon's shape and the word, e.g. for a line `Amber · Cost per order`. */
export function statusLine(status: StatusKind, text: string, cls?: string): MapLine {
  return { text: text ? `${statusWord(status)} · ${text}` : statusWord(status), status, ...(cls !== undefined ? { cls } : {}) };
}

function statusGlyph(status: StatusKind, x: number, y: number): string {
  return `<g class="sicon map-sicon st-${esc(status)}" transform="translate(${fmt(x)} ${fmt(y)}) scale(0.8125)" aria-hidden="true">${STATUS_SHAPES[status] ?? STATUS_SHAPES.unscored}</g>`;
}

/** How many average characters a line of a box this wide holds inside its padding. */
export function lineRoom(boxWidth: number): number {
  return Math.floor((boxWidth - 2 * BOX_PADDING_X) / AVERAGE_CHARACTER_WIDTH);
}

/** The lines of a box, top down from its padding, each cut to the box's width. */
export function drawLines(box: Box, lines: readonly MapLine[], paddingTop = BOX_PADDING_Y): string {
  const room = lineRoom(box.width);
  return lines
    .map((line, index) => {
      const top = box.y + paddingTop + index * LINE_HEIGHT;
      const baseline = top + 12;
      let x = box.x + BOX_PADDING_X;
      let characters = line.cls === 'title' ? Math.floor(room / BOLD_WIDTH) : room;
      let icon = '';
      if (line.status !== undefined) {
        icon = statusGlyph(line.status, x, top + 1.5);
        x += ICON_ROOM * AVERAGE_CHARACTER_WIDTH;
        characters -= ICON_ROOM;
      }
      const suffix = line.suffix ? cut(line.suffix.text, characters) : '';
      const text = cut(line.text, characters - Array.from(suffix).length);
      const suffixSpan = line.suffix && suffix ? `<tspan class="${esc(line.suffix.cls)}">${esc(suffix)}</tspan>` : '';
      return `${icon}<text x="${fmt(x)}" y="${fmt(baseline)}"${line.cls ? ` class="${esc(line.cls)}"` : ''}>${esc(text)}${suffixSpan}</text>`;
    })
    .join('');
}

/** A number for an attribute: whole where it is, else one decimal. */
export function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function pathOf(points: readonly Point[]): string {
  return points.map((point, index) => `${index === 0 ? 'M' : 'L'}${fmt(point.x)} ${fmt(point.y)}`).join(' ');
}

/** The arrowheads: a filled one for the flow, an open one for loops and dependencies. */
function markers(prefix: string): string {
  return (
    `<defs>` +
    `<marker id="${esc(prefix)}-arrow" class="map-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0 0 10 5 0 10z"/></marker>` +
    `<marker id="${esc(prefix)}-open" class="map-arrowhead open" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M1 1 9 5 1 9" fill="none" stroke-width="1.6"/></marker>` +
    `</defs>`
  );
}

export function markerRef(prefix: string, kind: 'arrow' | 'open'): string {
  return `url(#${prefix}-${kind})`;
}

/**
 * The colours of an .svg written on its own, light, where the page's
 * stylesheet is absent: the same classes, plain colours.
 */
const STANDALONE_STYLE = [
  'svg.kpi-map{background:#ffffff;color:#1f2328}',
  '.map-band,.map-group{fill:#f6f8fa;stroke:#d0d7de}',
  '.map-lane{fill:none;stroke:#d0d7de}',
  '.map-band-label,.map-group-label{fill:#1f2328;font-weight:600}',
  '.map-node .node-box{fill:#ffffff;stroke:#59636e;stroke-width:1.2}',
  '.map-node.entry .node-box{stroke:#0969da;stroke-width:2.5}',
  '.map-node.unreachable .node-box{stroke-dasharray:5 3}',
  '.map-tag rect{fill:#59636e}.map-tag text{fill:#ffffff;font-size:10px;font-weight:600}',
  '.map-tag.entry rect{fill:#0969da}',
  'text{fill:#1f2328}.title{font-weight:600}.muted{fill:#59636e}.overdue{fill:#cf222e;font-weight:600}.joint{font-weight:600}',
  '.map-edge path{fill:none;stroke:#59636e;stroke-width:1.4}',
  '.map-edge.handoff path{stroke:#0969da;stroke-width:2.2}',
  '.map-edge.cross-function path{stroke:#8250df;stroke-width:3.2}',
  '.map-edge.back path,.map-edge.depends path{stroke-dasharray:6 4}',
  '.map-arrowhead path{fill:#59636e;stroke:#59636e}',
  '.map-edge-label rect{fill:#ffffff;stroke:#d0d7de}',
  '.map-divider{stroke:#8c959f;stroke-dasharray:4 4}',
  '.st-green{color:#1a7f37}.st-amber{color:#b58100}.st-red{color:#cf222e}.st-no-data,.st-unscored{color:#8c959f}',
  '.map-sicon .shape{fill:currentColor}.map-sicon .glyph{fill:none;stroke:#ffffff;stroke-width:1.8;stroke-linecap:round}',
  '.map-sicon.st-amber .glyph{stroke:#1f1f1f}',
  '.map-sicon .ring{fill:none;stroke:currentColor;stroke-width:1.4}.map-sicon .dot{fill:currentColor}.map-sicon .dash{stroke:currentColor;stroke-width:1.6}',
  '.map-edge-label.joint-review rect{stroke:currentColor;stroke-width:1.5}',
].join('');

/** The map as one <svg role="img"> with its accessible name. */
export function svgDocument(kind: string, label: string, width: number, height: number, body: string, options: MapRenderOptions): string {
  const margin = 8;
  const w = Math.ceil(width + 2 * margin);
  const h = Math.ceil(height + 2 * margin);
  const standalone = options.mode === 'standalone';
  const namespace = standalone ? ` xmlns="http://www.w3.org/2000/svg"` : '';
  const style = standalone ? `<style>${STANDALONE_STYLE}</style>` : '';
  return (
    `<svg${namespace} class="kpi-map map-${esc(kind)}" role="img" aria-label="${esc(label)}" viewBox="${-margin} ${-margin} ${w} ${h}" width="${w}" height="${h}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, Arial, sans-serif" font-size="12">` +
    style +
    markers(options.idPrefix) +
    body +
    `</svg>`
  );
}

/** A node: a group with its <title> (the element's title as written), its box and its lines. */
export function nodeGroup(input: {
  title: string;
  classes: string[];
  /** The page's data-* attributes (where it is declared, what the filters match); empty in a standalone file. */
  attributes: string;
  /** In the page a node is focusable, opens its declaration and answers the filters. */
  page: boolean;
  box: Box;
  lines: readonly MapLine[];
  /** A short word on the box's top border (`start`, `unreachable`). */
  tags?: readonly { text: string; cls: string }[];
  description?: string;
}): string {
  const { box } = input;
  const desc = input.description ? `<desc>${esc(input.description)}</desc>` : '';
  let tagX = box.x + 8;
  const tags = (input.tags ?? [])
    .map((tag) => {
      const width = Array.from(tag.text).length * 6.2 + 10;
      const out = `<g class="map-tag ${esc(tag.cls)}" aria-hidden="true"><rect x="${fmt(tagX)}" y="${fmt(box.y - 8)}" width="${fmt(width)}" height="15" rx="7.5"/><text x="${fmt(tagX + 5)}" y="${fmt(box.y + 3)}">${esc(tag.text)}</text></g>`;
      tagX += width + 4;
      return out;
    })
    .join('');
  const tagRoom = input.tags?.length ? 4 : 0;
  return (
    `<g class="${esc(['map-node', ...input.classes, ...(input.page ? ['clickable', 'filterable'] : [])].join(' '))}"${input.page ? ' tabindex="0"' : ''}${input.page ? input.attributes : ''}>` +
    `<title>${esc(input.title)}</title>${desc}` +
    `<rect class="node-box" x="${fmt(box.x)}" y="${fmt(box.y)}" width="${fmt(box.width)}" height="${fmt(box.height)}" rx="6"/>` +
    drawLines(box, input.lines, BOX_PADDING_Y + tagRoom / 2) +
    tags +
    `</g>`
  );
}

/** An arrow: a group whose <title> reads `<from> → <to>`, with ` (hand-off)` where it is one. */
export function edgeGroup(input: { from: string; to: string; handOff: boolean; classes: string[]; points: readonly Point[]; marker: string; description?: string; extra?: string }): string {
  const title = `${input.from} → ${input.to}${input.handOff ? ' (hand-off)' : ''}`;
  const desc = input.description ? `<desc>${esc(input.description)}</desc>` : '';
  return (
    `<g class="${esc(['map-edge', ...input.classes].join(' '))}"><title>${esc(title)}</title>${desc}` +
    `<path d="${pathOf(input.points)}" marker-end="${esc(input.marker)}"/>${input.extra ?? ''}</g>`
  );
}

/** Text in a band's or a lane's label column, cut to it. */
export function labelText(box: Box, text: string, cls: string, vertical: 'top' | 'middle' = 'middle', bold = false): string {
  const characters = Math.max(1, Math.floor((box.width - 8) / AVERAGE_CHARACTER_WIDTH / (bold ? BOLD_WIDTH : 1)));
  const y = vertical === 'top' ? box.y + 18 : box.y + box.height / 2 + 4;
  return `<text class="${esc(cls)}" x="${fmt(box.x + 8)}" y="${fmt(y)}">${esc(cut(text, characters))}</text>`;
}
