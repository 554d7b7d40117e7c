/**
 * Runs the bundled action (action/dist/index.js) as a child process exactly as the Actions runner does: inputs as
 * INPUT_<NAME> (dashes kept, upper-cased), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, an event payload file, and no
 * environment inherited from the test process beyond PATH/HOME (so a CI runner's own GITHUB_* cannot leak in).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/shared-data.js';

export const BUNDLE = path.join(REPO_ROOT, 'action', 'dist', 'index.js');

export interface BundleRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface BundleOptions {
  inputs: Record<string, string>;
  env: Record<string, string>;
  /** written to a file and passed as GITHUB_EVENT_PATH */
  event: unknown;
  workspace: string;
  /** another build of the action (default: the committed action/dist/index.js) */
  bundle?: string;
  /** SIGKILL the step after this long (a hung step then ends with code null instead of outliving the test) */
  timeoutMs?: number;
}

export async function runBundle(o: BundleOptions): Promise<BundleRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-action-'));
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md'), event: path.join(dir, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(o.event));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir,
    GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: o.workspace, RUNNER_TEMP: dir, ...o.env,
  };
  for (const [k, v] of Object.entries(o.inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, [o.bundle ?? BUNDLE], { cwd: o.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stdout += d.toString(); });
  const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : null;
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (timer) clearTimeout(timer);
  const run = { code, stdout, outputs: parseOutputs(readFileSync(files.output, 'utf8')), summary: readFileSync(files.summary, 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return run;
}

/** GITHUB_OUTPUT uses heredoc blocks: `name<<ghadelimiter_<uuid>\nvalue\nghadelimiter_<uuid>`. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    out[m[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

/** A 1×1 PNG, so custom manifest items carry a real image. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64',
);

export const SECRET = 'SECRET-PATIENT-TEXT';

/**
 * A custom-benchmark manifest of two-option items whose gold is A for the first `goldA` items, B after. Questions
 * and options carry a marker string so tests can prove it never reaches comments, summaries or check runs.
 */
export function writeManifest(workspace: string, name: string, n: number, goldA: number): string {
  const dir = path.join(workspace, name);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'img.png'))) writeFileSync(path.join(dir, 'img.png'), PNG_1X1);
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({
    id: `${name}-${i}`,
    question: `${SECRET} question ${i}: is the lesion on the left?`,
    options: { A: `${SECRET} option left ${i}`, B: `${SECRET} option right ${i}` },
    answer: i < goldA ? 'A' : 'B',
    images: ['img.png'],
    questionType: i % 2 ? 'reasoning' : 'understanding',
  }));
  const file = path.join(dir, 'manifest.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return path.relative(workspace, file);
}

export const sha = (c: string) => c.repeat(40);

export function pushEvent(before: string) {
  return { ref: 'refs/heads/main', before, after: sha('f') };
}

export function prEvent(number: number, baseSha: string, headSha: string) {
  return {
    number,
    pull_request: {
      number,
      base: { sha: baseSha, ref: 'main', repo: { full_name: 'acme/vision' } },
      head: { sha: headSha, ref: `feature-${number}`, repo: { full_name: 'acme/vision', fork: false } },
    },
  };
}
