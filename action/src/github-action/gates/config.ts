/**
 * Gates configuration: inline YAML/JSON (the `gates` input), a file path, or `.github/medvlm-bench.yml` when present.
 * Validated with zod before any GPU work; every problem is reported with the file, line and column it comes from,
 * using the `yaml` package's node ranges (JSON is valid YAML, so one parser covers both).
 */
import { isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { PAIRED_METRICS } from '../../../../schemas/paired-compare.js';
import { BENCHMARK_IDS } from '../../../../schemas/results.js';
import { UserError } from '../../core/errors.js';

export const DEFAULT_GATES_FILE = '.github/medvlm-bench.yml';

/** Metrics whose per-item values are 0/1, so two runs can be paired item by item (McNemar). */
export { PAIRED_METRICS };
const KNOWN_METRICS = [...PAIRED_METRICS, 'open_token_recall', 'open_token_f1'] as const;

const Fraction = z.number().min(0).max(1);

export const Gate = z.strictObject({
  benchmark: z.enum([...BENCHMARK_IDS, '*'], { error: `must be one of ${[...BENCHMARK_IDS, '*'].join(', ')}` }),
  group: z.string().regex(/^[A-Za-z0-9_-]+=.+$/, 'must look like key=value, e.g. questionType=reasoning').optional(),
  metric: z.enum(KNOWN_METRICS, { error: `must be one of ${KNOWN_METRICS.join(', ')}` }).default('accuracy'),
  min: Fraction.optional(),
  'max-drop': Fraction.optional(),
}).superRefine((g, ctx) => {
  if (g.min === undefined && g['max-drop'] === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a gate needs `min` (absolute floor), `max-drop` (regression margin), or both' });
  }
  if (g['max-drop'] !== undefined && !(PAIRED_METRICS as readonly string[]).includes(g.metric)) {
    ctx.addIssue({ code: 'custom', path: ['max-drop'], message: `max-drop needs a per-item 0/1 metric (${PAIRED_METRICS.join(', ')}); ${g.metric} supports only min` });
  }
});
export type Gate = z.infer<typeof Gate>;

export const GatesConfig = z.strictObject({
  gates: z.array(Gate).max(256).default([]),
  alpha: z.number().gt(0).lt(1).default(0.05),
  mode: z.enum(['regression', 'non-inferiority'], { error: 'must be regression or non-inferiority' }).default('regression'),
  'max-unparsed': Fraction.optional(),
  'max-errors': Fraction.optional(),
  // relative to the baseline run (0.5 = +50%); informative figures unless set, skipped without a baseline
  'max-latency-increase': z.number().min(0).max(100).optional(),
  'max-tokens-increase': z.number().min(0).max(100).optional(),
});
export type GatesConfig = z.infer<typeof GatesConfig>;

/** Used when no config is given and no default file exists: catch significant drops of more than 2 points. */
export const DEFAULT_GATES_CONFIG: GatesConfig = GatesConfig.parse({
  gates: [{ benchmark: '*', metric: 'accuracy', 'max-drop': 0.02 }],
});

export interface LoadedGates {
  config: GatesConfig;
  /** where it came from: a path, "inline" or "default" */
  source: string;
  /** per gate, "source:line:col" of its `benchmark` value, so later checks can point at the line */
  gateLocations: string[];
}

export interface ConfigFs {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: 'utf8'): string;
}

/**
 * Resolve the `gates` input: empty → default file if present, else the built-in default; text that looks like a
 * mapping (has a newline, `:` or `{`) → inline; anything else → a file path relative to `cwd`.
 */
export function loadGatesConfig(input: string, opts: { cwd: string; fs: ConfigFs }): LoadedGates {
  const trimmed = input.trim();
  if (!trimmed) {
    const def = joinPath(opts.cwd, DEFAULT_GATES_FILE);
    if (opts.fs.existsSync(def)) return { ...parseGatesDocument(opts.fs.readFileSync(def, 'utf8'), DEFAULT_GATES_FILE), source: DEFAULT_GATES_FILE };
    return { config: DEFAULT_GATES_CONFIG, source: 'default', gateLocations: DEFAULT_GATES_CONFIG.gates.map(() => 'built-in default gates') };
  }
  if (looksInline(trimmed)) return { ...parseGatesDocument(input, 'gates input'), source: 'inline' };
  const file = joinPath(opts.cwd, trimmed);
  if (!opts.fs.existsSync(file)) throw new UserError(`gates: file not found: ${trimmed} (give inline YAML/JSON or a path relative to the workspace)`);
  return { ...parseGatesDocument(opts.fs.readFileSync(file, 'utf8'), trimmed), source: trimmed };
}

/**
 * Before any GPU work: a gate naming a benchmark outside an explicit `benchmarks` list can never be evaluated, so it
 * would only fail after the whole run. `planned` null means "all" or shards decide: nothing to check.
 */
export function checkGatedBenchmarksRun(loaded: LoadedGates, planned: string[] | null): void {
  if (!planned) return;
  const problems = loaded.config.gates.flatMap((g, i) => (g.benchmark === '*' || planned.includes(g.benchmark) ? [] : [
    `${loaded.gateLocations[i]}: gates[${i}].benchmark: ${g.benchmark} is gated but will not run (benchmarks: ${planned.join(', ')}); add it to \`benchmarks\` or remove the gate`,
  ]));
  if (problems.length) throw new UserError(`invalid gates config:\n${problems.join('\n')}`);
}

/** Parse and validate; throws UserError listing every problem as `source:line:col: path: message`. */
export function parseGatesConfig(text: string, source: string): GatesConfig {
  return parseGatesDocument(text, source).config;
}

function parseGatesDocument(text: string, source: string): { config: GatesConfig; gateLocations: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return `${source}:${pos.line}:${pos.col}: ${firstLine(e.message)}`;
    });
    throw new UserError(`invalid gates config (YAML syntax):\n${lines.join('\n')}`);
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = GatesConfig.safeParse(raw);
  if (parsed.success) {
    const gateLocations = parsed.data.gates.map((_, i) => `${source}:${locate(doc, lineCounter, ['gates', i, 'benchmark'], false)}`);
    return { config: parsed.data, gateLocations };
  }
  const lines = parsed.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const where = locate(doc, lineCounter, issueNodePath(issue, path), issue.code === 'unrecognized_keys');
    const field = path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[') : '(top level)';
    return `${source}:${where}: ${field}: ${describeIssue(issue)}`;
  });
  throw new UserError(`invalid gates config:\n${lines.join('\n')}`);
}

/** For an unknown key, point at the key itself rather than its parent mapping. */
function issueNodePath(issue: z.core.$ZodIssue, path: (string | number)[]): (string | number)[] {
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) return [...path, issue.keys[0]!];
  return path;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (allowed: ${allowedKeys(issue.path.length)})`;
  }
  return issue.message;
}

function allowedKeys(depth: number): string {
  return depth === 0 ? 'gates, alpha, mode, max-unparsed, max-errors, max-latency-increase, max-tokens-increase' : 'benchmark, group, metric, min, max-drop';
}

/** line:col of the deepest node on `path` that exists (the key for unknown keys, else the value). */
function locate(doc: Document, lc: LineCounter, path: (string | number)[], wantKey: boolean): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth);
    const node = nodeAt(doc, sub, wantKey && depth === path.length);
    if (node?.range) {
      const pos = lc.linePos(node.range[0]);
      return `${pos.line}:${pos.col}`;
    }
  }
  return '1:1';
}

function nodeAt(doc: Document, path: (string | number)[], wantKey = false): Node | null {
  if (path.length === 0) return (doc.contents as Node | null) ?? null;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
    if (pair) {
      // a missing value (`min:`) has no range of its own: fall back to the key
      const value = pair.value as Node | null;
      return value?.range && !wantKey ? value : (pair.key as Node);
    }
    return null;
  }
  const node = doc.getIn(path, true) as Node | undefined;
  return node ?? null;
}

function looksInline(s: string): boolean {
  return s.includes('\n') || s.includes(':') || s.startsWith('{') || s.startsWith('[');
}

function joinPath(cwd: string, p: string): string {
  return isAbsolute(p) ? p : join(cwd, p);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
