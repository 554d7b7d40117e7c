/** predictions.jsonl carries each item's question type, its source and the classifier's P(reasoning). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { evaluateTasks, type EngineOptions } from '../../action/src/runner/evaluate.js';
import { openPredictions, type PredictionRecord } from '../../action/src/runner/predictions.js';
import { SILENT_PROGRESS } from '../../action/src/runner/progress.js';
import { DEFAULT_RETRY_POLICY, sleep } from '../../action/src/runner/retry.js';
import { boxedScorer, syntheticTasks } from './helpers.js';

let server: BaselineServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('question type in predictions.jsonl', () => {
  it('classifier items record P(reasoning); labelled items record their source and null', async () => {
    server = await startBaselineServer({ seed: 5 });
    const tasks = syntheticTasks(2);
    Object.assign(tasks[0]!.item.sample, { questionType: 'reasoning', metadata: { questionTypeSource: 'classifier', questionTypeProbability: 0.731 } });
    Object.assign(tasks[1]!.item.sample, { questionType: 'understanding', metadata: { questionTypeSource: 'label' } });
    const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-qt-'));
    const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
    const o: EngineOptions = {
      endpoint: server.url, model: 'baseline', apiKey: null, protocol: 'paper', concurrency: 2, requestTimeoutMs: 2000,
      unreachableMs: 5000, judge: null, decoding: { temperature: 0, topP: null, maxTokens: 64, seed: 0 },
      retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 5 },
    };
    try {
      await evaluateTasks(tasks, tasks.length, o, { fetch, now: Date.now, random: Math.random, sleep, progress: SILENT_PROGRESS }, store, boxedScorer, () => {});
    } finally {
      store.close();
    }
    const lines = readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as PredictionRecord).sort((a, b) => a.index - b.index);
    expect(lines.map((l) => [l.questionType, l.questionTypeSource, l.questionTypeProbability])).toEqual([
      ['reasoning', 'classifier', 0.731], ['understanding', 'label', null],
    ]);
  });
});
