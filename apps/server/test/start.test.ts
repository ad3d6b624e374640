import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, TEST_SECRET_KEY, tempDir } from './support.js';

const entry = path.join(repoRoot, 'apps/server/dist/main.js');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function start(env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'pipe',
  });
  children.push(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitForHealth(base: string, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (let i = 0; i < 300 && !gone; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('the server did not become healthy');
}

describe('npm start', () => {
  it('serves on the built entry with nothing configured but the port, creating ./data/proofdrop.db', async () => {
    expect(fs.existsSync(entry), 'run `npm run build` first (npm install does it)').toBe(true);
    const cwd = tempDir();
    const port = await freePort();
    const { child, exited, output } = start({ PORT: String(port), LOG_LEVEL: 'info' }, cwd);
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, exited);
    expect(fs.existsSync(path.join(cwd, 'data/proofdrop.db'))).toBe(true);

    const openapi = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/callback', '/api/v1/auth/signup']),
    );
    expect((await fetch(`${base}/docs`)).status).toBeLessThan(400);

    const signup = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer should-not-be-logged' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'a secret password' }),
    });
    expect(signup.status).toBe(201);
    const { token } = (await signup.json()) as { token: string };
    await fetch(`${base}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Logged' }),
    });
    // The callback is a hot route: one answer in a hundred gets a line.
    for (let i = 0; i < 200; i++) {
      const unknown = await fetch(`${base}/api/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ track_id: `trk_unknown${i}`, event: 'sign_up', sign: 'f'.repeat(64) }),
      });
      expect(unknown.status).toBe(404);
    }
    // A request's line is written after its answer: read the log once the process has stopped and flushed it.
    const closed = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    await closed;
    const log = output();
    expect(log).toMatch(/"route":"\/api\/v1\/auth\/signup","status":201/);
    const callbackLines = log.split('\n').filter((line) => line.includes('"route":"/api/callback"'));
    expect(callbackLines).toHaveLength(2);
    expect(callbackLines[0]).toContain('"sampled":"1 in 100"');
    for (const secret of ['a secret password', token, 'should-not-be-logged'])
      expect(log).not.toContain(secret);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mongodb://x' }, /DATABASE_URL/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL/],
    [{ SECRET_KEY: 'c2hvcnQ=' }, /SECRET_KEY must be base64 of 32 bytes/],
    [{ DATABASE_URL: 'postgres://app@127.0.0.1:1/proofdrop' }, /SECRET_KEY is required with PostgreSQL/],
  ])('stops on a malformed setting %o, naming it', async (env, message) => {
    const { exited, output } = start(env, tempDir());
    expect(await exited).toBe(1);
    expect(output()).toMatch(message);
  });

  it('stops when the port is taken, saying which setting to change', async () => {
    const port = await freePort();
    const taken = net.createServer().listen(port, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const { exited, output } = start({ PORT: String(port) }, tempDir());
      expect(await exited).toBe(1);
      expect(output()).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*set PORT`));
    } finally {
      taken.close();
    }
  });

  it('stops when HOST is not an address of this machine, naming HOST', async () => {
    const { exited, output } = start({ PORT: String(await freePort()), HOST: '192.0.2.254' }, tempDir());
    expect(await exited).toBe(1);
    expect(output()).toMatch(/HOST 192\.0\.2\.254 is not an address of this machine/);
  });

  it('stops when PostgreSQL cannot be reached, saying so without the password', async () => {
    const { exited, output } = start(
      { DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/proofdrop', SECRET_KEY: TEST_SECRET_KEY },
      tempDir(),
    );
    expect(await exited).toBe(1);
    expect(output()).toMatch(/cannot open the database: connect ECONNREFUSED 127\.0\.0\.1:1/);
    expect(output()).not.toContain('hunter2');
  });
});
