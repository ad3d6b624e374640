import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SecretBox } from '../src/secrets/secret-box.js';
import {
  bearer,
  join,
  liveGiveaway,
  postCallback,
  signedCallback,
  startServer,
  type TestServer,
  testEngine,
  trackIdFor,
} from './support.js';

const LOOPBACK_RECEIVERS = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };
const SEALED = /^enc:v1:[A-Za-z0-9_-]+$/;

/** What the database holds, column by column, for every secret we keep. */
async function rawSecrets(server: TestServer): Promise<string[]> {
  const { db } = server;
  const projects = await db.selectFrom('projects').select(['api_key', 'previous_api_key']).execute();
  const endpoints = await db.selectFrom('webhook_endpoints').select(['secret', 'previous_secret']).execute();
  const draws = await db.selectFrom('giveaway_draws').select('seed').execute();
  const own = await db.selectFrom('server_secrets').select('value').execute();
  return [
    ...projects.flatMap((p) => [p.api_key, p.previous_api_key]),
    ...endpoints.flatMap((e) => [e.secret, e.previous_secret]),
    ...draws.map((d) => d.seed),
    ...own.map((s) => s.value),
  ].filter((value): value is string => value !== null);
}

/** The SQLite database file and its WAL, as bytes a thief with a copy of ./data would read. */
function sqliteBytes(server: TestServer): string {
  const file = server.databaseUrl.slice('sqlite:'.length);
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

async function webhookSecret(server: TestServer, token: string, projectId: string): Promise<string> {
  const res = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/webhooks`,
    headers: bearer(token),
    payload: { url: 'http://127.0.0.1:9/hooks' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().secret;
}

describe(`secrets at rest (${testEngine})`, () => {
  it('stores API keys, webhook secrets and draw seeds sealed, and they still verify and sign', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const auth = bearer(fixture.host.token);
    const firstSecret = await webhookSecret(server, fixture.host.token, fixture.projectId);
    const endpointId = (
      await server.request({ url: `/api/v1/projects/${fixture.projectId}/webhooks`, headers: auth })
    ).json().endpoints[0].id;
    const rotatedSecret = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/rotate-secret`,
      headers: auth,
    });
    expect(rotatedSecret.statusCode, rotatedSecret.body).toBe(200);
    const secret: string = rotatedSecret.json().secret;
    expect(secret).not.toBe(firstSecret);
    const rotated = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/api-key/rotate`,
      headers: auth,
      payload: {},
    });
    const newKey: string = rotated.json().apiKey;
    const fan = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, fan, fixture.tasks[0].id);
    // The old key verifies during its grace period, the new one from now on: both are read back sealed.
    const byOld = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up', 'a'));
    expect(byOld.json().code).toBe('completed');
    const byNew = await postCallback(server, signedCallback(newKey, trackId, 'sign_up', 'b'));
    expect(byNew.json().code).toBe('duplicate');
    const project = await server.request({ url: `/api/v1/projects/${fixture.projectId}`, headers: auth });
    expect(project.json().apiKey).toBe(newKey);

    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: auth,
    });
    const drawn = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
      headers: auth,
    });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const seed: string = drawn.json().proof.seed;
    expect(seed).toMatch(/^[0-9a-f]{64}$/);

    const stored = await rawSecrets(server);
    expect(stored.length).toBeGreaterThanOrEqual(5);
    for (const value of stored) expect(value).toMatch(SEALED);
    const plaintexts = [fixture.apiKey, newKey, firstSecret, secret, secret.slice('whsec_'.length), seed];
    for (const plaintext of plaintexts) expect(stored.join('\n')).not.toContain(plaintext);
    if (testEngine === 'sqlite') {
      const bytes = sqliteBytes(server);
      for (const plaintext of plaintexts) expect(bytes).not.toContain(plaintext);
      const keyFile = path.join(path.dirname(server.databaseUrl.slice('sqlite:'.length)), 'secret.key');
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    }
  });

  it('the callback path opens a project key once into its cache, not on every callback', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'like', requiredAmount: 100 }] });
    const fan = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, fan, fixture.tasks[0].id);
    const { api_key: sealedKey } = await server.db
      .selectFrom('projects')
      .select('api_key')
      .where('id', '=', fixture.projectId)
      .executeTakeFirstOrThrow();
    // The spy sees every server of this file: the first test's may still be delivering its webhooks, each
    // opening its endpoint's secret. Only this project's key counts.
    const opens = vi.spyOn(SecretBox.prototype, 'open');
    for (let i = 0; i < 20; i++) {
      const res = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like', `unit ${i}`));
      expect(res.json().code).toBe('recorded');
    }
    expect(opens.mock.calls.filter(([sealed]) => sealed === sealedKey).length).toBeLessThanOrEqual(1);
    opens.mockRestore();
  });

  it('seals the plaintext secrets of an older database on start, and they keep working', async () => {
    const first = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(first);
    await webhookSecret(first, fixture.host.token, fixture.projectId);
    const fan = await join(first, fixture.slug);
    const trackId = await trackIdFor(first, fan, fixture.tasks[0].id);
    // What a version before sealing left behind: every secret in plaintext.
    const oldKey = 'K'.repeat(64);
    const oldSecret = `whsec_${Buffer.alloc(24, 3).toString('base64')}`;
    const oldSeed = 'ab'.repeat(32);
    await first.db.updateTable('projects').set({ api_key: oldKey }).execute();
    await first.db.updateTable('webhook_endpoints').set({ secret: oldSecret }).execute();
    await first.db.updateTable('giveaway_draws').set({ seed: oldSeed }).execute();
    await first.db.updateTable('server_secrets').set({ value: 'an-old-cookie-secret' }).execute();
    await first.close();

    const second = await startServer(LOOPBACK_RECEIVERS, first.databaseUrl);
    for (const value of await rawSecrets(second)) expect(value).toMatch(SEALED);
    const callback = await postCallback(second, signedCallback(oldKey, trackId, 'sign_up'));
    expect(callback.json().code).toBe('completed');
    const endpoints = await second.request({
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
    });
    expect(endpoints.json().endpoints[0].secret).toBe(oldSecret);
    if (testEngine === 'sqlite') {
      const bytes = sqliteBytes(second);
      for (const plaintext of [oldKey, oldSecret.slice('whsec_'.length), oldSeed, 'an-old-cookie-secret'])
        expect(bytes).not.toContain(plaintext);
    }
    await second.close();

    // Sealing twice would lock the data away: a third start finds everything sealed and changes nothing.
    const third = await startServer(LOOPBACK_RECEIVERS, first.databaseUrl);
    expect((await postCallback(third, signedCallback(oldKey, trackId, 'sign_up'))).json().code).toBe(
      'duplicate',
    );
  });

  it('stops the start, naming the key, when the master key does not open the database', async () => {
    const first = await startServer();
    await liveGiveaway(first);
    await first.close();
    const otherKey = Buffer.alloc(32, 9).toString('base64');
    await expect(startServer({ SECRET_KEY: otherKey }, first.databaseUrl)).rejects.toThrow(
      /SECRET_KEY does not open the secrets this database holds/,
    );
    if (testEngine === 'sqlite') {
      const keyFile = path.join(path.dirname(first.databaseUrl.slice('sqlite:'.length)), 'secret.key');
      fs.rmSync(keyFile);
      await expect(startServer({}, first.databaseUrl)).rejects.toThrow(/secret\.key is missing/);
      expect(fs.existsSync(keyFile)).toBe(false);
    }
  });
});
