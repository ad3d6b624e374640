import { beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';
import { api, giveawayWithParticipant, startProofdrop } from './support/proofdrop.js';

let proofdrop: { base: string };

beforeAll(async () => {
  proofdrop = await startProofdrop();
});

type Shop = Awaited<ReturnType<typeof giveawayWithParticipant>>;

const requireV2 = (shop: Shop) =>
  api(proofdrop.base, 'PATCH', `/api/v1/projects/${shop.projectId}`, {
    token: shop.hostToken,
    body: { signatureVersion: 'v2' },
  });

const client = (shop: Shop, options: { signatureVersion?: 'v1' | 'v2'; now?: () => number } = {}) =>
  createClient({ apiKey: shop.apiKey, baseUrl: proofdrop.base, maxRetries: 0, ...options });

describe('v2 signatures against the real server', () => {
  it('a project that requires v2 refuses a v1 client and counts the v2 client', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [
      { event: 'like_article', requiredAmount: 2 },
    ]);
    await requireV2(shop);
    const like = { trackId: shop.trackId, event: 'like_article', remark: 'article-1' };

    expect(await client(shop).sendCallback(like)).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(await shop.progress()).toEqual({ eligible: false, counts: { like_article: 0 } });

    const v2 = client(shop, { signatureVersion: 'v2' });
    expect(await v2.sendCallback(like)).toMatchObject({ ok: true, progress: { count: 1, required: 2 } });
    expect(await v2.sendCallback(like)).toMatchObject({ ok: true, code: 'duplicate' });
    expect(await shop.progress()).toEqual({ eligible: false, counts: { like_article: 1 } });
  });

  it('a v2 client works on a project that still accepts v1', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [{ event: 'sign_up' }]);
    const verdict = await client(shop, { signatureVersion: 'v2' }).sendCallback({
      trackId: shop.trackId,
      event: 'sign_up',
      remark: 'user-1',
    });
    expect(verdict).toMatchObject({ ok: true, code: 'completed', eligible: true });
    expect(await shop.progress()).toEqual({ eligible: true, counts: { sign_up: 1 } });
  });

  it('a v2 callback dated beyond the 5-minute window is refused stale_timestamp and not counted', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [{ event: 'sign_up' }]);
    const tenMinutesAgo = () => Date.now() - 10 * 60_000;
    const verdict = await client(shop, { signatureVersion: 'v2', now: tenMinutesAgo }).sendCallback({
      trackId: shop.trackId,
      event: 'sign_up',
      remark: 'user-1',
    });
    expect(verdict).toMatchObject({ ok: false, code: 'stale_timestamp' });
    expect(await shop.progress()).toEqual({ eligible: false, counts: { sign_up: 0 } });
  });

  it('a v1 client dates a remark ending like a ts, which only a v2 callback may sign, and it counts', async () => {
    const shop = await giveawayWithParticipant(proofdrop.base, [
      { event: 'like_article', requiredAmount: 2 },
    ]);
    const verdict = await client(shop).sendCallback({
      trackId: shop.trackId,
      event: 'like_article',
      remark: 'article-1&ts=1700000000',
    });
    expect(verdict).toMatchObject({ ok: true, code: 'recorded', progress: { count: 1, required: 2 } });
  });
});
