/**
 * Bounded-concurrency scheduler: N workers pull tasks from one shared iterator. Tasks are produced lazily, so a
 * 100,000-item run never holds more than N items (and their images) in memory at once — unlike mapping every item
 * to a promise up front. The first worker error aborts the others and is rethrown.
 */
import { setMaxListeners } from 'node:events';

export async function runPool<T>(
  tasks: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  work: (task: T, signal: AbortSignal) => Promise<void>,
  outer?: AbortSignal,
): Promise<void> {
  const ctrl = new AbortController();
  // every in-flight request and backoff sleep listens on this signal: more than Node's default of 10
  setMaxListeners(0, ctrl.signal);
  const onOuterAbort = (): void => ctrl.abort(outer!.reason);
  if (outer?.aborted) ctrl.abort(outer.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const it = Symbol.asyncIterator in tasks ? tasks[Symbol.asyncIterator]() : (tasks as Iterable<T>)[Symbol.iterator]();
  let failure: { error: unknown } | null = null;
  // One pull at a time: async generators are not safe to call next() on concurrently from several workers.
  let pulling: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<T>> => {
    const p = pulling.then(() => it.next());
    pulling = p.catch(() => undefined);
    return p;
  };

  const worker = async (): Promise<void> => {
    while (!ctrl.signal.aborted) {
      const r = await next();
      if (r.done) return;
      await work(r.value, ctrl.signal);
    }
  };
  const workers = Array.from({ length: Math.max(1, concurrency) }, () =>
    worker().catch((error: unknown) => {
      if (!failure) failure = { error };
      ctrl.abort(error);
    }),
  );
  try {
    await Promise.all(workers);
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  if (failure) throw (failure as { error: unknown }).error;
  if (outer?.aborted) throw outer.reason;
}
