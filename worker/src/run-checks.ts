/**
 * Checks zod cannot express on a RunResult: bitsets that decode to the declared item count, graded arrays of that
 * length, unique benchmark ids / metric names / groups. Every finding names its field, like the validation hook.
 */
import { base64ToBytes } from '../../schemas/bitset.js';
import type { RunResult } from '../../schemas/results.js';
import { ApiError, type Issue } from './errors.js';
import { findReservedNames } from './reserved-names.js';
import { findValueIssues } from './value-checks.js';

const BITSETS = ['present', 'correct', 'unparsed', 'error', 'truncated'] as const;

export function assertRunConsistent(run: RunResult): void {
  const issues = findRunIssues(run);
  if (issues.length) {
    throw new ApiError(400, 'invalid_request', `invalid json: ${issues[0]!.path}: ${issues[0]!.message}`,
      { issues: issues.slice(0, 50) });
  }
  // only once every bitset decodes: the figures are recomputed from the bits
  const values = findValueIssues(run);
  if (values.length) {
    throw new ApiError(400, 'inconsistent_result', `${values[0]!.path}: ${values[0]!.message}`, { issues: values.slice(0, 50) });
  }
}

export function findRunIssues(run: RunResult): Issue[] {
  const issues: Issue[] = [];
  if (run.status === 'failed') {
    // a run stopped on a systematic failure carries errors, not scores: it must never become a baseline
    issues.push({ path: 'status', message: `a failed run is not stored (${run.failure?.reason ?? 'the run stopped early'})` });
  }
  if (run.identity.repository === null) {
    issues.push({ path: 'identity.repository', message: 'uploads need the repository ("owner/name")' });
  }
  issues.push(...findReservedNames(run));
  duplicates(run.benchmarks.map((b) => b.id)).forEach((id) =>
    issues.push({ path: 'benchmarks', message: `benchmark "${id}" appears more than once` }));
  run.benchmarks.forEach((b, bi) => {
    const at = `benchmarks[${bi}]`;
    const n = b.outcomes.n;
    for (const name of BITSETS) checkBitset(issues, `${at}.outcomes.${name}`, b.outcomes[name], n);
    for (const [key, values] of Object.entries(b.outcomes.graded)) {
      if (values.length !== n) issues.push({ path: `${at}.outcomes.graded.${key}`, message: `has ${values.length} values, expected ${n}` });
    }
    duplicates(b.metrics.map((m) => m.name)).forEach((m) =>
      issues.push({ path: `${at}.metrics`, message: `metric "${m}" appears more than once` }));
    duplicates(b.groups.map((g) => `${g.key}=${g.value}`)).forEach((g) =>
      issues.push({ path: `${at}.groups`, message: `group "${g}" appears more than once` }));
    b.groups.forEach((g, gi) => {
      checkBitset(issues, `${at}.groups[${gi}].members`, g.members, n);
      duplicates(g.metrics.map((m) => m.name)).forEach((m) =>
        issues.push({ path: `${at}.groups[${gi}].metrics`, message: `metric "${m}" appears more than once` }));
    });
  });
  return issues;
}

function checkBitset(issues: Issue[], path: string, b64: string, n: number): void {
  let bytes: number;
  try {
    bytes = base64ToBytes(b64).length;
  } catch {
    issues.push({ path, message: 'is not valid base64' });
    return;
  }
  if (bytes !== Math.ceil(n / 8)) issues.push({ path, message: `holds ${bytes} bytes, expected ${Math.ceil(n / 8)} for n = ${n}` });
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}
