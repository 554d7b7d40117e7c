/**
 * Flag parsing for the runner's commands (node:util parseArgs, strict), with errors that name the flag and the fix.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export function parseFlags(
  command: string,
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals = false,
): FlagValues & { _: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals });
    return { ...(values as FlagValues), _: positionals };
  } catch (e) {
    throw new UserError(`${(e as Error).message}. Run \`medvlm-bench ${command} --help\` for the options.`, 2);
  }
}

export function intFlag(command: string, flags: FlagValues, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  return numberFlag(command, flags, name, fallback, min, max, true);
}

export function numberFlag(
  command: string,
  flags: FlagValues,
  name: string,
  fallback: number,
  min = -Infinity,
  max = Infinity,
  integer = false,
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new UserError(`--${name} '${String(raw)}' must be ${integer ? 'an integer' : 'a number'} ${range}`, 2);
  }
  return v;
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}
