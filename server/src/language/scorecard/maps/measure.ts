// How big text is, without a browser: every character counts as the average
// width of a 12 px sans-serif glyph (7 px; "m" is wider, "i" narrower, and a
// line of ordinary words averages out near 0.58 em). The renderer writes text
// at that size and cuts a line that is longer than a box allows with "…", so
// no text ever leaves its box even when this estimate is short.

export const AVERAGE_CHARACTER_WIDTH = 7;
export const LINE_HEIGHT = 16;
export const BOX_PADDING_X = 10;
export const BOX_PADDING_Y = 8;
export const MIN_NODE_WIDTH = 120;
export const MAX_NODE_WIDTH = 280;

export function textWidth(text: string): number {
  return Array.from(text).length * AVERAGE_CHARACTER_WIDTH;
}

/** The size of a box holding these lines, the first being the title. */
export function boxSizeForLines(lines: readonly string[]): { width: number; height: number } {
  const widest = lines.reduce((most, line) => Math.max(most, textWidth(line)), 0);
  const width = Math.min(MAX_NODE_WIDTH, Math.max(MIN_NODE_WIDTH, widest + 2 * BOX_PADDING_X));
  const height = Math.max(1, lines.length) * LINE_HEIGHT + 2 * BOX_PADDING_Y;
  return { width, height };
}

/** The box of a one-line label, as wide as its text (capped) plus a little air. */
export function labelSize(text: string): { width: number; height: number } {
  return { width: Math.min(MAX_NODE_WIDTH, textWidth(text) + 8), height: LINE_HEIGHT + 4 };
}
