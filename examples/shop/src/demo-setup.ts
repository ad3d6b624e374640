/**
 * Creates, through Proofdrop's HTTP API, what a host would click together in the dashboard: a host, a
 * project, the shop as its website, and a published giveaway whose tasks the shop proves. Whatever
 * already exists is reused, so running the example again keeps the same giveaway and API key.
 */

export const DEMO_LOGIN = { email: 'demo@proofdrop.local', password: 'proofdrop-demo' };
const PROJECT_NAME = 'Example Shop';
const GIVEAWAY_TITLE = 'Example Shop coffee giveaway';

export type Demo = { apiKey: string; projectId: string; giveawayId: string; slug: string };

export async function ensureDemo(proofdropUrl: string, shopUrl: string): Promise<Demo> {
  let token: string | undefined;
  const api = async <T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(new URL(path, proofdropUrl), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const expect = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await api<T & { message?: string }>(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${res.body.message}`);
    return res.body;
  };

  const login = await api<{ token: string }>('POST', '/api/v1/auth/login', DEMO_LOGIN);
  token =
    login.status === 200
      ? login.body.token
      : (await expect<{ token: string }>('POST', '/api/v1/auth/signup', DEMO_LOGIN)).token;

  const { projects } = await expect<{ projects: { id: string; name: string }[] }>('GET', '/api/v1/projects');
  const projectId =
    projects.find((p) => p.name === PROJECT_NAME)?.id ??
    (await expect<{ id: string }>('POST', '/api/v1/projects', { name: PROJECT_NAME })).id;
  const project = await expect<{ apiKey: string; websites: { id: string; url: string }[] }>(
    'GET',
    `/api/v1/projects/${projectId}`,
  );

  const websiteId =
    project.websites.find((w) => w.url === shopUrl)?.id ??
    (
      await expect<{ id: string }>('POST', `/api/v1/projects/${projectId}/websites`, {
        name: PROJECT_NAME,
        url: shopUrl,
      })
    ).id;

  const { giveaways } = await expect<{
    giveaways: { id: string; slug: string; title: string; status: string }[];
  }>('GET', `/api/v1/projects/${projectId}/giveaways`);
  let giveaway = giveaways.find(
    (g) => g.title === GIVEAWAY_TITLE && ['draft', 'scheduled', 'live'].includes(g.status),
  );
  if (!giveaway) {
    giveaway = await expect<{ id: string; slug: string; title: string; status: string }>(
      'POST',
      `/api/v1/projects/${projectId}/giveaways`,
      {
        title: GIVEAWAY_TITLE,
        description:
          'Create an account at the Example Shop, like three articles and make a deposit to enter.',
        winnerMode: 'lucky_draw',
        winnerCount: 3,
        prizes: [{ name: 'A bag of single-origin beans' }],
        tasks: [
          { websiteId, event: 'sign_up', name: 'Create an account on Example Shop' },
          { websiteId, event: 'like_article', name: 'Like 3 articles', requiredAmount: 3 },
          { websiteId, event: 'deposit', name: 'Make a deposit' },
        ],
      },
    );
  }
  if (giveaway.status === 'draft') await expect('POST', `/api/v1/giveaways/${giveaway.id}/publish`);
  return { apiKey: project.apiKey, projectId, giveawayId: giveaway.id, slug: giveaway.slug };
}
