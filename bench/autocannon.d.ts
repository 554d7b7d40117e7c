/** The slice of autocannon's programmatic API the runner benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface Request { method?: string; path?: string; body?: string; headers?: Record<string, string> }
  interface Options {
    url: string;
    connections?: number;
    amount?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: Request[];
    /** worker threads firing requests (connections are divided among them) */
    workers?: number;
    pipelining?: number;
  }
  interface Result {
    duration: number;
    errors: number;
    non2xx: number;
    requests: { total: number; average: number };
  }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
