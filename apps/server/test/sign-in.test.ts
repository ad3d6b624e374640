import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { HASH_COST } from '../src/hosts/password.js';
import { startServer as startCheapServer, type TestServer, uniqueEmail } from './support.js';

/** Guessing passwords and flooding the password endpoints: throttles, the hashing cap, the client address. */

const PASSWORD = 'correct horse battery';

async function signup(server: TestServer, email: string) {
  const res = await server.request({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email, password: PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(201);
}

function login(
  server: TestServer,
  email: string,
  password: string,
  from = '127.0.0.1',
  headers: Record<string, string> = {},
) {
  return server.request({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress: from,
    headers,
  });
}

const statuses = (answers: LightMyRequestResponse[]) => answers.map((a) => a.statusCode);
const count = (answers: LightMyRequestResponse[], status: number) =>
  answers.filter((a) => a.statusCode === status).length;

// Every guess costs a real scrypt hash, which is slow on purpose: these tests get more time.
const SLOW = 120_000;

/** What a flood queues behind, and what a guess costs, is the default hashing cost's, not the test servers'. */
const startServer = (env: Record<string, string> = {}) =>
  startCheapServer({ PASSWORD_HASH_COST: String(HASH_COST.default), ...env });

describe('sign-in throttling', () => {
  it(
    'many concurrent wrong sign-ins for one email cannot all pass: ten do, then 429 until time passes',
    { timeout: SLOW },
    async () => {
      const server = await startServer();
      const email = uniqueEmail();
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) => login(server, email, `concurrent guess ${i}`)),
      );
      expect(count(answers, 401), String(statuses(answers))).toBe(10);
      const throttled = answers.filter((a) => a.statusCode === 429);
      expect(throttled).toHaveLength(6);
      expect(throttled[0]?.json().code).toBe('rate_limited');
      expect(throttled[0]?.headers['retry-after']).toBe('12');
      expect((await login(server, uniqueEmail(), 'another account')).statusCode).toBe(401);
      server.clock.advance(12_000);
      expect((await login(server, email, 'after waiting')).statusCode).toBe(401);
      expect((await login(server, email, 'and again')).statusCode).toBe(429);
    },
  );

  it(
    'counts the failures for one email from every address: more addresses buy no more guesses',
    { timeout: SLOW },
    async () => {
      const server = await startServer();
      const email = uniqueEmail();
      for (let i = 0; i < 10; i++)
        expect((await login(server, email, `guess ${i}`, `198.51.100.${i + 1}`)).statusCode).toBe(401);
      expect((await login(server, email, 'guess 11', '198.51.100.200')).statusCode).toBe(429);
    },
  );

  it(
    "only failures count: a right password gives its token back, a wrong short one is a 401 (not the sign-up policy's 400)",
    { timeout: SLOW },
    async () => {
      const server = await startServer();
      const email = uniqueEmail();
      await signup(server, email);
      const short = await login(server, email, 'short');
      expect(short.statusCode).toBe(401);
      expect(short.json().code).toBe('invalid_credentials');
      for (let i = 0; i < 8; i++) expect((await login(server, email, `typo ${i}`)).statusCode).toBe(401);
      for (let i = 0; i < 3; i++) expect((await login(server, email, PASSWORD)).statusCode).toBe(200);
      expect((await login(server, email, 'the tenth failure')).statusCode).toBe(401);
    },
  );

  it(
    'hashes two passwords at a time: a flood of sign-ins and sign-ups beyond the queue gets 429 at once',
    { timeout: SLOW },
    async () => {
      const server = await startServer();
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 2 === 0
            ? login(server, uniqueEmail(), 'a wrong password', `192.0.2.${i + 1}`)
            : server.request({
                method: 'POST',
                url: '/api/v1/auth/signup',
                payload: { email: uniqueEmail(), password: PASSWORD },
                remoteAddress: `192.0.2.${i + 1}`,
              }),
        ),
      );
      const busy = answers.filter((a) => a.statusCode === 429);
      // Two hashing and sixteen waiting at most: the rest of the burst is refused, not queued.
      expect(busy.length, String(statuses(answers))).toBeGreaterThanOrEqual(10);
      for (const answer of busy) {
        expect(answer.json().message).toMatch(/busy/);
        expect(answer.headers['retry-after']).toBe('1');
      }
      expect(count(answers, 401) + count(answers, 201) + busy.length).toBe(40);
    },
  );
});

describe('the client address behind a proxy (TRUST_PROXY)', () => {
  const spray = async (server: TestServer, forwardedFor: string) => {
    for (let i = 0; i < 20; i++) {
      const res = await login(server, uniqueEmail(), 'Summer2026!', '127.0.0.1', {
        'x-forwarded-for': forwardedFor,
      });
      expect(res.statusCode).toBe(401);
    }
  };
  const next = (server: TestServer, forwardedFor: string) =>
    login(server, uniqueEmail(), 'Summer2026!', '127.0.0.1', { 'x-forwarded-for': forwardedFor });

  it(
    'trusted proxy: each client address has its own budget of failures across emails',
    { timeout: SLOW },
    async () => {
      const server = await startServer({ TRUST_PROXY: '127.0.0.1' });
      await spray(server, '203.0.113.5');
      const throttled = await next(server, '203.0.113.5');
      expect(throttled.statusCode).toBe(429);
      expect(throttled.headers['retry-after']).toBe('3');
      expect((await next(server, '203.0.113.6')).statusCode).toBe(401);
    },
  );

  it(
    'by default X-Forwarded-For is not believed: a client cannot pick a fresh address',
    { timeout: SLOW },
    async () => {
      const server = await startServer();
      await spray(server, '203.0.113.5');
      expect((await next(server, '203.0.113.6')).statusCode).toBe(429);
    },
  );
});

describe('the sign-in limits are settings', () => {
  const signupFrom = (server: TestServer, address: string) =>
    server.request({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: uniqueEmail(), password: PASSWORD },
      remoteAddress: address,
    });

  it(
    'LOGIN_ATTEMPTS_PER_EMAIL and LOGIN_ATTEMPTS_PER_IP set the bursts, and when to retry',
    { timeout: SLOW },
    async () => {
      const server = await startServer({ LOGIN_ATTEMPTS_PER_EMAIL: '3', LOGIN_ATTEMPTS_PER_IP: '5' });
      const email = uniqueEmail();
      for (let i = 0; i < 3; i++)
        expect((await login(server, email, `guess ${i}`, `198.51.100.${i + 1}`)).statusCode).toBe(401);
      const perEmail = await login(server, email, 'guess 4', '198.51.100.99');
      expect(perEmail.statusCode).toBe(429);
      // Three failures come back over two minutes: one every 40 s.
      expect(perEmail.headers['retry-after']).toBe('40');
      for (let i = 0; i < 5; i++) expect((await login(server, uniqueEmail(), 'spray')).statusCode).toBe(401);
      const perAddress = await login(server, uniqueEmail(), 'spray');
      expect(perAddress.statusCode).toBe(429);
      // Five a minute: one every 12 s.
      expect(perAddress.headers['retry-after']).toBe('12');
    },
  );

  it('0 turns the sign-in throttles off', { timeout: SLOW }, async () => {
    const server = await startServer({ LOGIN_ATTEMPTS_PER_EMAIL: '0', LOGIN_ATTEMPTS_PER_IP: '0' });
    const email = uniqueEmail();
    // Past the default burst of one email, from one address.
    for (let i = 0; i < 11; i++) expect((await login(server, email, `guess ${i}`)).statusCode).toBe(401);
  });

  it(
    'PASSWORD_HASH_CONCURRENCY and PASSWORD_HASH_QUEUE set how many hash and wait; 0 lifts either cap',
    { timeout: SLOW },
    async () => {
      const atOnce = async (server: TestServer, n: number) =>
        statuses(
          await Promise.all(Array.from({ length: n }, (_, i) => signupFrom(server, `192.0.2.${i + 1}`))),
        );
      // One hashing and two waiting: of twelve sign-ups at once, most are refused (the defaults take 18).
      const tight = await atOnce(
        await startServer({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '2' }),
        12,
      );
      expect(tight.filter((status) => status === 429).length, String(tight)).toBeGreaterThanOrEqual(5);
      expect(tight.filter((status) => status === 201 || status === 429)).toHaveLength(12);
      // Four at once, more than one hashing and one waiting (or two and one) take: lifted, neither cap refuses.
      const allHashing = await startServer({ PASSWORD_HASH_CONCURRENCY: '0', PASSWORD_HASH_QUEUE: '1' });
      expect(await atOnce(allHashing, 4)).toEqual(Array(4).fill(201));
      const allWaiting = await startServer({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '0' });
      expect(await atOnce(allWaiting, 4)).toEqual(Array(4).fill(201));
    },
  );
});
