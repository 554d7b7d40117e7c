/**
 * Per-route cost for bench/worker.ts, measured on the local worker (workerd + local D1 through Miniflare):
 *   - wall: client-side latency of sequential requests over loopback (median, p99);
 *   - cpu: CPU time of the workerd process (utime + stime from /proc/<pid>/stat, 10 ms ticks) over all requests of
 *     a route divided by their count. It includes local D1's SQLite work and HTTP handling, which on Cloudflare
 *     run outside the Worker's CPU limit, so it is an upper bound of the Worker's CPU time;
 *   - the D1 side from the worker's X-D1-Stats header (set with D1_STATS=true, worker/src/d1-stats.ts): queries
 *     (each batch statement counted), rows read / written (D1's meta, the billed figures) and SQL time.
 * workerd freezes timers inside a request (like Cloudflare), so the worker cannot time its own CPU; the process
 * CPU counter is the honest local figure. Linux only (/proc).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The worker's X-D1-Stats header ("queries=3;rows_read=12;rows_written=0;sql_ms=0.40", worker/src/d1-stats.ts). */
interface D1Stats { queries: number; rowsRead: number; rowsWritten: number; sqlMs: number }
function parseStats(header: string | null): D1Stats | null {
  if (!header) return null;
  const kv = Object.fromEntries(header.split(';').map((p) => p.split('=') as [string, string]));
  return { queries: Number(kv.queries), rowsRead: Number(kv.rows_read), rowsWritten: Number(kv.rows_written), sqlMs: Number(kv.sql_ms) };
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

export function workerdPids(): Set<number> {
  const out = new Set<number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'workerd' && ppid === process.pid) out.add(Number(d));
    } catch { /* exited */ }
  }
  return out;
}

export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS; // fields 14 and 15 of stat: utime, stime
}

export interface RouteCost {
  route: string; n: number; wallMedian: number; wallP99: number; cpuPerRequest: number;
  queries: number; rowsRead: number; rowsWritten: number; sqlMs: number; status: number;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/**
 * Sends `n` requests one after another (`make(i)` builds the i-th) and attributes the workerd CPU of the whole
 * loop to them. The D1 figures are the largest any single request reported.
 */
export async function measureRoute(route: string, pid: number, n: number, make: (i: number) => Promise<Response>): Promise<RouteCost> {
  const walls: number[] = [];
  const stats: D1Stats[] = [];
  let status = 0;
  const cpu0 = cpuMs(pid);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await make(i);
    await res.arrayBuffer();
    walls.push(performance.now() - t);
    status = res.status;
    if (res.status >= 400) throw new Error(`${route}: ${res.status}`);
    const s = parseStats(res.headers.get('x-d1-stats'));
    if (s) stats.push(s);
  }
  const cpu = (cpuMs(pid) - cpu0) / n;
  const max = (k: keyof D1Stats) => Math.max(0, ...stats.map((s) => s[k]));
  return { route, n, wallMedian: pct(walls, 0.5), wallP99: pct(walls, 0.99), cpuPerRequest: cpu,
    queries: max('queries'), rowsRead: max('rowsRead'), rowsWritten: max('rowsWritten'), sqlMs: pct(stats.map((s) => s.sqlMs), 0.5), status };
}

/**
 * The table for bench/README.md. "Worker CPU est." = workerd CPU − queries × `perQuery` (the local D1 cost of one
 * simple query, which on Cloudflare is I/O, not Worker CPU); large reads cost locally more than one simple query,
 * so the estimate leans high.
 */
export function costTable(rows: RouteCost[], perQuery: number): string {
  const head = '| route | n | wall median / p99 ms | workerd CPU ms/req | Worker CPU est. ms | D1 queries | rows read | rows written | SQL ms |';
  const line = (r: RouteCost) => `| ${r.route} | ${r.n} | ${r.wallMedian.toFixed(1)} / ${r.wallP99.toFixed(1)} | ${r.cpuPerRequest.toFixed(1)} | ` +
    `${Math.max(0, r.cpuPerRequest - r.queries * perQuery).toFixed(1)} | ` +
    `${r.queries} | ${r.rowsRead.toLocaleString('en')} | ${r.rowsWritten.toLocaleString('en')} | ${r.sqlMs.toFixed(1)} |`;
  return [head, '|---|---:|---:|---:|---:|---:|---:|---:|---:|', ...rows.map(line)].join('\n');
}
