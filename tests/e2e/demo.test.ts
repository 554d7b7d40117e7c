import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../helpers/shared-data.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
const shared = sharedData('vqa_rad');
const data = shared.available ? shared.root : null;

describe.skipIf(!data)('npm run demo (the README main command)', () => {
  it('evaluates main and PR runs, uploads both to a local worker, prints comparison, verdict and URLs', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'medvlm-demo-'));
    try {
      const r = spawnSync(process.execPath, ['bin/medvlm-bench.mjs', 'demo', '--exit', '--port', '0', '--benchmarks', 'vqa-rad',
        '--limit', '120', '--data-dir', data!, '--out', out], { cwd: repo, encoding: 'utf8', timeout: 180_000 });
      expect(r.stderr).toContain('uploaded: run');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/vqa-rad\s+\d+\s+\d+\.\d%\s+\d+\.\d%/);
      expect(r.stdout).toMatch(/questionType=(reasoning|understanding)/);
      expect(r.stdout).toContain('gates: PASSED');
      const compare = /compare\s+(http:\/\/127\.0\.0\.1:\d+\/demo\/medvlm-bench\/compare\/\w+\.\.\.\w+)/.exec(r.stdout);
      expect(compare).not.toBeNull();
      expect(r.stdout).toMatch(/badge\s+http:\/\/127\.0\.0\.1:\d+\/badge\/demo\/medvlm-bench\.svg/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
