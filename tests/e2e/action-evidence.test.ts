/**
 * End to end, the action built from source as the runner runs it, on a real local worker: a matrix over two
 * checkpoint labels at one commit, on main and then in a PR. Each PR comment says what its regression gate can
 * detect (the same figure as the compare page it links), shows cost and verbosity, fails a checkpoint that got ten
 * times as verbose when `max-tokens-increase` asks, and links the training curve of its commit, which the worker
 * draws with both labels. Oracle: the constant models' answers ("A", or 38 filler bytes then "A": 1 or 10 completion
 * tokens at 4 characters a token) and Connor's equation solved by hand for n = 60 paired items that all agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { prEvent, pushEvent, sha, writeManifest } from './action-harness.js';
import { startStack, type Stack } from './action-stack.js';

const MAIN = sha('6');
const MERGE = sha('8');
const BASE_TIP = sha('3');
const GATES = 'gates:\n  - benchmark: custom\n    max-drop: 0.02\nmax-tokens-increase: 0.5\n';
// n = 60, discordance 0 (ψ₀ = 1/60), level 0.05: T = max(0.02, 1.96·√(1/60)/√60) = 0.0327 and
// δ − T = 0.8416·√((δ − δ²)/60) → δ = 0.0581
const DETECTS = 'this gate detects drops ≥ 5.8 pp with 80% power; smaller drops pass unseen';

describe('action evidence: power, cost and training curves in the PR', () => {
  let stack: Stack;
  let terse: BaselineServer;
  let verbose: BaselineServer;
  let manifest: string;

  beforeAll(async () => {
    [stack, terse, verbose] = await Promise.all([
      startStack(), startBaselineServer({ policy: 'constant:A' }), startBaselineServer({ policy: 'constant:A', padBytes: 38 }),
    ]);
    manifest = writeManifest(stack.workspace, 'm', 60, 45);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stack?.stop(), terse?.close(), verbose?.close()]);
  });

  const job = (label: string, server: BaselineServer, event: unknown, commit: string, ref: string, runId: string) =>
    stack.act({ model: 'vlm-e', server, event, sha: commit, ref, runId, inputs: { manifest, checkpoint: `vlm-e@${label}`, gates: GATES, 'fail-on': 'never' } });

  it('each checkpoint\'s comment carries its gate\'s power, cost and verbosity, and the training curve link', async () => {
    for (const label of ['step-1000', 'step-2000']) {
      const r = await job(label, terse, pushEvent(sha('0')), MAIN, 'refs/heads/main', '900');
      expect(r.code, r.stdout).toBe(0);
    }
    stack.github.mergeBases.set(`${BASE_TIP}...${sha('d')}`, MAIN);
    const pr = prEvent(56, BASE_TIP, sha('d'));
    const same = await job('step-1000', terse, pr, MERGE, 'refs/pull/56/merge', '901');
    const wordy = await job('step-2000', verbose, pr, MERGE, 'refs/pull/56/merge', '901');
    expect([same.code, wordy.code], same.stdout + wordy.stdout).toEqual([0, 0]);
    const comment = (label: string) => stack.github.comments.find((c) => c.issue === 56 && c.body.startsWith(`<!-- medvlm-bench:vlm-e@${label} -->`))!.body;

    // power: in the gate message, the scores column and the log
    expect(comment('step-1000')).toContain(`no significant drop larger than 0.020; ${DETECTS}`);
    expect(comment('step-1000')).toMatch(/\| custom \| 0\.750 \| 0\.750 \| [^\n]* \| drops ≥ 5\.8 pp \|/);
    expect(same.stdout).toContain(DETECTS);

    // cost: informative rows, and the tokens gate fails the checkpoint that says 10 tokens where the base said 1
    expect(comment('step-1000')).toContain('| Completion tokens per answered item | 1.0 | 1.0 | +0% |');
    expect(comment('step-2000')).toContain('| Completion tokens per answered item | 1.0 | 10.0 | +900% |');
    expect(comment('step-2000')).toContain('| ❌ | tokens increase | whole run | – | completion tokens per item 1.0 → 10.0 (+900%) > allowed +50% |');
    expect(comment('step-1000')).toMatch(/\| ✅ \| tokens increase \| whole run \| – \| completion tokens per item 1\.0 → 1\.0 \(\+0%\) ≤ allowed \+50% \|/);

    // training curve: both comments link the commit's curve, which the worker draws with both labels in step order
    const curve = `${stack.worker.url}/curve/acme/vision.svg?commit=${MERGE}`;
    for (const label of ['step-1000', 'step-2000']) expect(comment(label)).toContain(`[Training curve](${curve})`);
    const svg = await (await fetch(curve)).text();
    expect([...svg.matchAll(/<text class="mvb-x"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['step-1000', 'step-2000']);

    // the compare page the comment links shows the same detectable drop
    const compare = /\[Comparison\]\(([^)]+)\)/.exec(comment('step-1000'))![1]!;
    const page = await (await fetch(compare)).text();
    expect(page).toMatch(/<th scope="row">custom<\/th>[\s\S]*?>≥ 5\.8 pp<\/abbr>/);
  }, 240_000);
});
