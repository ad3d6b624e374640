import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  holdWriteLock,
  join,
  liveGiveaway,
  postCallback,
  signedCallback,
  spawnServer,
  startServer,
  tempDir,
  trackIdFor,
} from './support.js';

describe('a writer thread that dies', () => {
  it('turns /readyz to 503 with the reason, fails writes at once, and tells the process to exit', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    const trackId = await trackIdFor(
      server,
      await join(server, fixture.slug),
      fixture.tasks[0]?.id as string,
    );
    expect((await server.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const stopped = new Promise<Error>((resolve) => server.services.writer.onFailure(resolve));

    // Test-only reach into the writer: its thread, killed as a crash would end it.
    const { committer } = server.services.writer as unknown as { committer: { worker: Worker } };
    await committer.worker.terminate();

    expect((await stopped).message).toMatch(/writer thread exited/);
    const ready = await server.request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().message).toMatch(
      /the writer has stopped .*exiting so that its supervisor restarts it/,
    );
    const callback = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    expect(callback.statusCode).toBe(503);
  });
});

describe('a checkpoint thread that dies', () => {
  it('stops new writes, and the batch the writer thread holds still commits and answers what it did', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'sign_up' }, { event: 'deposit' }] });
    const participant = await join(server, fixture.slug);
    const [signUp, deposit] = fixture.tasks.map((task) => task.id as string);
    const trackId = await trackIdFor(server, participant, signUp as string);
    await trackIdFor(server, participant, deposit as string);
    const { database } = server.services.config;
    if (database.engine !== 'sqlite') throw new Error('this test kills a SQLite thread: run it on SQLite');
    const stopped = new Promise<Error>((resolve) => server.services.writer.onFailure(resolve));
    // Test-only reach into the writer: its checkpoint thread, and the batches its writer thread holds.
    const { committer } = server.services.writer as unknown as {
      committer: {
        checkpointer: { worker: Worker };
        inFlight: Map<number, unknown>;
        onFailure(listener: (error: Error) => void): void;
      };
    };

    // Held off by another connection's write lock, the writer thread holds the callback's batch…
    const lock = await holdWriteLock(database.file, 1_000);
    const answered = postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    while (committer.inFlight.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // …when the checkpoint thread dies, as a crash would end it.
    await committer.checkpointer.worker.terminate();
    expect((await stopped).message).toMatch(/checkpoint thread exited/);
    // Told at once to whoever asks later, as the writer would be had the thread died while it started.
    const late = await new Promise<Error>((resolve) => committer.onFailure(resolve));
    expect(late.message).toMatch(/checkpoint thread exited/);
    const refused = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'deposit'));
    expect(refused.statusCode).toBe(503);

    await lock.released;
    const callback = await answered;
    expect(callback.statusCode, callback.body).toBe(200);
    expect(callback.json()).toMatchObject({ ok: true, code: 'completed' });
    const progress = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.slug}/entries/me`,
      headers: bearer(participant.token),
    });
    expect(progress.statusCode, progress.body).toBe(200);
    expect(progress.json().tasks.map((task: { count: number }) => task.count)).toEqual([1, 0]);
  });
});

/**
 * A small disk of its own (tmpfs), mounted for the test and gone after it. Mounting needs root, as the
 * project's machines and CI run; elsewhere the test fails and says why rather than skip.
 */
function smallDisk(megabytes: number): { dir: string; remove: () => void } {
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`this test mounts a small tmpfs, which needs root: ${(error as Error).message}`);
  }
  return {
    dir,
    remove: () => {
      execFileSync('umount', [dir]);
      fs.rmdirSync(dir);
    },
  };
}

/** Writes to `file` until the disk says it is full. */
function fillUp(file: string): void {
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

describe('a server whose disk fills up', () => {
  it('exits non-zero once the writer cannot copy its log into the database, and logs why', async () => {
    const disk = smallDisk(8);
    let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
    try {
      server = await spawnServer(`sqlite:${path.join(disk.dir, 'proofdrop.db')}`, {}, { log: 'pipe' });
      const { child, base } = server;
      let log = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        log += chunk;
      });
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      const signup = await fetch(`${base}/api/v1/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'host@example.com', password: 'correct horse battery' }),
      });
      expect(signup.status).toBe(201);
      const { token } = (await signup.json()) as { token: string };
      fillUp(path.join(disk.dir, 'filler'));

      // New projects still commit into the log's space already on disk; copying them into the database
      // needs more, and the checkpoint thread, whose failure is the writer's, ends on SQLITE_FULL.
      let stoppedListening = false;
      for (let i = 0; i < 2000 && !stoppedListening; i++) {
        await fetch(`${base}/api/v1/projects`, {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Shop ${i}` }),
        }).catch(() => {
          stoppedListening = true;
        });
      }
      expect(stoppedListening).toBe(true);
      const [code, signal] = await exited;
      expect({ code, signal }).toEqual({ code: 1, signal: null });
      expect(log).toMatch(
        /"level":60.*the checkpoint thread failed: SQLITE_FULL.*exiting so that a supervisor restarts/,
      );
    } finally {
      const child = server?.child;
      // The disk unmounts only once no process holds its files.
      if (child && child.exitCode === null && child.signalCode === null) {
        const gone = once(child, 'exit');
        child.kill('SIGKILL');
        await gone;
      }
      disk.remove();
    }
  });
});
