// `.kpirc.json` (LANGUAGE.md section 5): rule severities and options.
// A malformed file never stops analysis: what can be read applies, the rest
// falls back to the defaults, and each problem becomes a `bad-config` message.
// The rule codes are the analysis's rule set, handed in: nothing here knows
// which rules exist.
import type { Severity, SeveritySetting } from './diagnostic';

/** The rule codes a configuration may name, with their default severities. */
export type KnownCodes = ReadonlyMap<string, { readonly severity: Severity }>;

export interface Config {
  /** Severity overrides by code; 'off' turns a rule off. */
  severities: Map<string, SeveritySetting>;
  /** `crowded-perspective` option `max`. */
  crowdedMax: number;
}

export interface ConfigResult {
  config: Config;
  /** One message per problem; all are reported as `bad-config` on line 1 of the file. */
  problems: string[];
}

export const DEFAULT_CROWDED_MAX = 3;

export function defaultConfig(): Config {
  return { severities: new Map(), crowdedMax: DEFAULT_CROWDED_MAX };
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];

export function parseConfig(text: string | undefined, known: KnownCodes): ConfigResult {
  const config = defaultConfig();
  const problems: string[] = [];
  if (text === undefined) return { config, problems };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    problems.push(`.kpirc.json is not valid JSON (${jsonErrorText(text, error)}); the default rule settings apply.`);
    return { config, problems };
  }
  if (!isObject(json)) {
    problems.push('.kpirc.json must be a JSON object such as { "rules": { … } }; the default rule settings apply.');
    return { config, problems };
  }
  // "$schema" names the schema an editor validates the file with (syntaxes/kpirc.schema.json allows it).
  for (const key of Object.keys(json)) {
    if (key !== 'rules' && key !== '$schema') problems.push(`.kpirc.json has an unknown key "${key}"; only "rules" is read.`);
  }
  const rules = json['rules'];
  if (rules === undefined) return { config, problems };
  if (!isObject(rules)) {
    problems.push('"rules" in .kpirc.json must be an object mapping rule codes to severities.');
    return { config, problems };
  }
  for (const [code, value] of Object.entries(rules)) {
    // The configuration's own problems cannot be turned off from inside it.
    if (!known.has(code) || code === 'bad-config') {
      problems.push(`.kpirc.json names an unknown rule "${code}"; see docs/rules for the codes.`);
      continue;
    }
    const [severity, options] = Array.isArray(value) ? [value[0], value[1]] : [value, undefined];
    if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) {
      const given = severity === undefined ? 'no severity' : `the severity ${JSON.stringify(severity)}`;
      problems.push(`.kpirc.json gives rule "${code}" ${given}; use "error", "warning", "information", "hint" or "off".`);
      continue;
    }
    config.severities.set(code, severity as SeveritySetting);
    if (options !== undefined) {
      if (code === 'crowded-perspective' && isObject(options)) {
        const max = options['max'];
        if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 0)) {
          problems.push(`.kpirc.json: "max" for "crowded-perspective" must be a whole number of 0 or more, not ${JSON.stringify(max)}.`);
        } else if (typeof max === 'number') {
          config.crowdedMax = max;
        }
        for (const key of Object.keys(options)) if (key !== 'max') problems.push(`.kpirc.json: "crowded-perspective" has no option "${key}".`);
      } else {
        problems.push(`.kpirc.json: rule "${code}" takes no options.`);
      }
    }
  }
  return { config, problems };
}

/** A rule's severity: as configured, else its default. */
export function effectiveSeverity(config: Config, known: KnownCodes, code: string): SeveritySetting {
  return config.severities.get(code) ?? known.get(code)?.severity ?? 'error';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What JSON.parse said, on one line and with a line and column instead of a
 * character offset: its wording varies with the Node version and may quote the
 * text, line breaks included.
 */
function jsonErrorText(text: string, error: unknown): string {
  const message = String((error as Error).message ?? error).replace(/\s+/g, ' ').trim();
  const at = /\bposition (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /\bend of JSON input\b/i.test(message) ? text.length : undefined;
  const reason = message.replace(/,? "[^"]*" is not valid JSON$/, '').replace(/ (in JSON )?at position \d+.*$/, '').replace(/\(line \d+ column \d+\)/, '').trim();
  if (offset === undefined) return reason;
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length;
  const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return `${reason}, at line ${line}, column ${column}`;
}
