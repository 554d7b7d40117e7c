/**
 * One flag-error style across commands (commands/flags.ts): unknown options name the nearest flag and the help
 * command, negative numbers are range errors (not "ambiguous"), enum values name the allowed ones; all exit 2.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import { editDistance, nearestFlag } from '../../action/src/cli/flags.js';
import { tempDir } from '../core/data/fixtures.js';

async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const d: CliDeps = { out: () => {}, err: (t) => err.push(t), fetch: globalThis.fetch, now: () => 0, env: {}, cwd: process.cwd(), version: '0', isTTY: false };
  const code = await main(argv, d);
  return { code, err: err.join('\n') };
}

describe('unknown options: same message in every command', () => {
  it.each([
    ['inspect', ['custom', '--protcol', 'full'], '--protocol'],
    ['score', ['custom', '--predictons', 'x.jsonl'], '--predictions'],
    ['list', ['--jsn'], '--json'],
    ['merge', ['a', '--ot', 'x'], '--out'],
    ['run', ['--benchmark', 'vqa-rad'], '--benchmarks'],
    ['serve-baseline', ['--prot', '9'], '--port'],
    ['upload', ['r.json', '--aggregator', 'http://127.0.0.1:1'], '--aggregator-url'],
  ])('%s: a typo suggests the nearest flag and --help, exit 2', async (cmd, args, near) => {
    const typo = args.find((a) => a.startsWith('--'))!;
    const { code, err } = await cli([cmd, ...args]);
    expect(code).toBe(2);
    expect(err).toBe(`medvlm-bench ${cmd}: unknown option '${typo}'. Did you mean '${near}'? Run \`medvlm-bench ${cmd} --help\` for the options.`);
  });

  it('a flag far from every known one gets no suggestion', async () => {
    const { code, err } = await cli(['inspect', 'custom', '--zzzzzzzz']);
    expect(code).toBe(2);
    expect(err).toBe("medvlm-bench inspect: unknown option '--zzzzzzzz'. Run `medvlm-bench inspect --help` for the options.");
  });

  it('a missing value names the flag', async () => {
    const { code, err } = await cli(['score', 'custom', '--predictions']);
    expect(code).toBe(2);
    expect(err).toMatch(/option '--predictions' needs a value\. Run `medvlm-bench score --help`/);
  });
});

describe('values', () => {
  it.each([
    [['run', '--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--limit', '-1'], '--limit must be a positive integer, got \'-1\''],
    [['run', '--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--limit', '0'], '--limit must be a positive integer, got \'0\''],
    [['serve-baseline', '--port', '-5'], "--port '-5' must be an integer between 0 and 65535"],
    [['run', '--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--protocol', 'x'], "--protocol 'x' must be one of: paper, closed, full"],
    [['inspect', 'custom', '--protocol', 'x'], "--protocol 'x' must be one of: paper, closed, full"],
    [['score', 'custom', '--predictions', 'p.jsonl', '--protocol', 'x'], "--protocol 'x' must be one of: paper, closed, full"],
  ])('%j → exit 2: %s', async (argv, message) => {
    const { code, err } = await cli(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('--language fr for slake is a usage error naming the languages (exit 2)', async () => {
    const { code, err } = await cli(['inspect', 'slake', '--language', 'fr', '--data-dir', tempDir()]);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown language 'fr' \(--language\); must be one of: en, zh, all/);
  });
});

describe('suggestion', () => {
  it('edit distance and the nearest flag', () => {
    expect(editDistance('protcol', 'protocol')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    const opts = { protocol: { type: 'string' }, port: { type: 'string' } } as const;
    expect(nearestFlag('--prt', opts)).toBe('--port');
    expect(nearestFlag('--protocl=x', opts)).toBe('--protocol');
    expect(nearestFlag('--verbose', opts)).toBeNull();
    expect(nearestFlag('--proto', opts)).toBe('--protocol'); // an abbreviation, though 3 edits away
  });
});
