import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, ProofdropError } from '../src/index.js';
import { type FlakyProxy, startFlakyProxy } from './support/flaky-proxy.js';
import { giveawayWithParticipant, startProofdrop } from './support/proofdrop.js';

let proofdrop: { base: string };
let proxy: FlakyProxy;

beforeAll(async () => {
  proofdrop = await startProofdrop();
  proxy = await startFlakyProxy(proofdrop.base);
});
afterAll(() => proxy?.close());

/** A client through the proxy; short timeouts keep a hung attempt from slowing the file down. */
const clientFor = (apiKey: string, options: { maxRetries?: number } = {}) =>
  createClient({ apiKey, baseUrl: proxy.url, timeoutMs: 2_000, ...options });

describe('sendCallback through a flaky network, against the real server', () => {
  it('a lost answer after the server counted comes back duplicate, ok, and counts once', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [{ event: 'sign_up' }]);
    proxy.plan('lose_answer');
    const start = proxy.log.length;
    const verdict = await clientFor(shop.apiKey).sendCallback({
      trackId: shop.trackId,
      event: 'sign_up',
      remark: 'user-1',
    });
    expect(proxy.log.slice(start)).toEqual(['lose_answer', 'pass']);
    expect(verdict).toMatchObject({ ok: true, code: 'duplicate' });
    expect(await shop.progress()).toEqual({ eligible: true, counts: { sign_up: 1 } });
  });

  it('a v2 retry of a remark-less count whose answer got lost comes back duplicate, though seconds passed', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [{ event: 'play', requiredAmount: 5 }]);
    // Each reading of the clock is a second later than the one before.
    const start = Date.now();
    let readings = 0;
    const client = createClient({
      apiKey: shop.apiKey,
      baseUrl: proxy.url,
      timeoutMs: 2_000,
      signatureVersion: 'v2',
      now: () => start + 1_000 * readings++,
    });
    proxy.plan('lose_answer');
    const verdict = await client.sendCallback({ trackId: shop.trackId, event: 'play' });
    expect(verdict).toMatchObject({ ok: true, code: 'duplicate' });
    expect(await shop.progress()).toEqual({ eligible: false, counts: { play: 1 } });
  });

  it('503s, a reset connection, a hung attempt and a 429 with Retry-After are retried; each like counts once', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [
      { event: 'like_article', requiredAmount: 3 },
    ]);
    const client = clientFor(shop.apiKey);
    const like = (article: string) =>
      client.sendCallback({ trackId: shop.trackId, event: 'like_article', remark: article });

    const start = proxy.log.length;
    proxy.plan('unavailable', 'reset', 'unavailable');
    expect(await like('article-1')).toEqual({
      ok: true,
      code: 'recorded',
      message: 'counted 1 of 3',
      progress: { count: 1, required: 3 },
    });
    proxy.plan('rate_limited');
    expect(await like('article-2')).toMatchObject({
      ok: true,
      code: 'recorded',
      progress: { count: 2, required: 3 },
    });
    proxy.plan('hang', 'lose_answer');
    expect(await like('article-3')).toMatchObject({ ok: true, code: 'duplicate' });
    expect(proxy.log.slice(start)).toEqual([
      ...['unavailable', 'reset', 'unavailable', 'pass'],
      ...['rate_limited', 'pass'],
      ...['hang', 'lose_answer', 'pass'],
    ]);
    expect(await shop.progress()).toEqual({ eligible: true, counts: { like_article: 3 } });
  });

  it('the count is exact when many distinct callbacks meet every kind of failure at once', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [{ event: 'purchase', requiredAmount: 100 }]);
    const failures = ['unavailable', 'reset', 'lose_answer', 'rate_limited'] as const;
    // Every first attempt fails, in turn each way, and every third request's retry fails once more.
    proxy.decideBy((n, repeats) =>
      repeats === 0 ? failures[n % failures.length] : repeats === 1 && n % 3 === 0 ? 'unavailable' : 'pass',
    );
    const client = clientFor(shop.apiKey);
    const orders = Array.from({ length: 30 }, (_, i) => `order-${i + 1}`);
    const outcomes = await Promise.allSettled(
      orders.map((order) => client.sendCallback({ trackId: shop.trackId, event: 'purchase', remark: order })),
    );
    proxy.decideBy(undefined);
    const verdicts = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason));
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    const codes = new Set(verdicts.map((v) => v.code));
    expect(codes).toEqual(new Set(['recorded', 'duplicate']));
    expect(await shop.progress()).toEqual({ eligible: false, counts: { purchase: 30 } });
  });

  it('a refusal resolves with its verdict at once: it is not retried', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [{ event: 'sign_up' }]);
    const start = proxy.log.length;
    const wrongKey = clientFor('x'.repeat(64));
    expect(await wrongKey.sendCallback({ trackId: shop.trackId, event: 'sign_up' })).toMatchObject({
      ok: false,
      code: 'invalid_signature',
    });
    expect(
      await clientFor(shop.apiKey).sendCallback({ trackId: shop.trackId, event: 'deposit' }),
    ).toMatchObject({
      ok: false,
      code: 'unknown_event',
    });
    expect(
      await clientFor(shop.apiKey).sendCallback({ trackId: 'no-such-track', event: 'sign_up' }),
    ).toMatchObject({ ok: false, code: 'unknown_track_id' });
    expect(proxy.log.length - start).toBe(3);
    expect(await shop.progress()).toEqual({ eligible: false, counts: { sign_up: 0 } });
  });

  it('rejects with ProofdropError once the retries are spent, having counted nothing', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [{ event: 'deposit' }]);
    proxy.plan('unavailable', 'reset', 'unavailable');
    const error = await clientFor(shop.apiKey, { maxRetries: 2 })
      .sendCallback({ trackId: shop.trackId, event: 'deposit', remark: 'dep-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProofdropError);
    expect(error).toMatchObject({ code: 'server_error', status: 503, attempts: 3 });
    expect(await shop.progress()).toEqual({ eligible: false, counts: { deposit: 0 } });

    // The caller tries again later, with the same remark: now it counts, once.
    expect(
      await clientFor(shop.apiKey).sendCallback({ trackId: shop.trackId, event: 'deposit', remark: 'dep-1' }),
    ).toMatchObject({ ok: true, code: 'completed', eligible: true });
    expect(await shop.progress()).toEqual({ eligible: true, counts: { deposit: 1 } });
  });
});
