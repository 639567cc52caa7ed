// Small formatting helpers shared by the renderers: escaping, numbers with
// units, comparators, status words.
import type { Comparator } from '../../model/ast';
import { formatNumber, formatValue, type StatusKind } from '../../model/status';
import type { Condition, KpiCard, OwnerRef } from '../model';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
/**
 * Compares titles as people sort them (the default locale's collation, as
 * `localeCompare` without arguments does), through one collator made once:
 * `localeCompare` builds its collation anew at every call, which a sort of a
 * few thousand titles on every update of the panel pays thousands of times.
 */
export const compareTitles: (a: string, b: string) => number = new Intl.Collator().compare;

export function escapeHtml(value: unknown): string {
  const text = String(value ?? '');
  // Most texts have nothing to escape: they are returned as they are, without a copy.
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (c) => `&#${c.charCodeAt(0)};`) : text;
}

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;

/** A number as people write it, and with its unit (one definition each, with the statuses' and the rules'). */
export { formatNumber, formatValue };

const SYMBOLS: Record<Comparator, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '=': '=' };

/** The comparator as a reader writes it (`≥`, `≤`). */
export function symbolOf(op: Comparator): string {
  return SYMBOLS[op] ?? op;
}

/** `≥ 20%`. */
export function formatCondition(c: Condition, unit?: string): string {
  return `${symbolOf(c.op)} ${formatValue(c.value, unit)}`;
}

/** `>= 20` (ASCII, for CSV). */
export function conditionText(c: Condition | undefined): string {
  return c ? `${c.op} ${formatNumber(c.value)}` : '';
}

export const STATUS_ORDER: StatusKind[] = ['red', 'amber', 'green', 'no-data', 'unscored'];

/** One mark per status for text that cannot draw the icons (Markdown, hovers): beside the word, never instead of it. */
export const STATUS_EMOJI: Record<StatusKind, string> = { green: '🟢', amber: '🟡', red: '🔴', 'no-data': '⚪', unscored: '⚫' };

export const STATUS_WORDS: Record<StatusKind, string> = {
  green: 'Green',
  amber: 'Amber',
  red: 'Red',
  'no-data': 'No data',
  unscored: 'Unscored',
};

export function statusWord(status: StatusKind): string {
  return STATUS_WORDS[status] ?? String(status);
}

/** The target in words: a comparison, a vague text, or nothing. */
export function targetOf(kpi: KpiCard): string {
  if (kpi.target) return formatCondition(kpi.target, kpi.unit);
  if (kpi.targetText !== undefined) return kpi.targetText;
  return '';
}

export function latestOf(kpi: KpiCard): string {
  return kpi.latest ? `${formatValue(kpi.latest.value, kpi.unit)} (${kpi.latest.period})` : '';
}

export function ownerText(owner: OwnerRef | undefined): string {
  if (!owner) return '';
  return owner.function ? `${owner.title} (${owner.function.title})` : owner.title;
}

export function countByStatus(kpis: readonly KpiCard[]): Record<StatusKind, number> {
  const counts: Record<StatusKind, number> = { green: 0, amber: 0, red: 0, 'no-data': 0, unscored: 0 };
  for (const k of kpis) if (k.status in counts) counts[k.status]++;
  return counts;
}

