import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export type Proofdrop = { base: string; stop: () => Promise<void> };

/**
 * The built server (apps/server/dist) serving the built web app (apps/web/dist), as `npm start` runs it, on a
 * free port and a fresh SQLite database of its own, with `env` added (e.g. SMTP_URL). Answers once /readyz does.
 */
export async function startProofdrop(env: Record<string, string> = {}): Promise<Proofdrop> {
  for (const built of ['apps/server/dist/main.js', 'apps/web/dist/index.html']) {
    if (!fs.existsSync(path.join(repoRoot, built))) {
      throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofdrop-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/server/dist/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      PUBLIC_URL: base,
      DATABASE_URL: `sqlite:${path.join(dataDir, 'proofdrop.db')}`,
      LOG_LEVEL: 'warn',
      // The journeys send callbacks faster than a person would.
      CALLBACK_RATE_PER_PROJECT: '0',
      CALLBACK_RATE_PER_TRACK: '0',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  await waitUntilReady(child, base).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { base, stop };
}

async function waitUntilReady(child: ChildProcess, base: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not become ready');
}
