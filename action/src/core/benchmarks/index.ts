/**
 * The registry: one definition per catalog entry (schemas/catalog.ts), in the catalog's order (ids are stable
 * forever). The Record type makes a catalog entry without a definition a type error.
 */
import { BENCHMARK_IDS, type BenchmarkId } from '../../../../schemas/catalog.js';
import { UserError } from '../errors.js';
import custom from './custom.js';
import type { BenchmarkDef } from './define.js';
import medframeqa from './medframeqa.js';
import medxpertqaMm from './medxpertqa-mm.js';
import mmmuMed from './mmmu-med.js';
import omnimedvqa from './omnimedvqa.js';
import pathvqa from './pathvqa.js';
import pmcVqa from './pmc-vqa.js';
import slake from './slake.js';
import vqaRad from './vqa-rad.js';

const DEFINITIONS: Record<BenchmarkId, BenchmarkDef> = {
  'vqa-rad': vqaRad, slake, pathvqa, 'pmc-vqa': pmcVqa, omnimedvqa, 'mmmu-med': mmmuMed, 'medxpertqa-mm': medxpertqaMm,
  medframeqa, custom,
};

export const BENCHMARKS: readonly BenchmarkDef[] = BENCHMARK_IDS.map((id) => {
  const def = DEFINITIONS[id];
  // a definition filed under another id would score one benchmark under the other's name
  if (def.id !== id) throw new Error(`benchmark registry: the definition registered as ${id} declares id ${def.id}`);
  return def;
});

export function getBenchmark(id: string): BenchmarkDef {
  const def = BENCHMARKS.find((b) => b.id === id);
  if (!def) throw new UserError(`unknown benchmark '${id}'; valid ids: ${BENCHMARKS.map((b) => b.id).join(', ')}`, 2);
  return def;
}
