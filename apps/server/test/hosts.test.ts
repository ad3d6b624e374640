import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { HASH_COST } from '../src/hosts/password.js';
import { bearer, CHEAP_PASSWORD_HASHES, startServer } from './support.js';

/** Host accounts: signup, login, sessions (bearer and cookie), logout, and how credentials are stored. */

// The stored hash is checked below as the default cost makes it.
const server = await startServer({ PASSWORD_HASH_COST: String(HASH_COST.default) });

const EMAIL = 'ada.lovelace@example.com';
const PASSWORD = 'analytical engine 1843';

type Session = { token: string; host: { id: string; email: string } };
let signup: LightMyRequestResponse;
let session: Session;

const signupRequest = (email: string, password = PASSWORD) =>
  server.request({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, password } });
const loginRequest = (email: string, password: string) =>
  server.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
const me = (headers: Record<string, string>) =>
  server.request({ method: 'GET', url: '/api/v1/auth/me', headers });

function setCookies(res: LightMyRequestResponse): string[] {
  const header = res.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return setCookies(res).find((c) => c.startsWith('pd_session='));
}

/** The API's error shape; a body the route's schema refused also lists its fields, for a form. */
function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  const { fields, ...body } = res.json();
  expect(body).toEqual({ ok: false, code, message: expect.any(String) });
  if (fields !== undefined) expect(fields).toEqual(expect.any(Array));
}

async function hostCount(): Promise<number> {
  const rows = await server.db.selectFrom('hosts').select('id').execute();
  return rows.length;
}

beforeAll(async () => {
  signup = await signupRequest(EMAIL);
  session = signup.json();
});

describe('signup', () => {
  it('answers 201 {token, host: {id, email}}', () => {
    expect(signup.statusCode).toBe(201);
    expect(signup.json()).toEqual({
      token: expect.any(String),
      host: { id: expect.any(String), email: EMAIL },
    });
    expect(session.token.length).toBeGreaterThanOrEqual(32);
    expect(signup.body).not.toContain(PASSWORD);
    expect(signup.body).not.toContain('scrypt');
  });

  it('sets an httpOnly session cookie', () => {
    const cookie = sessionCookie(signup);
    expect(cookie, setCookies(signup).join('\n')).toBeDefined();
    const attributes = (cookie ?? '')
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('path=/');
    expect(attributes.some((a) => a.startsWith('samesite='))).toBe(true);
    expect(attributes.some((a) => a.startsWith('expires=') || a.startsWith('max-age='))).toBe(true);
  });

  it('the token authenticates GET /api/v1/auth/me', async () => {
    const res = await me(bearer(session.token));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(session.host);
  });

  it('the cookie alone authenticates GET /api/v1/auth/me', async () => {
    const cookie = (sessionCookie(signup) ?? '').split(';')[0] ?? '';
    const res = await me({ cookie });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(session.host);
  });

  it('a forged cookie (the raw token, unsigned) does not authenticate', async () => {
    expectError(await me({ cookie: `pd_session=${session.token}` }), 401, 'unauthorized');
    const signed = (sessionCookie(signup) ?? '').split(';')[0] ?? '';
    expectError(await me({ cookie: `${signed.slice(0, -2)}xx` }), 401, 'unauthorized');
  });

  it('no credentials at all: 401 unauthorized', async () => {
    expectError(await me({}), 401, 'unauthorized');
  });

  it('GET /api/v1/auth/session says who is signed in, null for nobody or a forged cookie, never a 401', async () => {
    const whoIs = (headers: Record<string, string>) =>
      server.request({ method: 'GET', url: '/api/v1/auth/session', headers });
    const cookie = (sessionCookie(signup) ?? '').split(';')[0] ?? '';
    for (const [headers, host] of [
      [{}, null],
      [{ cookie: `pd_session=${session.token}` }, null],
      [{ cookie }, session.host],
      [bearer(session.token), session.host],
    ] as const) {
      const res = await whoIs(headers);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ host });
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses an email already taken: 409 email_taken', async () => {
    expectError(await signupRequest(EMAIL, 'some other password'), 409, 'email_taken');
  });

  it('refuses the same email in another case: 409 email_taken', async () => {
    expectError(await signupRequest('Ada.Lovelace@EXAMPLE.com'), 409, 'email_taken');
  });

  it('refuses the same email with surrounding whitespace: 409 email_taken', async () => {
    expectError(await signupRequest(`  ${EMAIL.toUpperCase()}\t`), 409, 'email_taken');
  });

  it('a refused duplicate creates no second account', async () => {
    expect(await hostCount()).toBe(1);
  });

  it('refuses a password shorter than 8 characters: 400 invalid_request, no account', async () => {
    const before = await hostCount();
    const res = await signupRequest('shorty@example.com', 'seven77');
    expectError(res, 400, 'invalid_request');
    expect(res.json().message).toMatch(/password/);
    expect(await hostCount()).toBe(before);
  });

  it('refuses a malformed body: 400 invalid_request', async () => {
    for (const payload of [
      { email: 'not-an-email', password: PASSWORD },
      { email: EMAIL },
      { password: PASSWORD },
    ]) {
      const res = await server.request({ method: 'POST', url: '/api/v1/auth/signup', payload });
      expectError(res, 400, 'invalid_request');
    }
  });
});

describe('login', () => {
  it('answers 200 {token, host} with a new session token and cookie', async () => {
    const res = await loginRequest(EMAIL, PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({ token: expect.any(String), host: session.host });
    expect(body.token).not.toBe(session.token);
    expect(sessionCookie(res)?.toLowerCase()).toContain('httponly');
    expect((await me(bearer(body.token))).json()).toEqual(session.host);
  });

  it('accepts the email in another case and with surrounding whitespace', async () => {
    const res = await loginRequest(` ${EMAIL.toUpperCase()}  `, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().host).toEqual(session.host);
  });

  it('a wrong password and an unknown email get the same 401 invalid_credentials', async () => {
    const wrongPassword = await loginRequest(EMAIL, 'analytical engine 1844');
    const unknownEmail = await loginRequest('charles.babbage@example.com', PASSWORD);
    expectError(wrongPassword, 401, 'invalid_credentials');
    expectError(unknownEmail, 401, 'invalid_credentials');
    // Nothing in the answer tells whether the account exists.
    expect(unknownEmail.json()).toEqual(wrongPassword.json());
    expect(unknownEmail.json().message).toBe(wrongPassword.json().message);
    expect(sessionCookie(wrongPassword)).toBeUndefined();
    expect(sessionCookie(unknownEmail)).toBeUndefined();
  });
});

describe('logout', () => {
  it('invalidates the token it is called with, and only that one', async () => {
    const first = await loginRequest(EMAIL, PASSWORD);
    const second = await loginRequest(EMAIL, PASSWORD);
    const firstToken: string = first.json().token;
    const secondToken: string = second.json().token;
    const firstCookie = (sessionCookie(first) ?? '').split(';')[0] ?? '';
    expect((await me(bearer(firstToken))).statusCode).toBe(200);
    expect((await me({ cookie: firstCookie })).statusCode).toBe(200);

    const out = await server.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: bearer(firstToken),
    });
    expect(out.statusCode).toBe(204);
    // The dashboard's cookie is cleared as well.
    const cleared = sessionCookie(out);
    expect(cleared).toBeDefined();
    expect(cleared).toMatch(/^pd_session=;|expires=Thu, 01 Jan 1970|max-age=0/i);

    expectError(await me(bearer(firstToken)), 401, 'unauthorized');
    // The cookie carried the same session: it is dead too.
    expectError(await me({ cookie: firstCookie }), 401, 'unauthorized');
    expectError(
      await server.request({ method: 'GET', url: '/api/v1/projects', headers: bearer(firstToken) }),
      401,
      'unauthorized',
    );
    // Other sessions of the same host live on.
    expect((await me(bearer(secondToken))).statusCode).toBe(200);
  });

  it('logging out with the cookie alone ends that session', async () => {
    const login = await loginRequest(EMAIL, PASSWORD);
    const cookie = (sessionCookie(login) ?? '').split(';')[0] ?? '';
    const token: string = login.json().token;
    const origin = new URL(server.services.config.publicUrl).origin;
    const out = await server.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, origin },
    });
    expect(out.statusCode).toBe(204);
    expectError(await me({ cookie }), 401, 'unauthorized');
    expectError(await me(bearer(token)), 401, 'unauthorized');
  });
});

describe('storage of credentials', () => {
  it('session tokens are not stored in clear', async () => {
    const login = await loginRequest(EMAIL, PASSWORD);
    const tokens: string[] = [session.token, login.json().token];
    const rows = await server.db.selectFrom('sessions').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        for (const token of tokens) {
          expect(String(value)).not.toBe(token);
          expect(String(value)).not.toContain(token);
        }
      }
    }
    // ...while the live sessions are still there, under another form.
    expect((await me(bearer(login.json().token))).statusCode).toBe(200);
  });

  it('the password is stored as an scrypt hash with N=2^17, r=8, p=1, salted', async () => {
    const host = await server.db
      .selectFrom('hosts')
      .selectAll()
      .where('id', '=', session.host.id)
      .executeTakeFirstOrThrow();
    expect(host.password_hash.startsWith('scrypt$17$8$1$')).toBe(true);
    expect(host.password_hash).not.toContain(PASSWORD);
    const [, , , , salt, hash] = host.password_hash.split('$');
    expect(Buffer.from(salt ?? '', 'base64').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(hash ?? '', 'base64').length).toBeGreaterThanOrEqual(32);
  });
});

describe('a changed PASSWORD_HASH_COST', () => {
  it("re-hashes a host's password at the new cost when they next sign in, and they still sign in", async () => {
    const before = await startServer(CHEAP_PASSWORD_HASHES);
    const credentials = { email: 'grace.hopper@example.com', password: 'compiler of 1952' };
    await before.request({ method: 'POST', url: '/api/v1/auth/signup', payload: credentials });
    const stored = () =>
      before.db
        .selectFrom('hosts')
        .select('password_hash')
        .where('email', '=', credentials.email)
        .executeTakeFirstOrThrow();
    expect((await stored()).password_hash).toMatch(/^scrypt\$14\$/);
    const after = await startServer({ PASSWORD_HASH_COST: '15' }, before.databaseUrl);
    try {
      for (let i = 0; i < 2; i++) {
        const login = await after.request({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: credentials,
        });
        expect(login.statusCode).toBe(200);
        expect((await stored()).password_hash).toMatch(/^scrypt\$15\$/);
      }
    } finally {
      await after.close();
      await before.close();
    }
  });
});
