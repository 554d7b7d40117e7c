/**
 * The item report's data: what `report.html` embeds as one JSON blob and renders in the browser. Short keys on the
 * per-item objects because a 20,000-item report repeats them 20,000 times. Built on the runner from the prepared
 * benchmarks, results.json and predictions.jsonl; this data never leaves the runner except inside report.html.
 */

/** Outcome bits of an item (ReportItem.f). */
export const FLAG = { correct: 1, unparsed: 2, error: 4, truncated: 8 } as const;

/** The baseline's outcome of a paired item (ReportItem.b). */
export const BASE = { none: 0, correct: 1, wrong: 2 } as const;

export interface ReportItem {
  /** item id */
  id: string;
  /** question */
  q: string;
  /** options, letter → text (letters in order), null for open items; the prepared item's own object, not a copy */
  o: Record<string, string> | null;
  /** gold: option letter or reference text */
  g: string;
  /** extracted answer (letter or normalised text); null = unparsed */
  x: string | null;
  /** how it was extracted (extraction stage, see core/scoring/extract.ts), or 'error' / 'no response' */
  h: string;
  /** FLAG bits */
  f: number;
  /** group value index per group key (ReportBenchmark.groups order) */
  v: number[];
  /** response text (head and tail kept when long), null when the item failed */
  r: string | null;
  /** characters of the response left out of `r` (0 = complete) */
  rc: number;
  /** 1: the response exists but was left out to keep the file small (the report's text budget ran out) */
  rx?: 1;
  /** separate reasoning field of the response, clipped the same way */
  rs?: string;
  /** error message of a failed item */
  e?: string;
  /** judge verdict of an open item: 1 equivalent, 0 not, null no verdict */
  j?: 0 | 1 | null;
  /** thumbnail indices into ReportData.thumbs */
  t: number[];
  /** images of the item without a thumbnail (per-item cap, size budget or unreadable) */
  tm: number;
  /** BASE value: the baseline's outcome when the benchmark is paired */
  b: number;
  /** baseline's response (changed items only, when a baseline predictions.jsonl was given) */
  br?: string | null;
  /** baseline's extracted answer (same condition) */
  bx?: string | null;
}

export interface ReportGroupKey {
  key: string;
  values: string[];
}

export interface ReportBenchmark {
  id: string;
  title: string;
  extraction: string;
  protocol: string;
  fingerprint: string;
  scored: number;
  /** scored items this result does not hold (--limit, a shard): listed as a count, not as items */
  notEvaluated: number;
  groups: ReportGroupKey[];
  /** paired with the baseline (same fingerprint), not paired (why), or no baseline */
  pairing: { status: 'paired' | 'unpaired' | 'none'; note: string };
  items: ReportItem[];
}

export interface ReportData {
  title: string;
  model: string;
  checkpoint: string | null;
  commit: string | null;
  generatedAt: string;
  toolVersion: string;
  /** label of the baseline run (model, commit, source), null without one */
  baseline: string | null;
  /** data URLs of thumbnails (deduplicated by image content) */
  thumbs: string[];
  /** what was left out and why (thumbnail budget, clipped responses, missing predictions) */
  notes: string[];
  benchmarks: ReportBenchmark[];
}
