import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { freshDatabaseUrl, spawnServer, uniqueEmail } from '../../../../apps/server/test/support.js';

const children: ChildProcess[] = [];
// Registered as the file loads: Vitest takes no new hook inside a beforeAll, where servers are started.
afterAll(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

/** The built server (apps/server/dist) in a process of its own on a fresh SQLite file, stopped after the file. */
export async function startProofdrop(): Promise<{ base: string; child: ChildProcess }> {
  const server = await spawnServer(await freshDatabaseUrl('sqlite'));
  children.push(server.child);
  return server;
}

/** One call to Proofdrop's HTTP API; anything but a 2xx fails the test with the server's message. */
export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  url: string,
  { body, token }: { body?: unknown; token?: string } = {},
): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export type TaskSpec = { event: string; requiredAmount?: number };
type Task = { id: string; event: string; requiredAmount: number };

/** A host's live giveaway with the given tasks on one website, and one participant with their track_id. */
export async function giveawayWithParticipant(base: string, tasks: TaskSpec[]) {
  const { token } = await api<{ token: string }>(base, 'POST', '/api/v1/auth/signup', {
    body: { email: uniqueEmail('sdk-host'), password: 'correct horse battery' },
  });
  const project = await api<{ id: string; apiKey: string }>(base, 'POST', '/api/v1/projects', {
    token,
    body: { name: 'SDK test shop' },
  });
  const website = await api<{ id: string }>(base, 'POST', `/api/v1/projects/${project.id}/websites`, {
    token,
    body: { name: 'Shop', url: 'https://shop.example/' },
  });
  const giveaway = await api<{ id: string; slug: string; tasks: Task[] }>(
    base,
    'POST',
    `/api/v1/projects/${project.id}/giveaways`,
    {
      token,
      body: {
        title: 'SDK drop',
        winnerMode: 'lucky_draw',
        winnerCount: 1,
        tasks: tasks.map((t) => ({ websiteId: website.id, name: `Do ${t.event}`, ...t })),
      },
    },
  );
  await api(base, 'POST', `/api/v1/giveaways/${giveaway.id}/publish`, { token });
  const participant = await api<{ token: string }>(
    base,
    'POST',
    `/api/v1/giveaways/${giveaway.slug}/entries`,
    {
      body: { email: uniqueEmail('sdk-fan') },
    },
  );
  const firstTask = giveaway.tasks[0] as Task;
  const { trackId } = await api<{ trackId: string }>(base, 'POST', `/api/v1/tasks/${firstTask.id}/visits`, {
    token: participant.token,
  });
  /** The participant's count on each task, by event, and whether they are eligible. */
  async function progress() {
    const me = await api<{ eligible: boolean; tasks: { event: string; count: number }[] }>(
      base,
      'GET',
      `/api/v1/giveaways/${giveaway.slug}/entries/me`,
      { token: participant.token },
    );
    return { eligible: me.eligible, counts: Object.fromEntries(me.tasks.map((t) => [t.event, t.count])) };
  }
  return { apiKey: project.apiKey, projectId: project.id, hostToken: token, trackId, progress };
}
