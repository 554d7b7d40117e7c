/** `medvlm-bench list [--json]`: every benchmark with its version, split, protocols, languages and sources. */
import { BENCHMARKS } from '../core/benchmarks/index.js';
import type { BenchmarkDef } from '../core/benchmarks/define.js';
import type { SourceDecl } from '../core/benchmarks/types.js';
import type { CliDeps } from './deps.js';
import { parseFlags } from './flags.js';

function describeSource(s: SourceDecl): string {
  if (s.kind === 'hf') return `Hugging Face ${s.repo}@${s.revision.length === 40 ? s.revision.slice(0, 12) : s.revision} (${s.files.join(', ')})${s.note ? ` — ${s.note}` : ''}`;
  if (s.kind === 'local') return `--data-dir folder ${s.folderNames.slice(0, 3).join(' | ')}: ${s.layouts.join('; ')}`;
  return `--manifest FILE${s.note ? ` — ${s.note}` : ''}`;
}

export function listJson(defs: readonly BenchmarkDef[] = BENCHMARKS) {
  return defs.map((d) => ({
    id: d.id, version: d.version, title: d.title, description: d.description, license: d.license, split: d.split ?? null,
    protocols: d.protocols, languages: d.languages ?? null, defaultLanguage: d.defaultLanguage ?? null,
    groupBy: d.groupBy, extraction: d.scorer.name, sources: d.sources,
  }));
}

function humanList(defs: readonly BenchmarkDef[]): string {
  return defs.map((d) => [
    `${d.id} v${d.version} — ${d.title} [${d.license}]`,
    `  ${d.description}`,
    `  protocols: ${d.protocols.join(', ')}${d.languages ? ` · languages: ${d.languages.join(', ')} (default ${d.defaultLanguage})` : ''} · groups: ${d.groupBy.join(', ')} · extraction: ${d.scorer.name}`,
    ...d.sources.map((s) => `  source: ${describeSource(s)}`),
  ].join('\n')).join('\n\n');
}

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const flags = parseFlags('list', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    deps.out('usage: medvlm-bench list [--json]');
    return 0;
  }
  deps.out(flags.json === true ? JSON.stringify(listJson(), null, 2) : humanList(BENCHMARKS));
  return 0;
}
