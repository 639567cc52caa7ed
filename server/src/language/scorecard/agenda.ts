// The weekly review (docs/agenda.md): for each owner, what needs them this
// week — red and amber KPIs, KPIs at risk, stale data to update, SOP reviews
// overdue or due within 14 days, and the joint reviews they are part of.
//
// It is built from the scorecard model, because the model already resolves
// what an agenda names (owners and their titles and functions, where each
// declaration is, statuses, staleness, SOP review days, the joint-review pairs
// listed once), so the agenda and every other view agree on those facts,
// `at-risk` included: `atRiskOf` reads it off each KPI card's trend. Everything here is pure and deterministic: the order of owners
// and items is documented in docs/agenda.md.
import { CADENCE_ORDER, cadencePeriodContaining, lastCompletePeriod, parseDate, type Cadence } from '../model/periods';
import { formatValue, type StatusKind } from '../model/status';
import { isWorseBand } from '../model/objectiveStatus';
import { slopeText } from './trend';
import type { JointReview, KpiCard, Named, OwnerRef, ScorecardModel, SopCard, Where } from './model';

export const AGENDA_KINDS = ['red', 'amber', 'at-risk', 'stale-data', 'sop-review', 'joint-review'] as const;
/** The kinds of item, in the order an owner's items are listed (most pressing first). */
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** An SOP whose review is due within this many days of today (or overdue) is on the agenda. */
export const SOP_REVIEW_WINDOW_DAYS = 14;

export interface AgendaItem {
  kind: AgendaKind;
  /** The declaration the item is about: the owner's KPI, or SOP for `sop-review`. */
  subject: string;
  /** The subject's title (its name when it has none). */
  title: string;
  /** Where the subject is declared (workspace key, 0-based line and character). */
  where: Where;
  /** What needs doing, in one sentence that does not repeat the title. */
  text: string;
  /** The subject KPI's status (every kind but `sop-review`). */
  status?: StatusKind;
  /** `stale-data`: the period of the KPI's frequency whose value is due (`2026-10`, `2026-W46`). */
  period?: string;
  /** `sop-review`: the day the review is due, YYYY-MM-DD, and whether that day has passed. */
  due?: string;
  overdue?: boolean;
  /** `at-risk`: where the trend lands at the end of the next period. */
  projected?: { period: string; date: string; value: number; status: StatusKind };
  /** `joint-review`: the partner KPI, its title and status, and its owner (the other person at the meeting). */
  with?: string;
  withTitle?: string;
  withStatus?: StatusKind;
  withOwner?: { name: string; title: string; function?: Named };
}

export interface AgendaOwner {
  /** The owner's name as declarations write it; null for the group of declarations without an owner ("nobody"). */
  owner: string | null;
  /** The owner's title, or `Nobody`. */
  title: string;
  function?: Named;
  items: AgendaItem[];
}

export interface Agenda {
  /** The day the agenda is for, YYYY-MM-DD. */
  today: string;
  /** The filter it was narrowed by (`kpi agenda --owner/--function`), if any. */
  filter?: AgendaFilter;
  /** Owners with at least one item, by title; the ownerless group last. */
  owners: AgendaOwner[];
}

export interface AgendaFilter {
  owner?: string;
  function?: string;
}

/** What a KPI's trend says when the KPI is at risk (LANGUAGE.md `at-risk`): read from the core status. */
export interface AtRisk {
  /** "a straight line through the latest 5 actuals (-1.6 a month)". */
  method: string;
  projected: { period: string; date: string; value: number; shown: number; status: StatusKind };
}

export const NOBODY_TITLE = 'Nobody';

/**
 * The KPIs of the model that are at risk (LANGUAGE.md 4.2): green or amber now,
 * with a trend projected into a worse band, as each KPI card carries it.
 */
export function atRiskOf(kpis: readonly KpiCard[], memo?: AgendaMemo): Map<string, AtRisk> {
  const risks = new Map<string, AtRisk>();
  for (const card of kpis) {
    let risk = memo?.risks.get(card);
    if (risk === undefined) {
      risk = riskOf(card);
      memo?.risks.set(card, risk);
    }
    if (risk) risks.set(card.name, risk);
  }
  return risks;
}

function riskOf(card: KpiCard): AtRisk | null {
  const trend = card.trend;
  if (!trend || (card.status !== 'green' && card.status !== 'amber') || !isWorseBand(trend.projected.status, card.status)) return null;
  return { method: `${trend.method} (${slopeText(trend, card.frequency)})`, projected: { ...trend.projected } };
}

/**
 * What each KPI and SOP card put on the agenda, kept between builds by the
 * scorecard builder (build.ts): cards are the same objects while they do not
 * change, so their items are too, and a rebuild makes items only for the
 * cards that changed.
 */
export class AgendaMemo {
  readonly risks = new WeakMap<KpiCard, AtRisk | null>();
  readonly kpiItems = new WeakMap<KpiCard, { today: string; risk: AtRisk | undefined; items: AgendaItem[] }>();
  readonly sopItems = new WeakMap<SopCard, { today: string; item: AgendaItem | undefined }>();
  /** A joint review's two items, kept while the review and the two KPIs' cards are the same objects. */
  readonly reviewItems = new WeakMap<JointReview, { a: KpiCard | undefined; b: KpiCard | undefined; items: [AgendaItem | undefined, AgendaItem | undefined] }>();
}

const STATUS_TEXT: Partial<Record<StatusKind, string>> = { green: 'Green', amber: 'Amber', red: 'Red' };

/** The model's facts without the agenda itself (the builder fills that field in). */
export type AgendaSource = Pick<ScorecardModel, 'today' | 'kpis' | 'sops' | 'owners' | 'jointReviews'>;

/**
 * The agenda of a scorecard model: every owner's items, owners by title and
 * the ownerless last, items by kind (AGENDA_KINDS) then by where they are
 * declared. `risks` names the KPIs that are at risk (`atRiskOf`); a model
 * built by hand may pass none.
 */
export function buildAgenda(model: AgendaSource, risks: ReadonlyMap<string, AtRisk> = new Map(), memo?: AgendaMemo): Agenda {
  const today = parseDate(model.today);
  const groups = new Map<string | null, AgendaOwner>();
  // Only a joint review names another owner: their titles are looked up then, not indexed on every build.
  let roleTitles: Map<string, string> | undefined;
  const roleTitle = (name: string) => (roleTitles ??= new Map(model.owners.map((o) => [o.name, o.title]))).get(name);
  const groupOf = (owner: OwnerRef | undefined): AgendaOwner => {
    const key = owner?.name ?? null;
    let group = groups.get(key);
    if (!group) {
      group = { owner: key, title: owner ? owner.title : NOBODY_TITLE, ...(owner?.function ? { function: owner.function } : {}), items: [] };
      groups.set(key, group);
    }
    return group;
  };
  const kpis = new Map<string, KpiCard>();
  for (const k of model.kpis) if (!kpis.has(k.name)) kpis.set(k.name, k);

  for (const k of kpis.values()) {
    const risk = risks.get(k.name);
    let kept = memo?.kpiItems.get(k);
    if (!kept || kept.today !== model.today || kept.risk !== risk) {
      kept = { today: model.today, risk, items: kpiItems(k, risk, today) };
      memo?.kpiItems.set(k, kept);
    }
    if (kept.items.length > 0) groupOf(k.owner).items.push(...kept.items);
  }

  for (const s of model.sops) {
    let kept = memo?.sopItems.get(s);
    if (!kept || kept.today !== model.today) {
      kept = { today: model.today, item: sopItem(s, today) };
      memo?.sopItems.set(s, kept);
    }
    if (kept.item) groupOf(s.owner).items.push(kept.item);
  }

  // Each pair is one meeting (LANGUAGE.md section 7): on each owner's agenda once, naming the other.
  for (const j of model.jointReviews) {
    const a = kpis.get(j.kpi);
    const b = kpis.get(j.partner);
    let kept = memo?.reviewItems.get(j);
    if (!kept || kept.a !== a || kept.b !== b) {
      kept = { a, b, items: reviewItems(j, a, b, roleTitle) };
      memo?.reviewItems.set(j, kept);
    }
    for (const item of kept.items) if (item) groupOf((item.subject === j.kpi ? a : b)!.owner).items.push(item);
  }

  const owners = [...groups.values()].filter((g) => g.items.length > 0);
  for (const g of owners) g.items.sort(compareItems);
  // Owners by title, compared in lower case: each title lowered once, not at every comparison.
  const lowered = new Map(owners.map((g) => [g, g.title.toLowerCase()]));
  owners.sort((a, b) => compareOwners(a, b, lowered));
  return { today: model.today, owners };
}

/** The two items of a joint review: one on each owner's agenda, naming the other (LANGUAGE.md section 7). */
function reviewItems(j: JointReview, a: KpiCard | undefined, b: KpiCard | undefined, roleTitle: (name: string) => string | undefined): [AgendaItem | undefined, AgendaItem | undefined] {
  const sides: [KpiCard | undefined, KpiCard | undefined, (typeof j.owners)[number], string][] = [
    [a, b, j.owners[1], j.relation === 'depends-on' ? 'depends on' : 'is depended on by'],
    [b, a, j.owners[0], j.relation === 'depends-on' ? 'is depended on by' : 'depends on'],
  ];
  return sides.map(([mine, theirs, other, relation]) => {
    // In a file's view one side may be outside the view: that side's owner sees it in their own files.
    if (!mine || !theirs) return undefined;
    // The partner KPI's owner is that owner: its title is on the card (the owners of a file's view may not list it).
    const otherTitle = theirs.owner?.name === other.role ? theirs.owner.title : (roleTitle(other.role) ?? other.role);
    const statusOf = (k: KpiCard) => (STATUS_TEXT[k.status] ?? k.status).toLowerCase();
    return {
      kind: 'joint-review',
      subject: mine.name,
      title: mine.title,
      where: mine.where,
      text: `${mine.title} (${statusOf(mine)}) ${relation} ${theirs.title} (${statusOf(theirs)}), owned by ${otherTitle} (${other.function.title}): review the hand-off together.`,
      status: mine.status,
      with: theirs.name,
      withTitle: theirs.title,
      withStatus: theirs.status,
      withOwner: { name: other.role, title: otherTitle, function: other.function },
    };
  }) as [AgendaItem | undefined, AgendaItem | undefined];
}

/** The items a KPI puts on its owner's agenda: its red or amber status, its risk, its stale data. */
function kpiItems(k: KpiCard, risk: AtRisk | undefined, today: number | undefined): AgendaItem[] {
  const items: AgendaItem[] = [];
  const add = (kind: AgendaKind, text: string, extra: Partial<AgendaItem> = {}) => items.push({ kind, subject: k.name, title: k.title, where: k.where, text, status: k.status, ...extra });
  if (k.status === 'red' || k.status === 'amber') add(k.status, k.statusReason);
  if (risk) {
    const value = formatValue(risk.projected.shown, k.unit);
    add('at-risk', `${STATUS_TEXT[k.status] ?? k.status} now, but ${risk.method} reaches ${value}, ${risk.projected.status}, by ${risk.projected.period} (${risk.projected.date}).`, {
      projected: risk.projected,
    });
  }
  // The model is plain data (a model built by hand may say anything): only a real cadence has a period due.
  if (k.stale && k.latest && k.frequency && Object.hasOwn(CADENCE_ORDER, k.frequency) && today !== undefined) {
    const cadence = k.frequency as Cadence;
    const due = cadencePeriodContaining(cadence, lastCompletePeriod(cadence, today).start).text;
    add('stale-data', `The latest actual is for ${k.latest.period}; the ${k.frequency} value for ${due} is due.`, { period: due });
  }
  return items;
}

/** The item an SOP puts on its owner's agenda when its review is overdue or due within the window. */
function sopItem(s: SopCard, today: number | undefined): AgendaItem | undefined {
  const due = s.reviewDue !== undefined ? parseDate(s.reviewDue) : undefined;
  if (due === undefined || today === undefined || due > today + SOP_REVIEW_WINDOW_DAYS) return undefined;
  const overdue = due < today;
  const days = due - today;
  const when = overdue ? `Review overdue since ${s.reviewDue}` : days === 0 ? `Review due today, ${s.reviewDue}` : `Review due ${s.reviewDue}, in ${days} day${days === 1 ? '' : 's'}`;
  const cadence = s.review ? `every ${s.review.every === 1 ? '' : `${s.review.every} `}${s.review.unit}` : '';
  const detail = [cadence, s.reviewed ? `last reviewed ${s.reviewed}` : ''].filter(Boolean).join('; ');
  return { kind: 'sop-review', subject: s.name, title: s.title, where: s.where, text: `${when}${detail ? ` (${detail})` : ''}.`, due: s.reviewDue!, overdue };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Owners by title (case-insensitive, then exactly), then name; the ownerless group last. */
function compareOwners(a: AgendaOwner, b: AgendaOwner, lowered: ReadonlyMap<AgendaOwner, string>): number {
  if ((a.owner === null) !== (b.owner === null)) return a.owner === null ? 1 : -1;
  return compareText(lowered.get(a)!, lowered.get(b)!) || compareText(a.title, b.title) || compareText(a.owner ?? '', b.owner ?? '');
}

/** Items by kind (AGENDA_KINDS), then file, line and character of the subject, then subject and partner. */
function compareItems(a: AgendaItem, b: AgendaItem): number {
  return (
    AGENDA_KINDS.indexOf(a.kind) - AGENDA_KINDS.indexOf(b.kind) ||
    compareText(a.where.file, b.where.file) ||
    a.where.line - b.where.line ||
    a.where.character - b.where.character ||
    compareText(a.subject, b.subject) ||
    compareText(a.with ?? '', b.with ?? '')
  );
}

/**
 * Why a filter cannot be applied to the model, or undefined when it can: the
 * owner must be a role or team of the model, or an owner a declaration names;
 * the function one the model declares or places a role in.
 */
export function agendaFilterProblem(model: Pick<ScorecardModel, 'owners' | 'functions' | 'kpis' | 'sops'>, filter: AgendaFilter): string | undefined {
  if (filter.owner !== undefined) {
    const owners = new Set(model.owners.map((o) => o.name));
    for (const d of [...model.kpis, ...model.sops]) if (d.owner) owners.add(d.owner.name);
    if (!owners.has(filter.owner)) return `unknown owner "${filter.owner}": no role or team of that name${knownList(owners)}`;
  }
  if (filter.function !== undefined) {
    const functions = new Set(model.functions.map((f) => f.name));
    for (const o of model.owners) if (o.function) functions.add(o.function.name);
    if (!functions.has(filter.function)) return `unknown function "${filter.function}": no function of that name${knownList(functions)}`;
  }
  return undefined;
}

function knownList(names: Set<string>): string {
  const sorted = [...names].sort(compareText);
  if (sorted.length === 0) return ' (the workspace declares none)';
  const shown = sorted.slice(0, 10).join(', ');
  return ` (known: ${shown}${sorted.length > 10 ? `, and ${sorted.length - 10} more` : ''})`;
}

/** The agenda of one owner and/or of the owners placed in one function; the ownerless group has no function. */
export function filterAgenda(agenda: Agenda, filter: AgendaFilter): Agenda {
  if (filter.owner === undefined && filter.function === undefined) return agenda;
  const owners = agenda.owners.filter(
    (g) => (filter.owner === undefined || g.owner === filter.owner) && (filter.function === undefined || g.function?.name === filter.function),
  );
  return { today: agenda.today, filter: { ...filter }, owners };
}
