// New declarations written as text, laid out exactly as the formatter lays
// them out (docs/formatting.md): two spaces per level, one property per line,
// the values of the plain properties aligned one space after the longest
// keyword. Snippets, the "create" quick fixes and the New KPI command write
// through here, so what they insert is already a fixed point of the formatter
// (test/first-five.test.ts checks it). It imports nothing that parses: the
// VS Code client bundles it.

/** One level of indentation, as the formatter writes it. */
export const INDENT = '  ';

/**
 * A property line of a block: `[keyword, value]` is aligned with the others;
 * a `nested` line (a `steps { … }` checklist or a process `step`) is written
 * as given and does not take part in the alignment, as in the formatter.
 */
export type BlockLine = readonly [keyword: string, value: string] | { nested: string };

/** `header {`, the lines one level in, `}`; an empty block is `header {}`, as the formatter writes it. */
export function blockText(header: string, lines: readonly BlockLine[]): string {
  if (lines.length === 0) return `${header} {}`;
  let width = 0;
  for (const line of lines) if (Array.isArray(line)) width = Math.max(width, line[0].length);
  const body = lines.map((line) => {
    if (!Array.isArray(line)) return (line as { nested: string }).nested.replace(/^/gm, INDENT);
    const [keyword, value] = line as readonly [string, string];
    return `${INDENT}${keyword.padEnd(width)} ${value}`;
  });
  return [`${header} {`, ...body, '}'].join('\n');
}

/** A `"…"` literal of `text` (quotes and backslashes escaped, line breaks as spaces). */
export function stringLiteral(text: string): string {
  return `"${text.replace(/[\r\n]+/g, ' ').replace(/["\\]/g, '\\$&')}"`;
}

/** `base`, or `base2`, `base3`… : the first that `taken` does not hold. */
export function uniqueName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}

/**
 * A declaration name made of the words of a title (`"Lead log time"` →
 * `LeadLogTime`); `fallback` when the title has no letter or digit to use.
 */
export function nameFromTitle(title: string, fallback: string): string {
  const words = title.normalize('NFKD').replace(/[^A-Za-z0-9 _-]/g, '').split(/[\s_-]+/).filter(Boolean);
  let name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (/^\d/.test(name)) name = `K${name}`;
  return name || fallback;
}
