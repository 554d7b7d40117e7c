/**
 * A local HTTP server on 127.0.0.1 that serves dataset files the way the Hugging Face Hub does for
 * @huggingface/hub: revision lookup, tree listing, paths-info, and `resolve` downloads with Range support, ETags
 * and 401/404 error codes. Tests point HF_ENDPOINT at it; nothing leaves loopback.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HfRepoFixture {
  /** "owner/name" */
  repo: string;
  /** 40-hex commit the files live at; branch "main" resolves to it */
  commit: string;
  files: Record<string, Uint8Array | string>;
  /** when set, requests must carry `Authorization: Bearer <token>` or get 401 */
  token?: string;
}

export interface HfServer {
  url: string;
  /** every request as "METHOD /path" (query stripped), for asserting cache reuse */
  requests: string[];
  close(): Promise<void>;
}

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const bytesOf = (v: Uint8Array | string) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
}

/** Serves a file with optional `Range: bytes=a-b` as the Hub's resolve endpoint does. */
function sendFile(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array, commit: string): void {
  const headers = { ETag: `"${sha1(bytes)}"`, 'X-Repo-Commit': commit, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (m) {
    const start = Number(m[1]);
    const end = Math.min(m[2] ? Number(m[2]) : bytes.length - 1, bytes.length - 1);
    res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${bytes.length}`, 'Content-Length': String(end - start + 1) });
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(bytes.subarray(start, end + 1)));
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(req.method === 'HEAD' ? undefined : Buffer.from(bytes));
}

export async function startHfServer(fixtures: HfRepoFixture[]): Promise<HfServer> {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    requests.push(`${req.method} ${pathname}`);
    const m = /^\/(api\/)?datasets\/([^/]+\/[^/]+)\/(revision|tree|paths-info|resolve)\/([^/]+)\/?(.*)$/.exec(pathname);
    const fx = m ? fixtures.find((f) => f.repo === m[2]) : undefined;
    if (!m || !fx) return json(res, 404, { error: 'Repository not found' }, { 'X-Error-Code': 'RepositoryNotFound' });
    if (fx.token && req.headers.authorization !== `Bearer ${fx.token}`) {
      return json(res, 401, { error: 'Invalid credentials in Authorization header' }, { 'X-Error-Code': 'GatedRepo' });
    }
    const [, , , kind, rev, rest] = m;
    if (rev !== fx.commit && rev !== 'main') return json(res, 404, { error: `Invalid rev id: ${rev}` }, { 'X-Error-Code': 'RevisionNotFound' });
    const entries = Object.entries(fx.files).map(([path, v]) => ({ path, bytes: bytesOf(v) }));
    const info = (e: { path: string; bytes: Uint8Array }) => ({
      type: 'file', path: e.path, size: e.bytes.length, oid: sha1(e.bytes), lastCommit: { id: fx.commit, title: 'fixture', date: '2025-01-01T00:00:00Z' },
    });
    if (kind === 'revision') return json(res, 200, { id: fx.repo, sha: fx.commit });
    if (kind === 'tree') {
      const prefix = rest ? `${rest}/` : '';
      return json(res, 200, entries.filter((e) => e.path.startsWith(prefix)).map(info));
    }
    if (kind === 'paths-info') {
      const body = JSON.parse((await readBody(req)) || '{}') as { paths?: string[] };
      return json(res, 200, entries.filter((e) => body.paths?.includes(e.path)).map(info));
    }
    const file = entries.find((e) => e.path === rest);
    if (!file) return json(res, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' });
    sendFile(req, res, file.bytes, fx.commit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
