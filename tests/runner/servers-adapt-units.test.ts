/**
 * The pieces behind issue 11 cases 1–3, on the servers' literal words: context refusals as each server's source
 * words them (vLLM 0.9 and ≥ 0.10, SGLang, TGI, OpenAI), error bodies of every shape, and the adapter's one-way
 * changes (a refusal it cannot act on is never re-sent). Expected values are read off the messages by hand.
 */
import { describe, expect, it } from 'vitest';
import { DecodingAdapter, parseContextRefusal } from '../../action/src/runner/adapt.js';
import { errorBody, type AttemptOutcome } from '../../action/src/runner/http/client.js';
import { Diagnostics, errorReason } from '../../action/src/runner/diagnostics.js';

type Failure = Extract<AttemptOutcome, { ok: false }>;
const refusal = (status: number, message: string, param: string | null = null, code: string | null = null): Failure => ({
  ok: false, kind: 'http', retryable: false, fatal: false, message: `HTTP ${status}: ${message}`, retryAfterMs: null, status,
  serverMessage: message, param, code,
});
const requested = { temperature: 0, topP: null, maxTokens: 8192, seed: 42 };

describe('parseContextRefusal', () => {
  it.each([
    ["This model's maximum context length is 4096 tokens. However, you requested 8892 tokens (700 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.", { limit: 4096, prompt: 700, strict: false }],
    ["'max_tokens' or 'max_completion_tokens' is too large: 8192. This model's maximum context length is 4096 tokens and your request has 2778 input tokens (8192 > 4096 - 2778). None", { limit: 4096, prompt: 2778, strict: false }],
    ["Requested token count exceeds the model's maximum context length of 32768 tokens. You requested a total of 70000 tokens: 6000 tokens from the input messages and 64000 tokens for the completion. Please reduce the number of tokens in the input messages or the completion to fit within the limit.", { limit: 32768, prompt: 6000, strict: true }],
    ['`inputs` tokens + `max_new_tokens` must be <= 4096. Given: 1200 `inputs` tokens and 8192 `max_new_tokens`', { limit: 4096, prompt: 1200, strict: false }],
    ['`max_new_tokens` must be <= 2048. Given: 8192', { limit: 2048, prompt: 0, strict: false }],
    ['max_tokens is too large: 8192. This model supports at most 4096 completion tokens, whereas you provided 8192.', { limit: 4096, prompt: 0, strict: false }],
  ])('%s', (message, expected) => {
    expect(parseContextRefusal(message)).toEqual(expected);
  });

  it('other messages are not context refusals', () => {
    expect(parseContextRefusal('At most 1 image(s) may be provided in one request.')).toBeNull();
    expect(parseContextRefusal("The input (5000 tokens) is longer than the model's context length (4096 tokens).")).toBeNull();
  });
});

describe('errorBody', () => {
  it.each([
    ['{"object":"error","message":"bad","type":"BadRequestError","param":null,"code":400}', { message: 'bad', param: null, code: '400' }],
    ['{"error":{"message":"Unsupported parameter","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}', { message: 'Unsupported parameter', param: 'max_tokens', code: 'unsupported_parameter' }],
    ['{"error":"`top_p` must be > 0.0 and < 1.0","error_type":"validation"}', { message: '`top_p` must be > 0.0 and < 1.0', param: null, code: null }],
    ['{"detail":"Not Found"}', { message: 'Not Found', param: null, code: null }],
    ['{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}', { message: 'Loading model', param: null, code: '503' }],
  ])('%s', (text, expected) => {
    expect(errorBody(text)).toEqual(expected);
  });

  it('a completion or non-JSON is not an error body', () => {
    expect(errorBody('{"choices":[{"message":{"content":"A"}}]}')).toBeNull();
    expect(errorBody('<html>502 Bad Gateway</html>')).toBeNull();
  });
});

describe('DecodingAdapter', () => {
  it('budget: a refusal lowers it for everyone; a second refusal of a request already sent lower is not re-sent', () => {
    const a = new DecodingAdapter(requested);
    const sent = a.settings;
    const next = a.onRefusal(refusal(400, "This model's maximum context length is 4096 tokens. However, you requested 8892 tokens (700 in the messages, 8192 in the completion)."), sent);
    expect(next?.maxTokens).toBe(3396);
    expect(a.settings.maxTokens).toBe(3396);
    // the same refusal for the re-sent request would mean the numbers do not add up: no loop
    expect(a.onRefusal(refusal(400, "This model's maximum context length is 4096 tokens. However, you requested 4096 tokens (700 in the messages, 3396 in the completion)."), next!)).toBeNull();
  });

  it('a refusal the adapter cannot act on (400 about an image) is not re-sent; 500s are never adapted', () => {
    const a = new DecodingAdapter(requested);
    expect(a.onRefusal(refusal(400, 'At most 0 image(s) may be provided in one request.'), a.settings)).toBeNull();
    expect(a.onRefusal(refusal(500, 'Use \'max_completion_tokens\' instead.'), a.settings)).toBeNull();
    expect(a.effective()).toMatchObject({ maxTokens: 8192, maxTokensField: 'max_tokens', temperature: 0, changes: [] });
  });

  it('a request sent before another item adapted is re-sent once with the current settings', () => {
    const a = new DecodingAdapter(requested);
    const old = a.settings;
    a.onRefusal(refusal(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter'), old);
    const again = a.onRefusal(refusal(400, "Unsupported parameter: 'max_tokens' is not supported with this model.", 'max_tokens', 'unsupported_parameter'), old);
    expect(again?.wire).toEqual({ maxTokensField: 'max_completion_tokens', temperature: true });
  });

  it('fitContext: a quarter of the context (at most 1,024) is left for the prompt; a large context keeps the request', () => {
    const small = new DecodingAdapter(requested);
    small.fitContext(2048, '/v1/models');
    expect(small.settings.maxTokens).toBe(1536);
    const large = new DecodingAdapter(requested);
    large.fitContext(131_072, '/v1/models');
    expect(large.settings.maxTokens).toBe(8192);
  });
});

describe('Diagnostics', () => {
  it('groups reasons with their numbers aside and trips after the streak limit, reset by a success', () => {
    const d = new Diagnostics(3);
    expect(d.item('HTTP 400: prompt has 700 tokens (after 1 attempt)')).toBeNull();
    expect(d.item(null)).toBeNull();
    expect(d.item('HTTP 400: prompt has 701 tokens (after 1 attempt)')).toBeNull();
    expect(d.item('HTTP 400: prompt has 702 tokens (after 1 attempt)')).toBeNull();
    const trip = d.item('HTTP 400: prompt has 703 tokens (after 1 attempt)');
    expect(trip?.items).toBe(4);
    expect(d.report().errorReasons).toEqual([{ reason: 'HTTP 400: prompt has 700 tokens', count: 4 }]);
    expect(errorReason('HTTP 500: boom (after 6 attempts)')).toBe('HTTP 500: boom');
  });
});
