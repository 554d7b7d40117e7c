/**
 * Load generators and CPU accounting for bench/runner-overhead.ts: wrk (C, a Lua script cycling pre-formatted
 * requests) and autocannon (worker threads), both sending exactly the bodies they are given; per-phase CPU of this
 * process, of finished children (wrk) and of the server, and the machine's idle time, from /proc (Linux).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

export interface Target {
  /** http://host:port */
  url: string;
  /** request path, e.g. /v1/chat/completions */
  path: string;
  connections: number;
  threads: number;
  /** folder for wrk's body files and script */
  scratch: string;
}

export interface PhaseResult {
  rate: number;
  count: number;
}

/** One measured phase of one client: totals, so rounds can be summed before dividing. */
export interface Sample {
  count: number;
  /** the client's own active time (wrk reports its rate over its run, without its init) */
  seconds: number;
  wallMs: number;
  clientUs: number | null;
  serverMs: number | null;
  idleMs: number | null;
}

/** Two fields of a /proc/<pid>/stat file, summed, in ms (clock ticks, USER_HZ = 100); null when it is absent. */
function statTicksMs(file: string, first: number): number | null {
  if (!existsSync(file)) return null;
  const f = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[first]) + Number(f[first + 1])) * 1000) / 100;
}

/** CPU time of a process in ms from /proc (Linux), null elsewhere: utime + stime. */
export function procCpuMs(pid: number): number | null {
  return statTicksMs(`/proc/${pid}/stat`, 11);
}

/** CPU time of this process's finished (waited-for) children in ms: wrk's, once it has exited (cutime + cstime). */
function childrenCpuMs(): number {
  return statTicksMs('/proc/self/stat', 13) ?? NaN;
}

/** Idle CPU time of the whole machine in ms (all cores), null off Linux. */
function machineIdleMs(): number | null {
  if (!existsSync('/proc/stat')) return null;
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((f[3]! + f[4]!) * 1000) / 100;
}

/** Runs one phase; the client runs in this process (the runner, autocannon's threads) or as a child (wrk). */
export async function measure(serverPid: number, client: 'self' | 'child', phase: () => Promise<PhaseResult>): Promise<Sample> {
  const [cpu0, child0, srv0, idle0, t0] = [process.cpuUsage(), childrenCpuMs(), procCpuMs(serverPid), machineIdleMs(), performance.now()];
  const { rate, count } = await phase();
  const [cpu, child1, srv1, idle1, wallMs] = [process.cpuUsage(cpu0), childrenCpuMs(), procCpuMs(serverPid), machineIdleMs(), performance.now() - t0];
  const clientUs = client === 'self' ? cpu.user + cpu.system : (child1 - child0) * 1000;
  return {
    count, seconds: count / rate, wallMs,
    clientUs: Number.isFinite(clientUs) ? clientUs : null,
    serverMs: srv0 === null || srv1 === null ? null : srv1 - srv0,
    idleMs: idle0 === null || idle1 === null ? null : idle1 - idle0,
  };
}

export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false; // wrk --version exits 1 but runs
  }
  return true;
}

/**
 * Writes the bodies and a Lua script that formats every request once in init and then cycles them. wrk runs each
 * thread's init on its main thread and starts that thread at once, but starts its clock only after the last thread
 * was created: with 4,048 bodies of 100 kB an init takes ~0.7 s, during which earlier threads send requests that
 * are counted but not timed (2 threads, 20 ms server delay: 1,649 req/s reported against a 1,600 req/s ceiling).
 * So each thread's first request() waits until every thread has finished its init (a ready file per thread);
 * `threads` in the script must equal wrk's -t.
 */
export function wrkScript(t: Target, bodies: Buffer[]): string {
  const dir = mkdtempSync(path.join(t.scratch, 'wrk-'));
  bodies.forEach((b, i) => writeFileSync(path.join(dir, `${i}.json`), b));
  const script = path.join(dir, 'bodies.lua');
  writeFileSync(script, [
    'local reqs, n, started, threads = {}, 0, false, 0',
    'function setup(thread)',
    '  thread:set("id", threads)',
    '  threads = threads + 1',
    'end',
    'function init(args)',
    `  for i = 0, ${bodies.length - 1} do`,
    `    local f = io.open("${dir}/" .. i .. ".json", "rb")`,
    `    reqs[i + 1] = wrk.format("POST", "${t.path}", { ["Content-Type"] = "application/json" }, f:read("*a"))`,
    '    f:close()',
    '  end',
    `  io.open("${dir}/ready-" .. id, "w"):close()`,
    'end',
    'local function allReady()',
    `  for i = 0, ${t.threads - 1} do`,
    `    local f = io.open("${dir}/ready-" .. i, "r")`,
    '    if not f then return false end',
    '    f:close()',
    '  end',
    '  return true',
    'end',
    'local calls = 0',
    'function request()',
    '  calls = calls + 1',
    '  -- wrk calls thread 0\'s request() once on its main thread, to check for pipelining: that call must not wait',
    '  while not started and not (id == 0 and calls == 1) do',
    '    started = allReady()',
    '    if not started then os.execute("sleep 0.005") end',
    '  end',
    `  n = n % ${bodies.length} + 1`,
    '  return reqs[n]',
    'end',
  ].join('\n'));
  return script;
}

export function wrkRate(t: Target, script: string, seconds: number): PhaseResult {
  for (let i = 0; i < t.threads; i++) rmSync(path.join(path.dirname(script), `ready-${i}`), { force: true }); // a new barrier per run
  const out = execFileSync('wrk', ['-t', String(t.threads), '-c', String(t.connections), '-d', `${seconds}s`, '-s', script, `${t.url}${t.path}`], { encoding: 'utf8' });
  const bad = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (bad) console.log(`wrk: ${bad[1]} non-2xx responses`);
  return { rate: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN), count: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN) };
}

export async function autocannonRate(t: Target, bodies: Buffer[], seconds: number): Promise<PhaseResult> {
  const t0 = performance.now();
  const result = await autocannon({
    url: `${t.url}${t.path}`,
    connections: t.connections,
    duration: seconds,
    workers: t.threads,
    headers: { 'content-type': 'application/json' },
    requests: bodies.map((body) => ({ method: 'POST', path: t.path, body: body.toString('utf8') })),
  });
  const wall = (performance.now() - t0) / 1000;
  if (result.non2xx > 0 || result.errors > 0) console.log(`autocannon: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rate: result.requests.total / wall, count: result.requests.total };
}
