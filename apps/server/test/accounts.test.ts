import { describe, expect, it } from 'vitest';
import { updatePasswordHash } from '../src/hosts/hosts.repository.js';
import { bearer, startServer, type TestServer, testEngine, uniqueEmail } from './support.js';

/** Closed sign-up with invite links, changing the password, signing out everywhere, purging old sessions. */

const PASSWORD = 'correct horse battery';

const signup = (server: TestServer, payload: Record<string, string>) =>
  server.request({ method: 'POST', url: '/api/v1/auth/signup', payload: { password: PASSWORD, ...payload } });
const login = (server: TestServer, email: string, password = PASSWORD) =>
  server.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
const inviteRequired = async (server: TestServer) =>
  (await server.request({ url: '/api/v1/auth/signup' })).json().inviteRequired;
const me = (server: TestServer, token: string) =>
  server.request({ url: '/api/v1/auth/me', headers: bearer(token) });

async function invite(server: TestServer, token: string): Promise<string> {
  const res = await server.request({ method: 'POST', url: '/api/v1/auth/invites', headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  expect(body.link).toBe(`http://localhost:3000/signup?invite=${body.token}`);
  return body.token;
}

describe(`closed sign-up (${testEngine})`, { timeout: 90_000 }, () => {
  it('takes a one-time, expiring invite link from an existing host; the first account needs none', async () => {
    const server = await startServer({ SIGNUP: 'closed' });
    expect(await inviteRequired(server)).toBe(false);
    const first = await signup(server, { email: uniqueEmail() });
    expect(first.statusCode, first.body).toBe(201);
    const owner = first.json().token;
    expect(await inviteRequired(server)).toBe(true);

    const uninvited = await signup(server, { email: uniqueEmail() });
    expect(uninvited.statusCode).toBe(403);
    expect(uninvited.json().message).toMatch(/invitation/);
    expect((await signup(server, { email: uniqueEmail(), invite: 'pdi_made-up' })).statusCode).toBe(403);
    expect((await server.request({ method: 'POST', url: '/api/v1/auth/invites' })).statusCode).toBe(401);

    const token = await invite(server, owner);
    expect((await signup(server, { email: uniqueEmail(), invite: token })).statusCode).toBe(201);
    const again = await signup(server, { email: uniqueEmail(), invite: token });
    expect(again.statusCode).toBe(403);
    expect(again.json().message).toMatch(/already used or expired/);

    const late = await invite(server, owner);
    server.clock.advance(7 * 24 * 3_600_000 + 1);
    expect((await signup(server, { email: uniqueEmail(), invite: late })).statusCode).toBe(403);
    expect(await server.db.selectFrom('hosts').select('id').execute()).toHaveLength(2);
  });

  it('an invite used by two sign-ups at once makes one account', async () => {
    const server = await startServer({ SIGNUP: 'closed' });
    const owner = (await signup(server, { email: uniqueEmail() })).json().token;
    const token = await invite(server, owner);
    const answers = await Promise.all([
      signup(server, { email: uniqueEmail(), invite: token }),
      signup(server, { email: uniqueEmail(), invite: token }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 403]);
    expect(await server.db.selectFrom('hosts').select('id').execute()).toHaveLength(2);
  });

  it('by default sign-up is open and an invite is not needed', async () => {
    const server = await startServer();
    await signup(server, { email: uniqueEmail() });
    expect(await inviteRequired(server)).toBe(false);
    expect((await signup(server, { email: uniqueEmail() })).statusCode).toBe(201);
  });
});

// Each sign-up, login and password change is a real scrypt hash, and a test here does up to seven, one
// after another: on a machine busy with Chromium that could outlast the default 30 s.
describe(`sessions (${testEngine})`, { timeout: 90_000 }, () => {
  it('changing the password needs the current one and ends every other session', async () => {
    const server = await startServer();
    const email = uniqueEmail();
    const here = (await signup(server, { email })).json().token;
    const elsewhere = (await login(server, email)).json().token;
    const change = (currentPassword: string, newPassword: string) =>
      server.request({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: bearer(here),
        payload: { currentPassword, newPassword },
      });

    const wrong = await change('not my password', 'a brand new password');
    expect(wrong.statusCode).toBe(403);
    expect((await change(PASSWORD, 'short')).statusCode).toBe(400);
    expect((await me(server, elsewhere)).statusCode).toBe(200);

    expect((await change(PASSWORD, 'a brand new password')).statusCode).toBe(204);
    expect((await me(server, here)).statusCode).toBe(200);
    expect((await me(server, elsewhere)).statusCode).toBe(401);
    expect((await login(server, email)).statusCode).toBe(401);
    expect((await login(server, email, 'a brand new password')).statusCode).toBe(200);
  });

  it('writes a new password only over the hash it checked, so a change or a re-hash meanwhile is not undone', async () => {
    const server = await startServer();
    const email = uniqueEmail();
    const { host } = (await signup(server, { email })).json();
    const read = () =>
      server.db
        .selectFrom('hosts')
        .select('password_hash')
        .where('id', '=', host.id)
        .executeTakeFirstOrThrow();
    const stale = (await read()).password_hash;
    expect(await updatePasswordHash(server.db, host.id, stale, 'first')).toBe(true);
    expect(await updatePasswordHash(server.db, host.id, stale, 'second')).toBe(false);
    expect((await read()).password_hash).toBe('first');
  });

  // Held in place with a row lock: both changes check the password, then wait to write (PostgreSQL only).
  it.runIf(testEngine === 'postgres')(
    'answers two password changes at once with one 204 and one 409',
    async () => {
      const server = await startServer();
      const email = uniqueEmail();
      const { token, host } = (await signup(server, { email })).json();
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const holding = server.db.transaction().execute(async (tx) => {
        await tx.selectFrom('hosts').select('id').where('id', '=', host.id).forUpdate().execute();
        await held;
      });
      const change = (newPassword: string) =>
        server.request({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: bearer(token),
          payload: { currentPassword: PASSWORD, newPassword },
        });
      const both = Promise.all([change('first new password'), change('second new password')]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      release();
      await holding;
      const answers = await both;
      expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 409]);
      const won = answers[0]?.statusCode === 204 ? 'first new password' : 'second new password';
      expect((await login(server, email, won)).statusCode).toBe(200);
    },
  );

  it('revoking signs the host out everywhere, this session included, and only this host', async () => {
    const server = await startServer();
    const email = uniqueEmail();
    const first = (await signup(server, { email })).json().token;
    const second = (await login(server, email)).json().token;
    const stranger = (await signup(server, { email: uniqueEmail() })).json().token;

    const revoked = await server.request({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke',
      headers: bearer(first),
    });
    expect(revoked.statusCode).toBe(204);
    expect(String(revoked.headers['set-cookie'])).toMatch(/pd_session=;/);
    expect((await me(server, first)).statusCode).toBe(401);
    expect((await me(server, second)).statusCode).toBe(401);
    expect((await me(server, stranger)).statusCode).toBe(200);
  });

  it('expired sessions are purged in the background', async () => {
    const server = await startServer();
    const email = uniqueEmail();
    await signup(server, { email });
    await login(server, email);
    const sessions = () => server.db.selectFrom('sessions').select('token_hash').execute();
    expect(await sessions()).toHaveLength(2);
    server.clock.advance(31 * 24 * 3_600_000);
    const fresh = (await login(server, email)).json().token;
    await expect.poll(async () => (await sessions()).length, { timeout: 10_000 }).toBe(1);
    expect((await me(server, fresh)).statusCode).toBe(200);
  });
});
