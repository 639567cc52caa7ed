// The weekly review's agenda as `kpi agenda` writes it (docs/agenda.md):
// JSON for bots, Markdown short enough for a chat message or a pull-request
// comment, and one self-contained HTML file.
import type { Agenda, AgendaItem, AgendaOwner } from '../agenda';
import { escapeMarkdown } from './markdown';
import { AGENDA_KIND_WORDS, agendaSections, agendaSize } from './page/agendaView';
import { ICON_STYLE } from './page/icons';
import type { PageAssets } from './page/page';
import { escapeHtml, STATUS_EMOJI } from './text';

export type AgendaFormat = 'json' | 'markdown' | 'html';

/** One item of the JSON: its positions 1-based, as `kpi check` reports them. */
function jsonItem(item: AgendaItem): Record<string, unknown> {
  const { where, ...rest } = item;
  const { kind, subject, title, text, ...details } = rest;
  return {
    kind,
    subject,
    title,
    ...(details.with !== undefined ? { with: details.with } : {}),
    file: where.file,
    line: where.line + 1,
    column: where.character + 1,
    text,
    ...details,
  };
}

function jsonOwner(group: AgendaOwner): Record<string, unknown> {
  return { owner: group.owner, title: group.title, ...(group.function ? { function: group.function } : {}), items: group.items.map(jsonItem) };
}

/** The agenda as pretty JSON (two-space indent), ending with a newline. */
export function renderAgendaJson(agenda: Agenda): string {
  const document = { today: agenda.today, ...(agenda.filter ? { filter: agenda.filter } : {}), owners: agenda.owners.map(jsonOwner) };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** One mark per kind beside its word (never instead of it). */
const KIND_EMOJI: Record<AgendaItem['kind'], string> = {
  red: STATUS_EMOJI.red,
  amber: STATUS_EMOJI.amber,
  'at-risk': '📉',
  'stale-data': '⏳',
  'sop-review': '📋',
  'joint-review': '🤝',
};

function whose(agenda: Agenda): string {
  const parts = [agenda.filter?.owner, agenda.filter?.function && `the ${agenda.filter.function} function`].filter(Boolean);
  return parts.length ? ` for ${parts.map(escapeMarkdown).join(' in ')}` : '';
}

/**
 * The agenda as Markdown: a heading with the date, then per owner a bold line
 * and one bullet per item. Every user-written string is escaped and @mentions
 * are broken (escapeMarkdown), so posting it notifies no one.
 */
export function renderAgendaMarkdown(agenda: Agenda): string {
  const out = [`## Weekly review — ${escapeMarkdown(agenda.today)}${whose(agenda)}`, ''];
  const size = agendaSize(agenda);
  if (size === 0) return `${[...out, 'Nothing on the agenda this week.'].join('\n')}\n`;
  out.push(`${size} item${size === 1 ? '' : 's'} for ${agenda.owners.length} owner${agenda.owners.length === 1 ? '' : 's'}.`, '');
  for (const group of agenda.owners) {
    const fn = group.function ? ` (${escapeMarkdown(group.function.title)})` : '';
    out.push(group.owner === null ? `**${escapeMarkdown(group.title)}** — no owner declared` : `**${escapeMarkdown(group.title)}**${fn}`);
    for (const item of group.items) {
      const word = item.kind === 'sop-review' && item.overdue ? 'SOP review overdue' : AGENDA_KIND_WORDS[item.kind];
      // A joint review's text names both KPIs already.
      const what = item.kind === 'joint-review' ? escapeMarkdown(item.text) : `**${escapeMarkdown(item.title)}**: ${escapeMarkdown(item.text)}`;
      out.push(`- ${KIND_EMOJI[item.kind]} ${word} — ${what}`);
    }
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** The agenda as one self-contained HTML document: the page's stylesheet inlined, no script, nothing remote. */
export function renderAgendaHtml(agenda: Agenda, options: { nonce: string; assets: PageAssets }): string {
  const nonce = escapeHtml(options.nonce);
  const title = `Weekly review — ${agenda.today}`;
  const size = agendaSize(agenda);
  const filter = agenda.filter ? [agenda.filter.owner, agenda.filter.function].filter(Boolean).join(' · ') : '';
  const style = /<\/style/i.test(options.assets.style) ? '' : options.assets.style + ICON_STYLE;
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-${nonce}'">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">` +
    `<title>${escapeHtml(title)}</title><style nonce="${nonce}">${style}</style></head>` +
    `<body class="mode-export agenda-export"><main>` +
    `<div class="title-row"><h1>Weekly review</h1>${filter ? `<span class="scope mono">${escapeHtml(filter)}</span>` : ''}` +
    `<span class="asof">as of <time datetime="${escapeHtml(agenda.today)}">${escapeHtml(agenda.today)}</time></span></div>` +
    (size ? `<p class="lead">${size} item${size === 1 ? '' : 's'} for ${agenda.owners.length} owner${agenda.owners.length === 1 ? '' : 's'}.</p>${agendaSections(agenda)}` : '<p class="empty">Nothing on the agenda this week.</p>') +
    `</main></body></html>\n`
  );
}

/** The agenda in one of `kpi agenda`'s formats. */
export function renderAgenda(format: AgendaFormat, agenda: Agenda, options: { nonce: string; assets: PageAssets }): string {
  switch (format) {
    case 'json':
      return renderAgendaJson(agenda);
    case 'markdown':
      return renderAgendaMarkdown(agenda);
    case 'html':
      return renderAgendaHtml(agenda, options);
  }
}
