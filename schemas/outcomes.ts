/**
 * Per-item outcomes as arrays: unpacking and packing the bitsets of `Outcomes`, the open-item rule, counts from the
 * bits, and the union of shard outcomes. Part of the results algebra (docs/results-schema.md, "Derived figures"),
 * used by the scorer, the runner's merge and the worker alike. Pure; imports only schemas.
 */
import { packBits, unpackBits } from './bitset.js';
import type { Outcomes } from './results.js';

export type Graded = Record<string, (number | null)[]>;

export interface OutcomeBits {
  n: number;
  present: Uint8Array;
  correct: Uint8Array;
  unparsed: Uint8Array;
  error: Uint8Array;
  truncated: Uint8Array;
  /** 1 where the item is open-ended (see openMask) */
  open: Uint8Array;
  graded: Graded;
}

/** 1 where the item is open-ended: it has any non-null graded score. The one definition worker and action use. */
export function openMask(graded: Record<string, readonly (number | null)[]>, n: number): Uint8Array {
  const open = new Uint8Array(n);
  for (const values of Object.values(graded)) values.forEach((v, i) => { if (v !== null && i < n) open[i] = 1; });
  return open;
}

export function unpackOutcomes(o: Outcomes): OutcomeBits {
  const n = o.n;
  return {
    n, present: unpackBits(o.present, n), correct: unpackBits(o.correct, n), unparsed: unpackBits(o.unparsed, n),
    error: unpackBits(o.error, n), truncated: unpackBits(o.truncated, n), open: openMask(o.graded, n), graded: o.graded,
  };
}

export function packOutcomes(u: OutcomeBits): Outcomes {
  return {
    n: u.n, present: packBits(u.present), correct: packBits(u.correct), unparsed: packBits(u.unparsed),
    error: packBits(u.error), truncated: packBits(u.truncated), graded: u.graded,
  };
}

/** counts.unparsed / errors / truncated: present items with that bit set. */
export function countOutcomes(u: OutcomeBits): { unparsed: number; errors: number; truncated: number } {
  const count = (bits: Uint8Array) => {
    let k = 0;
    for (let i = 0; i < u.n; i++) k += bits[i]! & u.present[i]!;
    return k;
  };
  return { unparsed: count(u.unparsed), errors: count(u.error), truncated: count(u.truncated) };
}

/** Thrown by uniteOutcomes when two parts both hold an item; `first`/`second` index the parts as given. */
export class OutcomeOverlap extends Error {
  constructor(readonly item: number, readonly first: number, readonly second: number) {
    super(`parts ${first} and ${second} both hold item ${item}`);
    this.name = 'OutcomeOverlap';
  }
}

/**
 * The union of disjoint parts over the same n items: each item takes every bit and grade from the one part whose
 * `present` bit is set (items no part holds stay absent, grades null). The graded names are the union of the parts'.
 */
export function uniteOutcomes(parts: readonly Outcomes[]): OutcomeBits {
  const n = parts[0]!.n;
  const names = [...new Set(parts.flatMap((p) => Object.keys(p.graded)))];
  const graded: Graded = Object.fromEntries(names.map((k) => [k, new Array<number | null>(n).fill(null)]));
  const out: OutcomeBits = {
    n, present: new Uint8Array(n), correct: new Uint8Array(n), unparsed: new Uint8Array(n), error: new Uint8Array(n),
    truncated: new Uint8Array(n), open: new Uint8Array(n), graded,
  };
  const owner = new Int32Array(n).fill(-1);
  parts.forEach((p, pi) => {
    if (p.n !== n) throw new RangeError(`part ${pi} has ${p.n} items, part 0 has ${n}`);
    const s = unpackOutcomes(p);
    for (let i = 0; i < n; i++) {
      if (!s.present[i]) continue;
      if (owner[i]! >= 0) throw new OutcomeOverlap(i, owner[i]!, pi);
      owner[i] = pi;
      out.present[i] = 1; out.correct[i] = s.correct[i]!; out.unparsed[i] = s.unparsed[i]!;
      out.error[i] = s.error[i]!; out.truncated[i] = s.truncated[i]!;
      for (const k of names) graded[k]![i] = (Object.hasOwn(s.graded, k) ? s.graded[k]![i] : null) ?? null;
    }
  });
  out.open = openMask(graded, n);
  return out;
}
