/**
 * The labelled reading table (reading-cases-*.ts): what the scorer reads against what a careful human reads.
 * Targets (issue 10): no answer that differs from the human's, every response the human does not read left
 * unparsed, and agreement on at least 88% of the readable ones. Responses go through scoreResponse with the item's
 * question, the path `run` and `score` use.
 */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import type { PreparedItem } from '../../../action/src/core/scoring/protocol.js';
import { scoreResponse } from '../../../action/src/core/scoring/score.js';
import { MC_CASES, type ReadingCase } from './reading-cases-mc.js';
import { BINARY_CASES, YES_NO_CASES, ZH_CASES } from './reading-cases-yn.js';
import { BLIND_CASES } from './reading-cases-blind.js';

const TABLES: Record<string, ReadingCase[]> = { MC_CASES, YES_NO_CASES, ZH_CASES, BINARY_CASES, BLIND_CASES };
const ALL = Object.values(TABLES).flat();

function read([question, options, response, human]: ReadingCase): string | null {
  const sample: Sample = { id: 'r', question, answer: '', images: [], answerType: 'closed', metadata: {} };
  const item: PreparedItem = { index: 0, sample, kind: 'mcq', choices: options, gold: human ?? 'A', prompt: question };
  return scoreResponse(item, { content: response }, 'chain').extracted;
}

const rows = ALL.map((c) => ({ c, got: read(c) }));
const readable = rows.filter((r) => r.c[3] !== null);
const agreed = readable.filter((r) => r.got === r.c[3]);
const wrong = readable.filter((r) => r.got !== null && r.got !== r.c[3]);
const invented = rows.filter((r) => r.c[3] === null && r.got !== null);
const show = (r: (typeof rows)[number]) => `  ${JSON.stringify(r.c[2]).slice(0, 110)} → ${r.got} (human ${r.c[3]})`;

describe('reading table (human-labelled responses)', () => {
  it('has at least 300 cases, each with a valid label', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(300);
    for (const [, options, , human] of ALL) if (human !== null) expect(Object.keys(options)).toContain(human);
  });

  it('never reads an answer that differs from the human reading', () => {
    expect(wrong.map(show)).toEqual([]);
  });

  it('leaves every response the human does not read unparsed', () => {
    expect(invented.map(show)).toEqual([]);
  });

  it('agrees with the human on at least 88% of the readable responses', () => {
    const pct = (100 * agreed.length) / readable.length;
    const missed = readable.filter((r) => r.got === null);
    console.log(`reading table: ${ALL.length} cases, ${readable.length} readable, agreed ${agreed.length} (${pct.toFixed(1)}%), `
      + `wrong reads ${wrong.length}, invented answers ${invented.length}, unparsed readable ${missed.length}:\n${missed.map(show).join('\n')}`);
    expect(pct).toBeGreaterThanOrEqual(88);
  });
});
