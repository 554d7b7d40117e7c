/** `medvlm-bench merge DIR… -o DIR`: merge shard result folders into one result (see docs/runner.md). */
import { UserError } from '../core/errors.js';
import { parseFlags, stringFlag } from './flags.js';
import { mergeResultDirs } from '../runner/merge.js';
import type { CliDeps } from './deps.js';

const HELP = `usage: medvlm-bench merge SHARD_DIR… -o OUT_DIR

  Merges the results.json of every shard of one run (medvlm-bench run --shard I/N) into OUT_DIR/results.json.
  Refuses shards that differ in model, decoding, protocol, judge, commit, suite or benchmark fingerprints, naming
  the difference, and refuses missing or duplicate shards. Counts and metrics are recomputed from the united
  per-item outcomes (docs/results-schema.md, "Derived figures"); the benchmark data is not needed.`;

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('merge', argv, {
    out: { type: 'string', short: 'o' },
    help: { type: 'boolean' },
  }, true);
  if (flags.help) {
    deps.out(HELP);
    return 0;
  }
  const out = stringFlag(flags, 'out');
  if (!out) throw new UserError('-o OUT_DIR is required', 2);
  if (flags._.length === 0) throw new UserError('give the shard folders to merge (each holding a results.json)', 2);
  const merged = await mergeResultDirs(flags._, out);
  const lines = merged.benchmarks.map((b) => {
    const acc = b.metrics.find((m) => m.name === 'accuracy');
    return `  ${b.id}: ${b.counts.scored} scored${acc ? `, accuracy ${(100 * acc.value).toFixed(1)}% (n=${acc.n})` : ''}`;
  });
  deps.out([`merged ${flags._.length} shard(s) into ${out}/results.json`, ...lines].join('\n'));
  return 0;
}
