// The messages between the scorecard panel (scorecardPanel.ts, in the
// extension host) and its page's script (client/media/src/), declared once and
// imported by both. Both sides validate what they receive: a webview message
// is untyped JSON at run time.
import { PAGE_VIEWS, type PageRegions, type PageRegionsChange, type PartPatch, type PartSplice } from '../../../server/src/language/scorecard/render/page/regions';

export type { PageRegions, PageRegionsChange };

/** New content for the page: it swaps the regions and keeps its view, filters, search, scroll and focus. */
export interface ContentMessage {
  type: 'content';
  /** Increases with every render; the page ignores content older than what it shows. */
  version: number;
  /**
   * Absent: `regions` holds every region. Present: `regions` holds only those
   * that changed since content `base`, which the page must be showing; a page
   * that shows another version ignores it and says `ready` with its version,
   * and the panel sends it all the regions.
   */
  base?: number;
  regions: PageRegionsChange;
}

/** Highlight the card of a declaration (the editor's cursor moved there). */
export interface SelectMessage {
  type: 'select';
  /** The preview's name of the declaration: `Kpi`, `Process.Step`. */
  name: string;
  /**
   * Whether the page may switch to the view holding the card. False when the
   * cursor landed there by itself (a file opening); the page then highlights
   * the card only if the current view shows it.
   */
  switchView: boolean;
}

/** From the panel to the page. */
export type PanelToPageMessage = ContentMessage | SelectMessage;

/** The page has loaded (a first load, or again after the panel was hidden) and shows content `version`. */
export interface ReadyMessage {
  type: 'ready';
  version: number;
}

/** Open the declaration of a clicked card in the editor. */
export interface RevealMessage {
  type: 'reveal';
  /** A workspace key (the `file` of a `Where`). */
  file: string;
  line: number;
  character: number;
  /** The declaration's kind (`kpi`, `step`…), when the page sends one. */
  kind?: string;
  /** The name the preview gives the clicked item (`Process.Step` for a step), when it sends one. */
  name?: string;
}

/** From the page to the panel. */
export type PageToPanelMessage = ReadyMessage | RevealMessage;

const REGION_KEYS = ['summary', 'tabs', 'toolbar', 'footer'] as const;

/** `value` as regions: all of them (`whole`), or any of them; undefined when malformed. */
function parseRegions(value: unknown, whole: boolean): PageRegionsChange | undefined {
  if (!isRecord(value)) return undefined;
  const regions: PageRegionsChange = {};
  for (const key of REGION_KEYS) {
    const html = value[key];
    if (typeof html === 'string') regions[key] = html;
    else if (html !== undefined || whole) return undefined;
  }
  const views = value['views'];
  if (views === undefined && !whole) return regions;
  if (!isRecord(views)) return undefined;
  const known: Partial<Record<string, string>> = {};
  for (const view of PAGE_VIEWS) {
    const html = views[view];
    if (typeof html === 'string') known[view] = html;
    else if (html !== undefined || whole) return undefined;
  }
  regions.views = known;
  return regions;
}

/** `value` as a list per view, each item read by `item` (undefined: malformed); undefined when anything is malformed. */
function parsePerView<T>(value: unknown, item: (value: unknown) => T | undefined): Partial<Record<(typeof PAGE_VIEWS)[number], T[]>> | undefined {
  if (!isRecord(value)) return undefined;
  const lists: Partial<Record<(typeof PAGE_VIEWS)[number], T[]>> = {};
  for (const view of PAGE_VIEWS) {
    const list = value[view];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return undefined;
    const valid: T[] = [];
    for (const entry of list) {
      const read = item(entry);
      if (read === undefined) return undefined;
      valid.push(read);
    }
    lists[view] = valid;
  }
  return lists;
}

/** A part to swap (PageRegionsChange.parts). */
function parsePart(value: unknown): PartPatch | undefined {
  return Array.isArray(value) && value.length === 2 && wholeNumber(value[0]) && typeof value[1] === 'string' ? [value[0], value[1]] : undefined;
}

/** A run of parts to splice (PageRegionsChange.splices). */
function parseSplice(value: unknown): PartSplice | undefined {
  if (!Array.isArray(value) || value.length !== 4) return undefined;
  const [at, remove, insert, anchor] = value as unknown[];
  if (!wholeNumber(at) || !wholeNumber(remove) || !Array.isArray(insert) || !insert.every((html) => typeof html === 'string')) return undefined;
  return anchor === 'next' || anchor === 'previous' ? [at, remove, insert as string[], anchor] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function wholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Validates a message from the page (the extension side): undefined for anything malformed. */
export function parsePageMessage(message: unknown): PageToPanelMessage | undefined {
  if (!isRecord(message)) return undefined;
  if (message['type'] === 'ready') return { type: 'ready', version: wholeNumber(message['version']) ? message['version'] : 0 };
  if (message['type'] !== 'reveal') return undefined;
  const { file, line, character, kind, name } = message;
  if (typeof file !== 'string' || file === '') return undefined;
  const reveal: RevealMessage = { type: 'reveal', file, line: wholeNumber(line) ? line : 0, character: wholeNumber(character) ? character : 0 };
  if (typeof kind === 'string' && kind !== '') reveal.kind = kind;
  if (typeof name === 'string' && name !== '') reveal.name = name;
  return reveal;
}

/** Validates a message from the panel (the page side): undefined for anything malformed. */
export function parsePanelMessage(message: unknown): PanelToPageMessage | undefined {
  if (!isRecord(message)) return undefined;
  if (message['type'] === 'select') {
    const { name, switchView } = message;
    return typeof name === 'string' && name !== '' ? { type: 'select', name, switchView: switchView !== false } : undefined;
  }
  if (message['type'] === 'content') {
    const { version, base } = message;
    if (!wholeNumber(version) || (base !== undefined && !wholeNumber(base))) return undefined;
    const regions = parseRegions(message['regions'], base === undefined);
    if (!regions) return undefined;
    // Parts are patches of the content the page shows: only a change since a `base` has them.
    const parts = isRecord(message['regions']) ? message['regions']['parts'] : undefined;
    if (parts !== undefined) {
      const valid = base === undefined ? undefined : parsePerView(parts, parsePart);
      if (!valid) return undefined;
      regions.parts = valid;
    }
    const splices = isRecord(message['regions']) ? message['regions']['splices'] : undefined;
    if (splices !== undefined) {
      const valid = base === undefined ? undefined : parsePerView(splices, parseSplice);
      if (!valid) return undefined;
      regions.splices = valid;
    }
    return base === undefined ? { type: 'content', version, regions } : { type: 'content', version, base, regions };
  }
  return undefined;
}
