// Whether the CLI's text report gets terminal colours. The conventions users
// set once in their shell or CI: NO_COLOR (no-color.org: any non-empty value
// turns colour off) and FORCE_COLOR (force-color.org and Node.js: colour even
// when the output is not a terminal; `0` or `false` turns it off). Without
// either, colour goes only to a terminal that is not `TERM=dumb`.

/** The environment variables the decision reads. */
export interface ColourEnvironment {
  NO_COLOR?: string | undefined;
  FORCE_COLOR?: string | undefined;
  TERM?: string | undefined;
}

/**
 * Decides colour for one output stream. FORCE_COLOR is the more specific
 * request and wins over NO_COLOR, as in Node.js itself (a tool that sets
 * FORCE_COLOR for its child processes wants their colours through its pipe).
 * An empty value counts as unset for both.
 */
export function wantsColour(env: ColourEnvironment, isTerminal: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTerminal && env.TERM !== 'dumb';
}

/** SGR codes: `paint(code, text)` wraps text in one and a reset, or returns it unchanged without colour. */
export type Paint = (code: string, text: string) => string;

export function painter(colour: boolean): Paint {
  return colour ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}
