import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTransport, undiciTransport, type Transport } from '../../action/src/runner/http/transport.js';

/** Echoes the body's length + SHA-256 and content-length header; never answers /hang. */
let url = '';
let pending = 0;
/** /hang requests ever received */
let hangs = 0;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/hang') {
      hangs++;
      pending++;
      res.on('close', () => pending--);
      return;
    }
    const body = Buffer.concat(chunks);
    res.end(JSON.stringify({ length: body.length, header: Number(req.headers['content-length']), sha: createHash('sha256').update(body).digest('hex') }));
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe.each([['undici', () => undiciTransport(4)], ['fetch', () => fetchTransport(fetch)]] as Array<[string, () => Transport]>)('%s transport', (_name, make) => {
  it('sends chunked bodies byte for byte with the right content-length', async () => {
    const t = make();
    const chunks = ['{"a":"é",', Buffer.from('"b":"QUJD"'), '}'];
    const whole = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
    const r = await t.post(`${url}/echo`, chunks, {}, { timeoutMs: 5000 });
    expect(JSON.parse(r.text)).toEqual({ length: whole.length, header: whole.length, sha: createHash('sha256').update(whole).digest('hex') });
    t.close();
  });

  it('rejects with a TimeoutError when the whole request overruns, and frees the request', async () => {
    const t = make();
    const t0 = Date.now();
    await expect(t.post(`${url}/hang`, 'x', {}, { timeoutMs: 150 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect.poll(() => pending).toBe(0);
    t.close();
  });

  it('aborts every request in flight when the run signal aborts, and refuses new ones', async () => {
    const t = make();
    const ctrl = new AbortController();
    const reason = new Error('run stopped');
    const inFlight = [1, 2, 3].map(() => t.post(`${url}/hang`, 'x', {}, { timeoutMs: 60_000, signal: ctrl.signal }));
    await expect.poll(() => pending).toBe(3);
    ctrl.abort(reason);
    for (const p of inFlight) await expect(p).rejects.toBe(reason);
    await expect(t.post(`${url}/echo`, 'x', {}, { timeoutMs: 5000, signal: ctrl.signal })).rejects.toBe(reason);
    await expect.poll(() => pending).toBe(0);
    t.close();
  });
});

describe('undici transport with more requests than connections', () => {
  it('refuses a header with a line break at once, and the pool keeps serving (undici alone would leave it stuck)', async () => {
    const t = undiciTransport(1);
    const t0 = Date.now();
    await expect(t.post(`${url}/echo`, 'x', { 'x-bad': 'a\r\nb' }, { timeoutMs: 60_000 })).rejects.toThrow(/header/i);
    expect(Date.now() - t0).toBeLessThan(1000);
    const r = await t.post(`${url}/echo`, 'ok', {}, { timeoutMs: 5000 });
    expect(JSON.parse(r.text).length).toBe(2);
    t.close();
  });

  it('aborts a request still queued for a connection as well as the one in flight', async () => {
    const t = undiciTransport(1);
    const hangsBefore = hangs;
    const ctrl = new AbortController();
    const reason = new Error('run stopped');
    const first = t.post(`${url}/hang`, 'x', {}, { timeoutMs: 60_000, signal: ctrl.signal });
    const queued = t.post(`${url}/hang`, 'y', {}, { timeoutMs: 60_000, signal: ctrl.signal });
    await expect.poll(() => pending).toBe(1); // one connection: the second waits in undici's queue
    ctrl.abort(reason);
    await expect(first).rejects.toBe(reason);
    await expect(queued).rejects.toBe(reason);
    await expect.poll(() => pending).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(hangs - hangsBefore).toBe(1); // the queued request was never sent
    const r = await t.post(`${url}/echo`, 'z', {}, { timeoutMs: 5000 }); // the pool still serves new requests
    expect(JSON.parse(r.text).length).toBe(1);
    t.close();
  });
});
