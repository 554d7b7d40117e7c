/**
 * A fake of the few GitHub REST endpoints the action calls, on loopback. Point Octokit at it with GITHUB_API_URL.
 * It keeps issue comments in memory (so "updated in place, not duplicated" can be checked) and records every request.
 * Like GitHub: a token listed in `users` is a personal token (GET /user answers its account); any other token acts
 * as the workflow's GITHUB_TOKEN (GET /user → 403, comments by github-actions[bot]); only a comment's author may
 * edit it (403 otherwise). A token in `readOnly` (a fork PR's GITHUB_TOKEN) may read but every write answers 403.
 * Comment lists are paged like GitHub's (`per_page` default 30, max 100; `page`; a Link header with rel="next").
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest { method: string; path: string; query: string; authorization: string | null; body: unknown }
export interface FakeUser { login: string; type: 'User' | 'Bot' }
export interface FakeComment { id: number; issue: number; body: string; user: FakeUser; viaApp?: string | null }

const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };
export interface FakeCheckRun { id: number; head_sha: string; name: string; conclusion: string; output: { title: string; summary: string } }

export interface FakeGithub {
  url: string;
  requests: RecordedRequest[];
  comments: FakeComment[];
  checkRuns: FakeCheckRun[];
  /** "base...head" → merge-base sha; a missing pair answers 404 like GitHub does for unknown commits */
  mergeBases: Map<string, string>;
  /** token → account for personal tokens */
  users: Map<string, FakeUser>;
  /** tokens that may only read (a fork PR's GITHUB_TOKEN): POST/PATCH answer 403 */
  readOnly: Set<string>;
  /** a comment written by someone else (e.g. a decoy that quotes the action's marker) */
  addComment(issue: number, body: string, user: FakeUser): FakeComment;
  close(): Promise<void>;
}

export async function startFakeGithub(): Promise<FakeGithub> {
  const state = {
    requests: [] as RecordedRequest[], comments: [] as FakeComment[], checkRuns: [] as FakeCheckRun[],
    mergeBases: new Map<string, string>(), users: new Map<string, FakeUser>(), readOnly: new Set<string>(),
  };
  let nextId = 1000;
  const addComment = (issue: number, body: string, user: FakeUser, viaApp: string | null = null) => {
    const c = { id: nextId++, issue, body, user, viaApp };
    state.comments.push(c);
    return c;
  };
  const server = createServer(async (req, res) => {
    const body = await readJson(req);
    const url = new URL(req.url ?? '/', 'http://x');
    state.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, authorization: req.headers.authorization ?? null, body });
    if (!req.headers.authorization) return send(res, 401, { message: 'Requires authentication' });
    const route = `${req.method} ${url.pathname}`;
    const token = req.headers.authorization.replace(/^(token|bearer)\s+/i, '');
    const caller = state.users.get(token) ?? null;
    if (req.method !== 'GET' && state.readOnly.has(token)) return send(res, 403, { message: 'Resource not accessible by integration' });
    let m: RegExpExecArray | null;
    if (route === 'GET /user') {
      return caller ? send(res, 200, { login: caller.login, type: caller.type }) : send(res, 403, { message: 'Resource not accessible by integration' });
    }
    if ((m = /^GET \/repos\/[^/]+\/[^/]+\/compare\/(.+)$/.exec(route))) {
      const sha = state.mergeBases.get(decodeURIComponent(m[1]!));
      return sha ? send(res, 200, { merge_base_commit: { sha }, commits: [], files: [] }) : send(res, 404, { message: 'Not Found' });
    }
    if ((m = /^GET \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(route))) {
      return sendPage(res, url, state.comments.filter((c) => c.issue === Number(m![1])).map(toApi));
    }
    if ((m = /^POST \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(route))) {
      const c = addComment(Number(m[1]), String((body as { body?: unknown }).body ?? ''), caller ?? ACTIONS_BOT, caller ? null : 'github-actions');
      return send(res, 201, toApi(c));
    }
    if ((m = /^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(route))) {
      const c = state.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(res, 404, { message: 'Not Found' });
      if (c.user.login !== (caller ?? ACTIONS_BOT).login) return send(res, 403, { message: 'Resource not accessible by integration' });
      c.body = String((body as { body?: unknown }).body ?? '');
      return send(res, 200, toApi(c));
    }
    if (/^POST \/repos\/[^/]+\/[^/]+\/check-runs$/.test(route)) {
      const run = { id: nextId++, ...(body as Omit<FakeCheckRun, 'id'>) };
      state.checkRuns.push(run);
      return send(res, 201, { ...run, html_url: `https://github.example/check-runs/${run.id}` });
    }
    return send(res, 404, { message: `fake GitHub has no route for ${route}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ...state,
    addComment: (issue, body, user) => addComment(issue, body, user),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function toApi(c: FakeComment) {
  return {
    id: c.id, body: c.body, html_url: `https://github.example/comments/${c.id}`, user: c.user,
    performed_via_github_app: c.viaApp ? { slug: c.viaApp } : null,
  };
}

/** One page of a list, as GitHub pages it: `per_page` (default 30, at most 100) and `page`, Link rel="next" while more remain. */
function sendPage(res: ServerResponse, url: URL, all: unknown[]): void {
  const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(url.toString());
    u.searchParams.set('page', String(p));
    return `<http://${res.req.headers.host}${u.pathname}${u.search}>; rel="${rel}"`;
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (page < last) headers.link = [link(page + 1, 'next'), link(last, 'last')].join(', ');
  res.writeHead(200, headers);
  res.end(JSON.stringify(all.slice((page - 1) * perPage, page * perPage)));
}

function send(res: ServerResponse, status: number, data: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(data));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
