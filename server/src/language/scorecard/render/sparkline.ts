// A trend sparkline as inline SVG: the actuals as a line with a point per
// period (the latest one emphasised and coloured by status), the target as a
// dashed line, and the trend's projection (LANGUAGE.md section 4.2) as a
// dashed segment one period further, in the colour and with the word of the
// band it lands in. Self-contained markup (no scripts, no styles, no remote
// resources); colours come from classes the page styles, with presentation
// attributes as the fallback when the SVG is shown on its own.
import type { Band } from '../../model/objectiveStatus';
import type { StatusKind } from '../../model/status';
import type { Condition } from '../model';
import { projectedText } from '../trend';
import { escapeHtml, formatValue, statusWord, symbolOf } from './text';

export interface SparkPoint {
  period: string;
  value: number;
}

export interface SparklineOptions {
  width?: number;
  height?: number;
  /** Appended to the numbers of the accessible label (`%` sticks to the number). */
  unit?: string;
  /** Colours the latest point. */
  status?: StatusKind;
  /**
   * The trend's value at the end of the next period: drawn one period after
   * the latest actual, joined to it by a dashed segment.
   */
  projection?: SparkProjection;
  /** Extra classes on the <svg>. */
  className?: string;
  /**
   * Stretch to the width of the container (preserveAspectRatio="none"): lines
   * keep their stroke width and points stay round, drawn as round-capped
   * zero-length strokes.
   */
  stretch?: boolean;
}

export interface SparkProjection {
  period: string;
  /** Unrounded. */
  value: number;
  /** As the label shows it: rounded within its band. */
  shown: number;
  status: Band;
}

/** The band colours for an SVG shown outside the page (the page's stylesheet replaces them with the theme's). */
const BAND_PAINT: Record<Band, string> = { green: '#1a7f37', amber: '#b58100', red: '#cf222e' };

const PAD_X = 4;
const PAD_Y = 4;

/** The sentence a screen reader reads, e.g. "Trend: 9.8 to 18.2 over 6 periods; target ≥ 20". */
export function sparklineLabel(actuals: readonly SparkPoint[], target?: Condition, unit?: string): string {
  const points = actuals.filter((a) => Number.isFinite(a.value));
  const v = (n: number) => formatValue(n, unit);
  let trend: string;
  if (points.length === 0) trend = 'Trend: no data';
  else if (points.length === 1) trend = `Trend: ${v(points[0]!.value)} in 1 period (${points[0]!.period})`;
  else trend = `Trend: ${v(points[0]!.value)} to ${v(points[points.length - 1]!.value)} over ${points.length} periods`;
  return target && Number.isFinite(target.value) ? `${trend}; target ${symbolOf(target.op)} ${v(target.value)}` : trend;
}

/** What the dashed segment says, e.g. "projected 19.5% for 2026-11: Amber". */
export function projectionLabel(projection: SparkProjection, unit?: string): string {
  return `projected ${projectedText(projection, unit)} for ${projection.period}: ${statusWord(projection.status)}`;
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * An SVG sparkline of `actuals` (oldest first), with `target` as a dashed
 * line. `thresholds` adds a faint dotted line at the amber boundary. Handles
 * no point, one point, equal values and negative values.
 */
export function sparkline(
  actuals: readonly SparkPoint[],
  target?: Condition,
  thresholds?: { green: Condition; amber: Condition },
  options: SparklineOptions = {},
): string {
  const width = Math.max(24, options.width ?? 120);
  const height = Math.max(12, options.height ?? 32);
  const points = actuals.filter((a) => Number.isFinite(a.value));
  // A projection continues the actuals; without one to continue from, or without a finite value, there is nothing to draw.
  const projection = options.projection && points.length > 0 && Number.isFinite(options.projection.value) ? options.projection : undefined;
  const projectionText = projection ? projectionLabel(projection, options.unit) : '';
  const label = sparklineLabel(points, target, options.unit) + (projection ? `; ${projectionText}` : '');
  const targetValue = target && Number.isFinite(target.value) ? target.value : undefined;
  const amberValue = thresholds && Number.isFinite(thresholds.amber.value) ? thresholds.amber.value : undefined;
  const cls = ['spark', options.stretch ? 'spark-stretch' : '', options.className].filter(Boolean).join(' ');
  const stretch = options.stretch === true;
  const nss = stretch ? ' vector-effect="non-scaling-stroke"' : '';
  const open =
    `<svg class="${escapeHtml(cls)}" role="img" aria-label="${escapeHtml(label)}" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}"${stretch ? ' preserveAspectRatio="none"' : ''} xmlns="http://www.w3.org/2000/svg" focusable="false">` +
    `<title>${escapeHtml(label)}</title>`;
  const parts: string[] = [open];
  const dot = (cx: number, cy: number, r: number, cls: string, paint = 'currentColor') =>
    stretch
      ? `<path class="${cls}" d="M${round(cx)} ${round(cy)}h0" stroke="${paint}" stroke-width="${round(r * 2)}" stroke-linecap="round"${nss}/>`
      : `<circle class="${cls}" cx="${round(cx)}" cy="${round(cy)}" r="${r}" fill="${paint}"/>`;

  const values = points.map((p) => p.value);
  const domain = projection ? [...values, projection.value] : [...values];
  if (targetValue !== undefined) domain.push(targetValue);
  if (amberValue !== undefined && values.length > 0) domain.push(amberValue);
  let min = domain.length ? Math.min(...domain) : 0;
  let max = domain.length ? Math.max(...domain) : 1;
  if (max - min < 1e-9) {
    // Equal values (or one): centre them.
    const spread = Math.abs(max) > 1e-9 ? Math.abs(max) * 0.5 : 1;
    min -= spread;
    max += spread;
  }
  const innerW = width - 2 * PAD_X;
  const innerH = height - 2 * PAD_Y;
  const y = (v: number) => PAD_Y + innerH - ((v - min) / (max - min)) * innerH;
  // One slot per actual, and one more for the projected period: the segment spans one period like the others.
  const slots = points.length + (projection ? 1 : 0);
  const x = (i: number) => (slots <= 1 ? width / 2 : PAD_X + (i / (slots - 1)) * innerW);

  parts.push(`<line class="spark-base" x1="${PAD_X}" x2="${width - PAD_X}" y1="${height - 1}" y2="${height - 1}" stroke="currentColor" stroke-opacity="0.15" stroke-width="1"${nss}/>`);
  if (amberValue !== undefined && values.length > 0) {
    const ay = round(y(amberValue));
    parts.push(`<line class="spark-amber" x1="${PAD_X}" x2="${width - PAD_X}" y1="${ay}" y2="${ay}" stroke="currentColor" stroke-opacity="0.35" stroke-width="1" stroke-dasharray="1 2"${nss}/>`);
  }
  if (targetValue !== undefined) {
    const ty = round(y(targetValue));
    parts.push(`<line class="spark-target" x1="${PAD_X}" x2="${width - PAD_X}" y1="${ty}" y2="${ty}" stroke="currentColor" stroke-opacity="0.7" stroke-width="1" stroke-dasharray="3 2"${nss}/>`);
  }
  if (points.length === 0) {
    if (!stretch) parts.push(`<text class="spark-empty" x="${width / 2}" y="${height / 2 + 3}" text-anchor="middle" font-size="9" fill="currentColor" fill-opacity="0.6">no data</text>`);
  } else {
    if (points.length > 1) {
      const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(x(i))} ${round(y(p.value))}`).join(' ');
      parts.push(`<path class="spark-line" d="${d}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"${nss}/>`);
    }
    points.forEach((p, i) => {
      if (i < points.length - 1) parts.push(dot(x(i), y(p.value), 1.6, 'spark-point'));
    });
    const last = points[points.length - 1]!;
    if (projection) {
      // Drawn before the latest point, so that point stays on top where the segment starts.
      const band = escapeHtml(projection.status);
      const paint = BAND_PAINT[projection.status] ?? 'currentColor';
      const px = x(points.length);
      const py = y(projection.value);
      parts.push(
        `<g class="spark-projection status-${band}"><title>${escapeHtml(projectionText)}</title>` +
          `<path class="spark-projection-line" d="M${round(x(points.length - 1))} ${round(y(last.value))} L${round(px)} ${round(py)}" fill="none" stroke="${paint}" stroke-width="1.5" stroke-dasharray="3 2" stroke-linecap="round"${nss}/>` +
          // A ring, not a dot: the projected point is not a measurement.
          dot(px, py, 3.4, 'spark-projected', paint) +
          dot(px, py, 1.9, 'spark-projected-hole', 'Canvas') +
          `</g>`,
      );
    }
    const status = options.status ? ` status-${escapeHtml(options.status)}` : '';
    parts.push(dot(x(points.length - 1), y(last.value), 4.6, 'spark-halo', 'Canvas'));
    parts.push(dot(x(points.length - 1), y(last.value), 3.2, `spark-latest${status}`));
  }
  parts.push('</svg>');
  return parts.join('');
}
