/**
 * defineBenchmark: turns a declarative benchmark spec (folder names, accepted layouts, Hugging Face source,
 * languages) into a BenchmarkDef whose `load` finds the data in --data-dir or the HF cache, picks the first
 * layout whose files are present, and applies the language filter. Benchmark files only declare.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { fetchHfFiles, hfSettings, type HfFiles } from '../data/hf.js';
import { globFiles, matchingSubfolders } from '../data/local.js';
import { CATALOG, type BenchmarkId } from '../../../../schemas/catalog.js';
import type { Scorer } from '../scoring/scorer.js';
import type { GroupKey, LoadOptions, Sample, SourceDecl } from './types.js';

/** A benchmark as the suite uses it. id, title and version come from the catalog (schemas/catalog.ts). */
export interface BenchmarkDef {
  id: BenchmarkId;
  /** the catalog's version: bumped when anything that can move scores changes (data, prompt, parsing) */
  version: number;
  /** the catalog's title */
  title: string;
  /** one-paragraph description incl. split and counts */
  description: string;
  license: string;
  sources: SourceDecl[];
  /** protocols this benchmark supports */
  protocols: Array<'paper' | 'closed' | 'full'>;
  languages?: string[];
  defaultLanguage?: string;
  groupBy: GroupKey[];
  /** how responses are scored and what that is recorded as (scoring/scorer.ts: CHAIN_SCORER, MMMU_SCORER) */
  scorer: Scorer;
  /** how to obtain the data when it is missing (shown in errors and by `list`) */
  downloadHint?: string;
  /** the split evaluated, e.g. "test" */
  split?: string;
  /** canonical order = the order yielded */
  load(opts: LoadOptions): AsyncIterable<Sample>;
}

/** What a definition file declares itself: everything but what the catalog holds. */
export type DefinitionFields = Omit<BenchmarkDef, 'title' | 'version'>;

/** A definition completed with its catalog entry. */
export function catalogued(fields: DefinitionFields): BenchmarkDef {
  const { title, version } = CATALOG[fields.id];
  return { ...fields, title, version };
}

export interface Layout {
  /** e.g. "original release" */
  name: string;
  /** files/folders that must all exist (relative; `*` allowed in the last segment) */
  requires: string[];
  load(dir: string, opts: LoadOptions): AsyncIterable<Sample>;
}

export interface BenchmarkSpec extends Omit<DefinitionFields, 'sources' | 'load'> {
  /** sub-folder names accepted under --data-dir (case, '-', '_', '.' and spaces ignored) */
  folderNames: string[];
  /** accepted layouts, most preferred first */
  layouts: Layout[];
  /** Hugging Face source; its snapshot is read with the first matching layout */
  hf?: HfFiles & { note?: string };
  downloadHint: string;
}

function describeLayout(l: Layout): string {
  return `${l.name}: ${l.requires.map((r) => `\`${r}\``).join(' + ')}`;
}

function layoutIn(dir: string, layouts: Layout[]): Layout | null {
  return layouts.find((l) => l.requires.every((r) => globFiles(dir, r).length > 0)) ?? null;
}

/** Finds the benchmark folder under dataDir (or dataDir itself) holding one of the layouts. */
export function findLocalData(spec: Pick<BenchmarkSpec, 'id' | 'folderNames' | 'layouts' | 'downloadHint'>, dataDir: string): { dir: string; layout: Layout } {
  const root = path.resolve(dataDir);
  if (!existsSync(root)) {
    throw new UserError([
      `${spec.id}: data directory ${root} does not exist (from --data-dir or MEDVLM_DATA_DIR). Expected it to hold a sub-folder named ${spec.folderNames.join(', ')} (case, '-' and '_' ignored) containing one of:`,
      ...layoutHelp(spec),
    ].join('\n'));
  }
  const folders = matchingSubfolders(root, spec.folderNames);
  for (const dir of [...folders, root]) {
    const layout = layoutIn(dir, spec.layouts);
    if (layout) return { dir, layout };
  }
  const found = folders.length ? ` Found ${folders.join(', ')}, but it holds none of the layouts below.` : '';
  throw new UserError([
    `${spec.id}: no data found in ${root}. Looked for a sub-folder named ${spec.folderNames.join(', ')} (case, '-' and '_' ignored), or ${root} itself, containing one of:${found}`,
    ...layoutHelp(spec),
  ].join('\n'));
}

/** The accepted layouts, one per line, and where to get the data: the tail of every missing-data error. */
function layoutHelp(spec: Pick<BenchmarkSpec, 'layouts' | 'downloadHint'>): string[] {
  return [...spec.layouts.map((l) => `  - ${describeLayout(l)}`), `How to get it: ${spec.downloadHint}`];
}

async function* filterLanguage(samples: AsyncIterable<Sample>, language: string | null): AsyncGenerator<Sample> {
  for await (const s of samples) if (!language || language === 'all' || s.metadata.language === language) yield s;
}

/** The language to load: validated against the declared ones; null for benchmarks without languages. */
export function resolveLanguage(def: Pick<BenchmarkDef, 'id' | 'languages' | 'defaultLanguage'>, requested: string | undefined): string | null {
  if (!def.languages?.length) {
    if (requested) throw new UserError(`${def.id} has no language variants; --language applies only to benchmarks that declare languages (slake)`, 2);
    return null;
  }
  const lang = requested ?? def.defaultLanguage ?? def.languages[0]!;
  if (!def.languages.includes(lang)) throw new UserError(`${def.id}: unknown language '${lang}' (--language); must be one of: ${def.languages.join(', ')}`, 2);
  return lang;
}

export function defineBenchmark(spec: BenchmarkSpec): BenchmarkDef {
  const sources: SourceDecl[] = [];
  if (spec.hf) sources.push({ kind: 'hf', repo: spec.hf.repo, revision: spec.hf.revision, files: spec.hf.files, note: spec.hf.note });
  sources.push({ kind: 'local', folderNames: spec.folderNames, layouts: spec.layouts.map(describeLayout) });
  const { folderNames: _f, layouts: _l, hf: _h, ...rest } = spec;
  return catalogued({
    ...rest,
    sources,
    async *load(opts: LoadOptions) {
      const language = resolveLanguage(spec, opts.language);
      const env = opts.env ?? process.env;
      const dataDir = opts.dataDir ?? env.MEDVLM_DATA_DIR;
      let found: { dir: string; layout: Layout };
      if (dataDir) {
        found = findLocalData(spec, dataDir);
      } else if (spec.hf) {
        const snapshot = await fetchHfFiles(spec.hf, hfSettings(opts.hf, env), opts.log);
        const layout = layoutIn(snapshot, spec.layouts);
        if (!layout) throw new UserError(`${spec.id}: the Hugging Face snapshot ${snapshot} holds none of the accepted layouts`);
        found = { dir: snapshot, layout };
      } else {
        throw new UserError(`${spec.id}: no data source. Pass --data-dir DIR. ${spec.downloadHint}`);
      }
      opts.log?.(`${spec.id}: reading ${found.dir} (${found.layout.name})`);
      yield* filterLanguage(found.layout.load(found.dir, opts), language);
    },
  });
}
