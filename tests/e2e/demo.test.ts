import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ReportData } from '../../action/src/runner/report/types.js';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { writeFakeVqaRad } from '../helpers/fake-vqa-rad.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
/** a generated VQA-RAD folder (240 yes/no + 60 open items), so the demo runs without ../shared/data */
const data = writeFakeVqaRad(300, 5).root;

describe('npm run demo (the README main command)', () => {
  it('evaluates main and PR runs, uploads both to a local worker, prints comparison, verdict and URLs', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'medvlm-demo-'));
    // occupy a port and ask for it: the demo must say so and use a free port instead of crashing
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const busyPort = (busy.address() as AddressInfo).port;
    try {
      const r = await runAsync(['bin/medvlm-bench.mjs', 'demo', '--exit', '--port', String(busyPort), '--benchmarks', 'vqa-rad',
        '--limit', '120', '--data-dir', data, '--out', out], process.env);
      expect(r.stderr).toContain(`port ${busyPort} is in use`);
      expect(r.stderr).toContain('uploaded: run');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/vqa-rad\s+120\s+\d+\.\d%\s+\d+\.\d%/); // --limit 120 of the 240 yes/no items
      expect(r.stdout).toMatch(/questionType=(reasoning|understanding)/);
      expect(r.stdout).toContain('gates: PASSED');
      // the comparison uses the gates' margin (2 points), so table and verdict agree
      expect(r.stdout).toMatch(/margin \+2\.0 pts, alpha 0\.05/);
      expect(r.stdout).toContain('The worker stops when the demo exits');
      const compare = /compare\s+(http:\/\/127\.0\.0\.1:\d+\/demo\/medvlm-bench\/compare\/\w+\.\.\.\w+)/.exec(r.stdout);
      expect(compare).not.toBeNull();
      expect(r.stdout).toMatch(/badge\s+http:\/\/127\.0\.0\.1:\d+\/badge\/demo\/medvlm-bench\.svg/);
      // the item reports: the PR's opens on its changes vs main, counted as the worker's paired comparison counts them
      const changes = /opens on the changes vs main: vqa-rad (\d+) correct → wrong, (\d+) wrong → correct/.exec(r.stdout);
      expect(changes, r.stdout).not.toBeNull();
      const prFile = path.resolve(repo, /\n {2}PR {4}(\S+)/.exec(r.stdout)![1]!);
      expect(prFile).toBe(path.join(out, 'pr', 'report.html'));
      const report = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(readFileSync(prFile, 'utf8'))![1]!) as ReportData;
      const items = report.benchmarks[0]!.items;
      expect(report.baseline).toMatch(/^main \(run \w+ on the local worker\)$/);
      expect(items).toHaveLength(120);
      expect(items.filter((i) => i.b === 1 && !(i.f & 1)).length).toBe(Number(changes![1]));
      expect(items.filter((i) => i.b === 2 && i.f & 1).length).toBe(Number(changes![2]));
      expect(existsSync(path.join(out, 'main', 'report.html'))).toBe(true);
    } finally {
      busy.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('npm run demo without local data (Hugging Face download path)', () => {
  it('downloads VQA-RAD from the Hub endpoint (a loopback fixture server), evaluates, uploads and compares', async () => {
    const { startHfServer } = await import('../helpers/hf-server.js');
    const { hfParquet, jpeg } = await import('../core/data/fixtures.js');
    const n = 40;
    const questions = Array.from({ length: n }, (_, i) => (i % 4 === 3 ? `what organ is shown in image ${i}?` : `is there a lesion in image ${i}?`));
    const answers = questions.map((q, i) => (q.startsWith('what') ? 'liver' : i % 2 ? 'yes' : 'no'));
    const parquet = hfParquet([
      { name: 'image', kind: 'image', data: questions.map((_, i) => ({ bytes: jpeg(`demo${i}`), path: `demo${i}.jpg` })) },
      { name: 'question', kind: 'string', data: questions },
      { name: 'answer', kind: 'string', data: answers },
    ], 16);
    const hub = await startHfServer([{
      repo: 'flaviagiammarino/vqa-rad', commit: '74b6acbd67e60def0427836dfef45ed63ef83590',
      files: { 'data/test-00000-of-00001.parquet': parquet },
    }]);
    const home = mkdtempSync(path.join(os.tmpdir(), 'medvlm-demo-hf-'));
    try {
      // asynchronous spawn: the fixture Hub lives in this process and must keep answering
      const r = await runAsync(['bin/medvlm-bench.mjs', 'demo', '--hub', '--exit', '--port', '0', '--out', path.join(home, 'out')],
        { ...process.env, HF_ENDPOINT: hub.url, HF_HOME: path.join(home, 'hf'), MEDVLM_DATA_DIR: '' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('Hugging Face Hub download');
      expect(hub.requests.some((q) => q.includes('/datasets/flaviagiammarino/vqa-rad/resolve/'))).toBe(true);
      // 30 yes/no items are scored under the paper protocol, the 10 open ones excluded
      expect(r.stderr).toMatch(/vqa-rad\s+\d+\.\d% of 30 scored \(10 excluded/);
      expect(r.stdout).toMatch(/vqa-rad\s+30\s/);
    } finally {
      await hub.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

function runAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repo, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
