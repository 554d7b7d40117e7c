/**
 * What the pages, badges and charts render: plain data, already read from D1 and shaped by the routes. Keeping
 * renderers pure over these types lets tests render any case without a database.
 */
import type { ComparisonPower } from '../../../schemas/compare.js';
import type { CostComparison } from '../../../schemas/cost.js';
import type { Verdict } from '../../../schemas/stats.js';
import type { ChartPoint } from './chart.js';

export interface Score {
  value: number;
  ci95: readonly [number, number] | null;
  n: number;
}

export interface RunSummary {
  id: string;
  commit: string | null;
  ref: string | null;
  prNumber: number | null;
  model: string;
  checkpoint: string | null;
  protocol: string;
  status: 'complete' | 'incomplete';
  verified: boolean;
  createdAt: string;
  /** suite mean accuracy over benchmarks (null while incomplete) */
  scoreMean: number | null;
}

export interface LeaderboardEntry {
  /** 1-based best and worst rank compatible with the intervals (ties where intervals overlap) */
  rankRange: readonly [number, number];
  repository: string;
  model: string;
  checkpoint: string | null;
  runId: string;
  commit: string | null;
  createdAt: string;
  score: Score;
}

export interface LeaderboardBoard {
  benchmark: string;
  title: string | null;
  protocol: string;
  fingerprint: string;
  entries: readonly LeaderboardEntry[];
  /** accuracy of uniform random guessing on this item set (the chance row), when known */
  chance: number | null;
  /** latest runs scored on other item sets (not ranked here), with how many entries each would hold */
  otherItemSets: readonly { fingerprint: string; entries: number }[];
  /** entries on the board; `entries` are ranks offset + 1 … offset + entries.length of them */
  total: number;
  offset: number;
  /** page links (null where there is no such page); summary: the home page's top entries, linking to the board */
  pages: { previous: string | null; next: string | null; all: string | null };
}

export interface LeaderboardView {
  boards: readonly LeaderboardBoard[];
}

export interface BenchmarkScoreRow {
  benchmark: string;
  title: string | null;
  overall: Score | null;
  understanding: Score | null;
  reasoning: Score | null;
  scored: number;
  unparsed: number;
  errors: number;
  chance: number | null;
}

export interface HistorySeries {
  benchmark: string;
  points: readonly ChartPoint[];
}

export interface RepoView {
  owner: string;
  repo: string;
  /** the ref the "latest" section and the history charts are read from */
  ref: string | null;
  latest: RunSummary | null;
  scores: readonly BenchmarkScoreRow[];
  /** pooled over all benchmarks of the latest run */
  split: { understanding: Score | null; reasoning: Score | null };
  history: readonly HistorySeries[];
  recentRuns: readonly RunSummary[];
  /** newest commit with two or more checkpoint labels (a matrix over checkpoints): its training curves are shown */
  curveCommit?: string | null;
  /** absolute origin used in the copyable badge snippets, e.g. "https://bench.example.org" */
  origin: string;
}

export interface CompareRow {
  benchmark: string;
  /** null for the whole benchmark */
  group: { key: string; value: string } | null;
  base: Score;
  head: Score;
  diff: number;
  ci95: readonly [number, number];
  /** discordant pairs: base right & head wrong, and the reverse */
  baseOnly: number;
  headOnly: number;
  p: number;
  /** Holm-adjusted: across benchmarks for whole-benchmark rows, across the same key=value group in every benchmark for group rows */
  pHolm: number;
  verdict: Verdict;
  /** the smallest drop this row's test detects with 80% power at its family's level (absent: not computed) */
  power?: ComparisonPower;
}

export type ComparedRunView = Pick<RunSummary, 'id' | 'commit' | 'ref' | 'model' | 'checkpoint' | 'createdAt'> & { repository: string };

export interface CompareView {
  /** the repository both runs belong to; null for a comparison across repositories (/compare?run=…&run=…) */
  owner: string | null;
  repo: string | null;
  base: ComparedRunView;
  head: ComparedRunView;
  margin: number;
  alpha: number;
  mode: 'regression' | 'non-inferiority';
  rows: readonly CompareRow[];
  /** worse if any benchmark is worse; better if any is better and none worse */
  verdict: Verdict;
  onlyInBase: readonly string[];
  onlyInHead: readonly string[];
  /** completion tokens per answered item and latency of each run (absent in older answers) */
  cost?: CostComparison;
}
