// The page's icons: small inline SVGs drawn with the text colour, and the
// status shapes that go with every status word (never colour alone).
import type { StatusKind } from '../../../model/status';
import { escapeHtml as esc, statusWord } from '../text';

const ICON_PATHS: Record<string, string> = {
  person: '<circle cx="8" cy="5" r="2.8"/><path d="M2.5 14.5c.6-3 2.8-4.6 5.5-4.6s4.9 1.6 5.5 4.6"/>',
  clock: '<circle cx="8" cy="8" r="6.5"/><path d="M8 4.5V8l2.5 1.6"/>',
  handoff: '<path d="M2 5.5h10M9.5 3 12 5.5 9.5 8M14 10.5H4M6.5 8 4 10.5 6.5 13"/>',
  target: '<circle cx="8" cy="8" r="6.5"/><circle cx="8" cy="8" r="3.5"/><circle cx="8" cy="8" r="0.6"/>',
  sop: '<rect x="2.5" y="1.5" width="11" height="13" rx="1.5"/><path d="M5 5.5l1 1 2-2M9.5 5.5H11M5 10l1 1 2-2M9.5 10H11"/>',
  leading: '<path d="M1.5 12l4-4 3 3 5.5-6M10 5h4v4"/>',
  lagging: '<path d="M2.6 8a5.5 5.5 0 1 0 1.6-3.9M2 2.2v2.7h2.7M8 5v3l2 1.5"/>',
  calendar: '<rect x="2" y="3" width="12" height="11" rx="1.5"/><path d="M2 6.5h12M5 1.5v3M11 1.5v3"/>',
  link: '<path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 0 1 3.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 0 1-3.5-3.5L5.5 8"/>',
  arrow: '<path d="M2 8h11M9.5 4.5 13 8l-3.5 3.5"/>',
  search: '<circle cx="7" cy="7" r="4.5"/><path d="M10.5 10.5 14 14"/>',
  warning: '<path d="M8 1.8 14.8 14H1.2z"/><path d="M8 6.2v3.6M8 11.8v.2"/>',
  flag: '<path d="M3 14.5V2M3 2.5h8.5l-1.8 3 1.8 3H3"/>',
  process: '<rect x="1" y="5.5" width="4" height="5" rx="1"/><rect x="11" y="5.5" width="4" height="5" rx="1"/><path d="M5 8h6"/>',
  financial: '<circle cx="8" cy="8" r="6.5"/><path d="M10 5.6c-.4-.6-1.1-.9-2-.9-1.2 0-2 .6-2 1.5 0 2 4 1.1 4 3.2 0 .9-.9 1.6-2.1 1.6-.9 0-1.7-.4-2.1-1M8 3.5v1.2M8 11.3v1.2"/>',
  customer: '<path d="M8 13.5S2 10 2 6a3 3 0 0 1 6-1 3 3 0 0 1 6 1c0 4-6 7.5-6 7.5z"/>',
  internal: '<circle cx="8" cy="8" r="2.2"/><circle cx="8" cy="8" r="5"/><path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3"/>',
  learning: '<path d="M8 4C6.5 2.8 4.5 2.5 2 2.7v9.8c2.5-.2 4.5.1 6 1.3 1.5-1.2 3.5-1.5 6-1.3V2.7C11.5 2.5 9.5 2.8 8 4zM8 4v9.5"/>',
  unplaced: '<rect x="2" y="2" width="12" height="12" rx="2" stroke-dasharray="2 2"/>',
  team: '<circle cx="5.5" cy="5.5" r="2.2"/><circle cx="11" cy="6" r="1.8"/><path d="M1.5 13.5c.4-2.4 2-3.8 4-3.8s3.6 1.4 4 3.8M10 9.8c2 0 3.8 1.1 4.4 3.4"/>',
};

/**
 * An icon: an empty `<i>` painted in the text colour through a mask of its
 * drawing, which the page's style holds once (ICON_STYLE). A page of 2,000
 * KPIs carries ~15,000 icons; as inline SVG they were 40% of its bytes and of
 * the webview's load time.
 */
export function icon(name: string, cls = ''): string {
  return `<i class="icon i-${name}${cls ? ` ${cls}` : ''}" aria-hidden="true"></i>`;
}

function iconSvg(name: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" width="16" height="16" ` +
    `fill="none" stroke="#000" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round">${ICON_PATHS[name]}</svg>`
  );
}

/**
 * The icons' style: each drawing once, as a data URL (the CSP allows
 * `img-src data:`). In forced colours the mask is filled with the system's
 * text colour; printed, it keeps its colour (backgrounds are not printed).
 */
export const ICON_STYLE =
  `.icon{display:inline-block;background-color:currentColor;-webkit-mask:var(--icon) center/contain no-repeat;mask:var(--icon) center/contain no-repeat;` +
  `forced-color-adjust:none;-webkit-print-color-adjust:exact;print-color-adjust:exact}` +
  `@media (forced-colors: active){.icon{background-color:CanvasText}}` +
  Object.keys(ICON_PATHS)
    .map((name) => `.i-${name}{--icon:url("data:image/svg+xml,${encodeURIComponent(iconSvg(name))}")}`)
    .join('');

export const STATUS_SHAPES: Record<StatusKind, string> = {
  green: '<circle class="shape" cx="8" cy="8" r="7"/><path class="glyph" d="M4.6 8.3l2.2 2.2 4.6-4.8"/>',
  amber: '<path class="shape" d="M8 1.2 15.2 14.3H.8z"/><path class="glyph" d="M8 5.8v4M8 12.1v.1"/>',
  red: '<path class="shape" d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z"/><path class="glyph" d="M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8"/>',
  'no-data': '<circle class="ring" cx="8" cy="8" r="6.3" stroke-dasharray="2.4 1.8"/><circle class="dot" cx="8" cy="8" r="1.3"/>',
  unscored: '<circle class="ring" cx="8" cy="8" r="6.3"/><path class="dash" d="M5 8h6"/>',
};

export function statusIcon(status: StatusKind): string {
  return `<svg class="sicon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">${STATUS_SHAPES[status] ?? STATUS_SHAPES.unscored}</svg>`;
}

/** A status chip: icon and word, never colour alone. */
export function statusChip(status: StatusKind, reason?: string): string {
  const title = reason ? ` title="${esc(reason)}"` : '';
  return `<span class="chip st st-${esc(status)}"${title}>${statusIcon(status)}<span class="st-word">${esc(statusWord(status))}</span></span>`;
}

