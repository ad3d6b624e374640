import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { join, liveGiveaway, postCallback, signedCallback, startServer, trackIdFor } from './support.js';

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
