import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../runner/helpers.js';
import { spawnCli, waitFor } from './cli-helpers.js';

describe('medvlm-bench serve-baseline (CLI)', () => {
  it('prints its URL, answers OpenAI-style, and exits 0 on SIGTERM', async () => {
    const port = await closedPort();
    const cli = spawnCli(['serve-baseline', '--port', String(port), '--policy', 'constant:B']);
    try {
      await waitFor(() => cli.stdout().includes('listening on'), 30_000, 'the URL line');
      expect(cli.stdout()).toContain(`http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST', body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'Q?\nA. a\nB. b' }] }),
      });
      const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
      expect(body.choices[0]!.message.content).toBe('B');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect((await cli.exit).code).toBe(0);
    expect(cli.stderr()).toMatch(/stopped after 1 requests/);
  });

  it('a busy port is a one-line error with exit 1, no stack trace', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    try {
      const cli = spawnCli(['serve-baseline', '--port', String(port)]);
      expect((await cli.exit).code).toBe(1);
      expect(cli.stderr().trim()).toBe(
        `medvlm-bench serve-baseline: port ${port} is in use (127.0.0.1:${port}); stop what holds it or pass another --port (0 = a free one)`);
    } finally {
      holder.close();
    }
  });

  it('rejects a bad fault spec with exit code 1 and the offending part', async () => {
    const cli = spawnCli(['serve-baseline', '--faults', '500:0.1,explode:0.5']);
    expect((await cli.exit).code).toBe(1);
    expect(cli.stderr()).toMatch(/unknown fault 'explode'/);
  });
});
