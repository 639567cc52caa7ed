// The layout of the three maps as plain data (boxes, lanes, bands, edge
// polylines), pure and deterministic: the renderer turns it into SVG.
export { layoutProcess, stepLines } from './process';
export { layoutStrategy, objectiveLines, dependsCrossings, BANDS_TOP_DOWN, BAND_LABELS } from './strategy';
export { layoutHandOffs, functionLines, crossingLines, crossingParts, crossingText, LISTED_CROSSINGS, READING_WIDTH } from './handoff';
export { AVERAGE_CHARACTER_WIDTH, BOX_PADDING_X, BOX_PADDING_Y, LINE_HEIGHT, textWidth } from './measure';
export type * from './types';
