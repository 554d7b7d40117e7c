/**
 * Names the worker looks up in plain objects (metric names → graded arrays, graded keys, group and excluded-reason
 * keys) must not be properties every JavaScript object already has: `graded["toString"]` is a function, and zod
 * silently drops a `__proto__` key, so a metric named after one would meet a value that is not its data. Such names
 * are refused with a 400 naming the field; lookups also use Object.hasOwn (metrics.ts) as a second line.
 */
import type { RunResult } from '../../schemas/results.js';
import type { Issue } from './errors.js';

const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

export function findReservedNames(run: RunResult): Issue[] {
  const issues: Issue[] = [];
  const check = (path: string, name: string) => {
    if (RESERVED.has(name)) {
      issues.push({ path, message: `"${name}" is a property of every JavaScript object and cannot name a metric, key or group` });
    }
  };
  run.benchmarks.forEach((b, bi) => {
    const at = `benchmarks[${bi}]`;
    b.metrics.forEach((m, mi) => check(`${at}.metrics[${mi}].name`, m.name));
    Object.keys(b.outcomes.graded).forEach((k) => check(`${at}.outcomes.graded.${k}`, k));
    Object.keys(b.counts.excludedReasons).forEach((k) => check(`${at}.counts.excludedReasons.${k}`, k));
    b.groups.forEach((g, gi) => {
      check(`${at}.groups[${gi}].key`, g.key);
      check(`${at}.groups[${gi}].value`, g.value);
      g.metrics.forEach((m, mi) => check(`${at}.groups[${gi}].metrics[${mi}].name`, m.name));
    });
  });
  return issues;
}

/**
 * The path of the first own "__proto__" key in a parsed body, or null. JSON.parse keeps such a key as an own
 * property, but zod drops it from records, so findReservedNames never sees it: this runs on the raw body first.
 */
export function protoKeyPath(value: unknown, path = ''): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === 'object') {
        const found = protoKeyPath(v, `${path}[${i}]`);
        if (found) return found;
      }
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '__proto__') return at;
    const found = protoKeyPath((value as Record<string, unknown>)[key], at);
    if (found) return found;
  }
  return null;
}
