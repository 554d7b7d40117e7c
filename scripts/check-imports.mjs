#!/usr/bin/env node
/**
 * `npm run check:cycles`: the import graph of action/src, worker/src and schemas (dpdm, type-only imports included,
 * since a type cycle is still two modules that cannot be read apart) must have
 *   1. no cycle between files;
 *   2. arrows pointing down the layers: cli & github-action → runner → core → schemas; worker → schemas;
 *      schemas imports nothing but zod (and itself);
 *   3. no import back up between folders named in LOWER_THAN (e.g. gates return structured results, report formats them).
 * Prints every violation and exits 1 when there is one.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree, uniqueCirculars } from 'dpdm';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = ['action/src/**/*.ts', 'worker/src/**/*.ts', 'schemas/**/*.ts'];

/** Layer of a file: higher may import lower or equal, never higher. Sibling layers of equal rank may not mix. */
const LAYERS = [
  { prefix: 'schemas/', name: 'schemas', rank: 0 },
  { prefix: 'action/src/core/', name: 'core', rank: 1 },
  { prefix: 'action/src/runner/', name: 'runner', rank: 2 },
  { prefix: 'action/src/cli/', name: 'cli', rank: 4 }, // the CLI may use the Action's parts (demo gates, upload client)
  { prefix: 'action/src/github-action/', name: 'github-action', rank: 3 },
  { prefix: 'worker/src/', name: 'worker', rank: 1 },
];
/** [lower, higher]: files under `lower` must not import files under `higher`. */
const LOWER_THAN = [
  ['action/src/core/data/', 'action/src/core/benchmarks/'],
  ['action/src/core/data/', 'action/src/core/scoring/'],
  ['action/src/github-action/gates/', 'action/src/github-action/report/'],
  // suite.ts glues benchmarks, data and scoring together: none of them may reach back up to it
  ['action/src/core/benchmarks/', 'action/src/core/suite.ts'],
  ['action/src/core/data/', 'action/src/core/suite.ts'],
  ['action/src/core/scoring/', 'action/src/core/suite.ts'],
];
const SCHEMAS_MAY_IMPORT = new Set(['zod']);

const layerOf = (file) => LAYERS.find((l) => file.startsWith(l.prefix)) ?? null;

/** Which layers a layer may import besides itself. */
function mayImport(from, to) {
  if (from.name === to.name) return true;
  if (from.name === 'worker') return to.name === 'schemas';
  if (to.name === 'worker') return false;
  return to.rank < from.rank;
}

async function main() {
  const tree = await parseDependencyTree(ENTRIES, { context: ROOT, cwd: ROOT, transform: false, skipDynamicImports: false });
  const rel = (f) => path.relative(ROOT, path.resolve(ROOT, f)).split(path.sep).join('/');
  const problems = [];
  for (const [file, deps] of Object.entries(tree)) {
    const from = rel(file);
    const fromLayer = layerOf(from);
    for (const d of deps ?? []) {
      if (d.id === null) {
        if (fromLayer?.name === 'schemas' && !d.request.startsWith('.') && !SCHEMAS_MAY_IMPORT.has(d.request)) {
          problems.push(`${from} imports '${d.request}': schemas/ imports only zod`);
        }
        continue;
      }
      const to = rel(d.id);
      if (to.includes('node_modules/')) {
        if (fromLayer?.name === 'schemas' && !SCHEMAS_MAY_IMPORT.has(d.request)) problems.push(`${from} imports '${d.request}': schemas/ imports only zod`);
        continue;
      }
      const toLayer = layerOf(to);
      if (fromLayer && toLayer && !mayImport(fromLayer, toLayer)) {
        problems.push(`${from} imports ${to}: ${fromLayer.name} may not import ${toLayer.name} (arrows point down)`);
      }
      for (const [lower, higher] of LOWER_THAN) {
        if (from.startsWith(lower) && to.startsWith(higher)) problems.push(`${from} imports ${to}: ${lower} may not import ${higher}`);
      }
    }
  }
  for (const cycle of uniqueCirculars(parseCircular(tree)).map((c) => c.map(rel))) {
    problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
  }
  if (problems.length > 0) {
    console.error(`check:cycles: ${problems.length} problem(s) in the import graph of ${ENTRIES.join(', ')}:`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`check:cycles: ${Object.keys(tree).filter((f) => !f.includes('node_modules')).length} files, no cycle, every import points down`);
}

await main();
