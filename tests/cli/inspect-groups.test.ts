import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../action/src/cli/inspect.js';
import { defaultDeps } from '../../action/src/cli/deps.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'medvlm-inspect-groups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspect: group counts say how many items carry no value', () => {
  it('prints "n of N items labelled" when some items lack the group key', async () => {
    const manifest = path.join(dir, 'm.jsonl');
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({
      id: `q${i}`, question: `Is there a lesion ${i}?`, answer: i % 2 ? 'yes' : 'no', answerType: 'closed',
      ...(i < 2 ? { modality: 'CT' } : {}),
    }));
    writeFileSync(manifest, `${lines.join('\n')}\n`);
    const out: string[] = [];
    const code = await run(['custom', '--manifest', manifest], { ...defaultDeps(), out: (t) => out.push(t), err: () => {} });
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/modality: CT 2 \(2 of 5 items labelled; 3 without a value\)/);
    expect(text).not.toMatch(/answerType:[^\n]*labelled/);
  });
});
