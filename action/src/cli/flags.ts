/**
 * Flag parsing shared by every `medvlm-bench` command (node:util parseArgs, strict), so a typo, a missing value or
 * a bad number reads the same everywhere: one line naming the flag (with the nearest valid flag for a typo), then
 * "Run `medvlm-bench <cmd> --help` for the options.", exit 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';

export type FlagValues = Record<string, string | boolean | string[] | undefined>;
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** exit code for usage errors (bad flags or values) */
export const USAGE_EXIT = 2;

export function parseFlags(command: string, argv: string[], options: FlagOptions, allowPositionals = false): FlagValues & { _: string[] } {
  try {
    const args = attachNegativeNumbers(argv, options);
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals });
    return { ...(values as FlagValues), _: positionals };
  } catch (e) {
    throw usageError(command, describeParseError(e as Error & { code?: string }, options));
  }
}

export function usageError(command: string, message: string): UserError {
  const stop = /[?.]$/.test(message) ? '' : '.';
  return new UserError(`${message}${stop} Run \`medvlm-bench ${command} --help\` for the options.`, USAGE_EXIT);
}

/**
 * parseArgs refuses `--limit -1` as "ambiguous" (the value looks like a flag); a number is never a flag here, so
 * rewrite it to `--limit=-1` and let the range check say what is wrong with it.
 */
function attachNegativeNumbers(argv: string[], options: FlagOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return [...out, ...argv.slice(i)]; // everything after `--` is positional, untouched
    const next = argv[i + 1];
    if (a.startsWith('--') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

function describeParseError(e: Error & { code?: string }, options: FlagOptions): string {
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = nearestFlag(quoted, options);
    return `unknown option '${quoted}'${near ? `. Did you mean '${near}'?` : ''}`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = quoted.split(' ')[0] ?? quoted;
    return /argument missing|ambiguous/.test(e.message) ? `option '${flag}' needs a value` : `option '${flag}' takes no value`;
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${quoted}'`;
  return e.message.replace(/\.+$/, '');
}

/**
 * The declared flag a typo most likely meant: one it abbreviates (`--aggregator` → `--aggregator-url`), else the
 * closest by Levenshtein distance if within 1/3 of its length (at least 2); null when nothing is close.
 */
export function nearestFlag(typed: string, options: FlagOptions): string | null {
  const name = typed.replace(/^-+/, '').split('=')[0]!;
  const extended = Object.keys(options).filter((f) => name.length >= 3 && f.startsWith(name));
  if (extended.length === 1) return `--${extended[0]}`;
  let best: { flag: string; d: number } | null = null;
  for (const flag of Object.keys(options)) {
    const d = editDistance(name, flag);
    if (!best || d < best.d) best = { flag, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? `--${best.flag}` : null;
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function intFlag(command: string, flags: FlagValues, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  return numberFlag(command, flags, name, fallback, min, max, true);
}

export function numberFlag(
  command: string, flags: FlagValues, name: string, fallback: number, min = -Infinity, max = Infinity, integer = false,
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    if (integer && min === 1 && max === Infinity) throw new UserError(`--${name} must be a positive integer, got '${String(raw)}'`, USAGE_EXIT);
    const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new UserError(`--${name} '${String(raw)}' must be ${integer ? 'an integer' : 'a number'} ${range}`, USAGE_EXIT);
  }
  return v;
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A flag with a fixed set of values: anything else is a usage error naming them. */
export function enumFlag<T extends string>(flags: FlagValues, name: string, allowed: readonly T[], fallback: T): T {
  const v = stringFlag(flags, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UserError(`--${name} '${v}' must be one of: ${allowed.join(', ')}`, USAGE_EXIT);
  }
  return v as T;
}
