import { canonicalString, hmacHex } from '@proofdrop/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, ProofdropError, sign } from '../src/index.js';

const apiKey = 'k'.repeat(64);
const baseUrl = 'https://proofdrop.test';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** A fetch that plays the given outcomes in order and records what it was asked. */
function scriptedFetch(...outcomes: (Response | Error | 'hang')[]) {
  const calls: { url: string; body: unknown }[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    const outcome = outcomes.shift();
    if (outcome === undefined) throw new Error('no more scripted answers');
    if (outcome === 'hang') {
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    }
    if (outcome instanceof Error) throw outcome;
    return outcome;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const completed = {
  ok: true,
  code: 'completed',
  message: 'task completed',
  progress: { count: 1, required: 1 },
};

describe('sendCallback', () => {
  beforeEach(() => {
    // No jitter: retries run at once, so these tests do not wait on the backoff.
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('posts the signed body to /api/callback and resolves with the verdict', async () => {
    const { fetch, calls } = scriptedFetch(answer(200, completed));
    const client = createClient({ apiKey, baseUrl: `${baseUrl}/proofdrop`, fetch });
    const verdict = await client.sendCallback({ trackId: 'tr_1', event: 'sign_up', remark: 'user-1' });
    expect(verdict).toEqual(completed);
    expect(calls).toEqual([
      {
        url: `${baseUrl}/proofdrop/api/callback`,
        body: {
          track_id: 'tr_1',
          event: 'sign_up',
          remark: 'user-1',
          sign: sign(apiKey, { trackId: 'tr_1', event: 'sign_up', remark: 'user-1' }),
        },
      },
    ]);
  });

  it('sends no remark field when the call has none', async () => {
    const { fetch, calls } = scriptedFetch(answer(200, completed));
    await createClient({ apiKey, baseUrl, fetch }).sendCallback({ trackId: 'tr_1', event: 'sign_up' });
    expect(Object.keys(calls[0]?.body as object)).toEqual(['track_id', 'event', 'sign']);
  });

  it('resolves a refusal as a verdict with ok false, without retrying it', async () => {
    for (const [status, code] of [
      [401, 'invalid_signature'],
      [404, 'unknown_track_id'],
      [422, 'unknown_event'],
      [409, 'giveaway_not_live'],
      [400, 'invalid_request'],
    ] as const) {
      const { fetch, calls } = scriptedFetch(answer(status, { ok: false, code, message: 'no' }));
      const verdict = await createClient({ apiKey, baseUrl, fetch }).sendCallback({
        trackId: 't',
        event: 'e',
      });
      expect(verdict).toEqual({ ok: false, code, message: 'no' });
      expect(calls).toHaveLength(1);
    }
  });

  it('retries network errors, timeouts and 5xx, then resolves with the verdict', async () => {
    const { fetch, calls } = scriptedFetch(
      new TypeError('fetch failed'),
      'hang',
      answer(503, { ok: false, code: 'unavailable', message: 'busy' }),
      answer(200, completed),
    );
    const client = createClient({ apiKey, baseUrl, fetch, timeoutMs: 20 });
    expect(await client.sendCallback({ trackId: 't', event: 'e' })).toEqual(completed);
    expect(calls).toHaveLength(4);
    // Every attempt sends the very same body, so a retry of a counted callback is a duplicate.
    expect(new Set(calls.map((c) => JSON.stringify(c.body))).size).toBe(1);
  });

  it('rejects with the last failure once maxRetries retries are spent', async () => {
    const { fetch, calls } = scriptedFetch(
      answer(500, 'oops'),
      answer(502, 'oops'),
      answer(503, 'oops'),
      answer(504, 'oops'),
    );
    const sent = createClient({ apiKey, baseUrl, fetch }).sendCallback({ trackId: 't', event: 'e' });
    await expect(sent).rejects.toMatchObject({
      name: 'ProofdropError',
      code: 'server_error',
      status: 504,
      attempts: 4,
    });
    expect(calls).toHaveLength(4);
  });

  it('names a timeout and a network error as such when they are the last failure', async () => {
    const timedOut = createClient({
      apiKey,
      baseUrl,
      fetch: scriptedFetch('hang').fetch,
      maxRetries: 0,
      timeoutMs: 10,
    });
    await expect(timedOut.sendCallback({ trackId: 't', event: 'e' })).rejects.toMatchObject({
      code: 'timeout',
    });
    const unreachable = createClient({
      apiKey,
      baseUrl,
      fetch: scriptedFetch(new TypeError('fetch failed')).fetch,
      maxRetries: 0,
    });
    await expect(unreachable.sendCallback({ trackId: 't', event: 'e' })).rejects.toMatchObject({
      code: 'network_error',
      attempts: 1,
    });
  });

  it('waits as long as a 429 Retry-After says before retrying', async () => {
    vi.useFakeTimers();
    const { fetch, calls } = scriptedFetch(
      answer(429, { ok: false, code: 'rate_limited', message: 'slow down' }, { 'retry-after': '7' }),
      answer(200, completed),
    );
    const sent = createClient({ apiKey, baseUrl, fetch }).sendCallback({ trackId: 't', event: 'e' });
    await vi.advanceTimersByTimeAsync(6_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(await sent).toEqual(completed);
  });

  it('rejects at once when something other than Proofdrop answers', async () => {
    const { fetch, calls } = scriptedFetch(answer(503, 'busy'), answer(404, '<html>Not Found</html>'));
    const sent = createClient({ apiKey, baseUrl, fetch }).sendCallback({ trackId: 't', event: 'e' });
    await expect(sent).rejects.toMatchObject({ code: 'unexpected_response', status: 404, attempts: 2 });
    expect(calls).toHaveLength(2);
  });

  it("takes Proofdrop's own answer on another path for a wrong baseUrl, not a verdict", async () => {
    const noRoute = { ok: false, code: 'not_found', message: 'no route POST /api/v1/api/callback' };
    const { fetch, calls } = scriptedFetch(answer(404, noRoute));
    const sent = createClient({ apiKey, baseUrl: `${baseUrl}/api/v1`, fetch }).sendCallback({
      trackId: 't',
      event: 'e',
    });
    await expect(sent).rejects.toMatchObject({
      code: 'unexpected_response',
      status: 404,
      message: expect.stringMatching(/not_found: no route POST .*is baseUrl right\?/),
    });
    expect(calls).toHaveLength(1);
  });

  it("keeps the last answer's message when every retry of a 429 is spent", async () => {
    const limited = { ok: false, code: 'rate_limited', message: 'too many callbacks for this track_id' };
    const { fetch } = scriptedFetch(answer(429, limited, { 'retry-after': '0' }));
    const sent = createClient({ apiKey, baseUrl, fetch, maxRetries: 0 }).sendCallback({
      trackId: 't',
      event: 'e',
    });
    await expect(sent).rejects.toMatchObject({
      code: 'rate_limited',
      status: 429,
      message: 'Proofdrop answered HTTP 429: too many callbacks for this track_id (gave up after 1 attempt)',
    });
  });

  it('refuses wrong options and arguments with invalid_options, before any request', async () => {
    const { fetch, calls } = scriptedFetch();
    const bad: unknown[] = [
      { apiKey: '', baseUrl, fetch },
      { apiKey, baseUrl: 'proofdrop.test', fetch },
      { apiKey, baseUrl: 'ftp://proofdrop.test', fetch },
      { apiKey, baseUrl, fetch, maxRetries: -1 },
      { apiKey, baseUrl, fetch, maxRetries: 1.5 },
      { apiKey, baseUrl, fetch, timeoutMs: 0 },
      { apiKey, baseUrl, fetch, signatureVersion: 'v3' },
      { apiKey, baseUrl, fetch, signatureVersion: 2 },
      { apiKey, baseUrl, fetch, now: 1_790_000_000_000 },
    ];
    for (const options of bad) {
      expect(() => createClient(options as never)).toThrow(ProofdropError);
    }
    const client = createClient({ apiKey, baseUrl, fetch });
    const badInputs = [{ event: 'e' }, { trackId: 't' }, { trackId: 't', event: 'e', remark: 4.2 }];
    for (const input of [...badInputs, { trackId: 't', event: 'e', remark: { id: 42 } }]) {
      await expect(client.sendCallback(input as never)).rejects.toMatchObject({ code: 'invalid_options' });
    }
    expect(calls).toHaveLength(0);
  });

  it('with signatureVersion v2, sends ts from the clock and signs the v2 canonical string', async () => {
    const { fetch, calls } = scriptedFetch(answer(200, completed));
    const client = createClient({
      apiKey,
      baseUrl,
      fetch,
      signatureVersion: 'v2',
      now: () => 1_790_000_000_999,
    });
    await client.sendCallback({ trackId: 'tr_1', event: 'sign_up', remark: 'user-1' });
    const expected = 'track_id=tr_1&event=sign_up&remark=user-1&ts=1790000000';
    expect(calls[0]?.body).toEqual({
      track_id: 'tr_1',
      event: 'sign_up',
      remark: 'user-1',
      ts: 1_790_000_000,
      sign: hmacHex(apiKey, expected),
    });
  });

  it('with signatureVersion v2, retries with the same bytes, and dates anew only a retry 4 minutes on', async () => {
    const start = 1_790_000_000_000;
    // Read to sign, then before each attempt, then to sign anew.
    const clock = [start, start + 4_000, start + 9_500, start + 100_000, start + 241_000, start + 241_000];
    const { fetch, calls } = scriptedFetch(
      new TypeError('fetch failed'),
      answer(503, { ok: false, code: 'unavailable', message: 'busy' }),
      answer(503, { ok: false, code: 'unavailable', message: 'busy' }),
      answer(200, completed),
    );
    const now = () => clock.shift() ?? Number.NaN;
    const client = createClient({ apiKey, baseUrl, fetch, signatureVersion: 'v2', now, maxRetries: 4 });
    expect(await client.sendCallback({ trackId: 't', event: 'e', remark: 'r' })).toEqual(completed);
    const bodies = calls.map((c) => c.body as { remark: string; ts: number; sign: string });
    expect(bodies.map((b) => b.ts)).toEqual([1_790_000_000, 1_790_000_000, 1_790_000_000, 1_790_000_241]);
    expect(bodies[1]).toEqual(bodies[0]);
    for (const body of bodies) {
      const v2 = canonicalString({ trackId: 't', event: 'e', remark: 'r', ts: String(body.ts) });
      expect(body.sign).toBe(hmacHex(apiKey, v2));
    }
  });

  it('sends a whole-number remark as its digits, signed as the same string', async () => {
    const { fetch, calls } = scriptedFetch(answer(200, completed));
    await createClient({ apiKey, baseUrl, fetch }).sendCallback({ trackId: 't', event: 'e', remark: 42 });
    expect(calls[0]?.body).toEqual({
      track_id: 't',
      event: 'e',
      remark: '42',
      sign: sign(apiKey, { trackId: 't', event: 'e', remark: '42' }),
    });
  });

  it('does not follow a redirect: it rejects, naming where baseUrl should point', async () => {
    const moved = new Response(null, {
      status: 301,
      headers: { location: 'https://proofdrop.test/api/callback' },
    });
    const { fetch, calls } = scriptedFetch(moved);
    const error = await createClient({ apiKey, baseUrl: 'http://proofdrop.test', fetch })
      .sendCallback({ trackId: 't', event: 'e' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unexpected_response', status: 301 });
    expect((error as Error).message).toMatch(/redirect to https:\/\/proofdrop\.test\/api\/callback/);
    expect(calls).toHaveLength(1);
    expect(vi.mocked(fetch).mock.calls[0]?.[1]).toMatchObject({ redirect: 'manual' });
  });

  it('signs v1 by default: no ts in the body', async () => {
    const { fetch, calls } = scriptedFetch(answer(200, completed));
    await createClient({ apiKey, baseUrl, fetch, now: () => 1 }).sendCallback({ trackId: 't', event: 'e' });
    expect(calls[0]?.body).toEqual({
      track_id: 't',
      event: 'e',
      sign: sign(apiKey, { trackId: 't', event: 'e' }),
    });
  });

  it('never puts the API key in an error', async () => {
    const { fetch } = scriptedFetch(new TypeError('fetch failed'));
    const error = await createClient({ apiKey, baseUrl, fetch, maxRetries: 0 })
      .sendCallback({ trackId: 't', event: 'e' })
      .catch((e: ProofdropError) => e);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(apiKey);
  });
});
