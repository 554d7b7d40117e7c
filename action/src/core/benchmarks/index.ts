/** The explicit registry of benchmarks, in a fixed order (ids are stable forever). */
import { UserError } from '../errors.js';
import custom from './custom.js';
import medframeqa from './medframeqa.js';
import medxpertqaMm from './medxpertqa-mm.js';
import mmmuMed from './mmmu-med.js';
import omnimedvqa from './omnimedvqa.js';
import pathvqa from './pathvqa.js';
import pmcVqa from './pmc-vqa.js';
import slake from './slake.js';
import type { BenchmarkDef } from './types.js';
import vqaRad from './vqa-rad.js';

export const BENCHMARKS: readonly BenchmarkDef[] = [vqaRad, slake, pathvqa, pmcVqa, omnimedvqa, mmmuMed, medxpertqaMm, medframeqa, custom];

export function getBenchmark(id: string): BenchmarkDef {
  const def = BENCHMARKS.find((b) => b.id === id);
  if (!def) throw new UserError(`unknown benchmark '${id}'; valid ids: ${BENCHMARKS.map((b) => b.id).join(', ')}`, 2);
  return def;
}
