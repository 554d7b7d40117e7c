/**
 * The benchmark catalog: every benchmark's stable id, display title and version, in the fixed order of the suite.
 * The wire enum (BenchmarkId), the action's registry (action/src/core/benchmarks/index.ts) and the worker's
 * titles all derive from it. Adding a benchmark: an entry here and its definition file (the registry's type then
 * asks for the definition). A change that can move scores bumps `version` here, with a line in the definition's
 * changelog. Imports only zod.
 */
import { z } from 'zod';

export interface CatalogEntry {
  /** shown in reports, pages and badges */
  readonly title: string;
  /** bump when anything that can move scores changes (data, prompt, parsing) */
  readonly version: number;
}

export const CATALOG = {
  'vqa-rad': { title: 'VQA-RAD', version: 2 },
  slake: { title: 'SLAKE', version: 2 },
  pathvqa: { title: 'PathVQA', version: 1 },
  'pmc-vqa': { title: 'PMC-VQA', version: 1 },
  omnimedvqa: { title: 'OmniMedVQA', version: 2 },
  'mmmu-med': { title: 'MMMU Health & Medicine', version: 1 },
  'medxpertqa-mm': { title: 'MedXpertQA-MM', version: 1 },
  medframeqa: { title: 'MedFrameQA', version: 1 },
  custom: { title: 'Custom manifest', version: 1 },
} as const satisfies Record<string, CatalogEntry>;

type Id = keyof typeof CATALOG;
export const BENCHMARK_IDS = Object.keys(CATALOG) as [Id, ...Id[]];
export const BenchmarkId = z.enum(BENCHMARK_IDS);
export type BenchmarkId = z.infer<typeof BenchmarkId>;

/** Display title of a benchmark id; the id itself for an id the catalog does not know. */
export function benchmarkTitle(id: string): string {
  return Object.hasOwn(CATALOG, id) ? CATALOG[id as BenchmarkId].title : id;
}
