/**
 * Two real runs for the item-report tests: a generated VQA-RAD folder (real PNG images, made with sharp) evaluated by
 * a "main" baseline server answering \boxed{A} and a "PR" server answering \boxed{B} behind hostile HTML, so every
 * gold-A item goes correct → wrong and every gold-B item wrong → correct. The PR response carries a <script>, an
 * <img onerror> and a </script> to prove the page never executes or parses response text as HTML.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startBaselineServer } from '../../action/src/runner/baseline-server.js';
import { runEvaluation, type RunOutput } from '../../action/src/runner/run.js';
import { writeFakeVqaRad, type FakeVqaRad } from './fake-vqa-rad.js';

export const HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"></script><b>bold?</b> so the answer is \\boxed{B}';

export interface ReportRuns { data: FakeVqaRad; main: RunOutput; pr: RunOutput; mainDir: string; prDir: string }

/** Replaces the generated folder's placeholder JPEGs with real, decodable images of distinct colours. */
async function realImages(data: FakeVqaRad): Promise<void> {
  const folder = path.join(data.dir, 'VQA_RAD Image Folder');
  for (const [k, name] of readdirSync(folder).entries()) {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 40 * k, g: 120, b: 200 - 20 * k } } }).jpeg().toBuffer();
    writeFileSync(path.join(folder, name), png);
  }
}

export async function makeReportRuns(items = 60): Promise<ReportRuns> {
  const data = writeFakeVqaRad(items, 5);
  await realImages(data);
  const root = mkdtempSync(path.join(tmpdir(), 'medvlm-report-'));
  const run = async (answer: string, label: string): Promise<[RunOutput, string]> => {
    const server = await startBaselineServer({ policy: `constant:${answer}` });
    const outDir = path.join(root, label);
    try {
      const out = await runEvaluation({
        endpoint: server.url, model: 'baseline-constant', benchmarks: 'vqa-rad', dataDir: data.root, protocol: 'paper', outDir,
        concurrency: 8, env: {}, retry: { baseDelayMs: 5, maxDelayMs: 50 },
      }, { fetch, now: Date.now, log: () => {} });
      return [out, outDir];
    } finally {
      await server.close();
    }
  };
  const [main, mainDir] = await run('The answer is \\boxed{A}.', 'main');
  const [pr, prDir] = await run(HOSTILE, 'pr');
  return { data, main, pr, mainDir, prDir };
}
