import type { CallbackAnswer, Giveaway, GiveawayInput, Project, Session, Website } from '@proofdrop/contract';
import { signCallback } from '@proofdrop/protocol';

/** The host's side of a journey, through the real API: what the dashboard (or a host's script) would send. */
export class HostApi {
  private token = '';
  constructor(readonly base: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async signUp(email: string): Promise<void> {
    const { token } = await this.call<Session>('POST', '/api/v1/auth/signup', {
      email,
      password: 'correct horse battery staple',
    });
    this.token = token;
  }
}

export type Scenario = {
  host: HostApi;
  apiKey: string;
  slug: string;
  giveawayId: string;
  tasks: Giveaway['tasks'];
};

/**
 * A published giveaway on a project whose website is `siteUrl`: a preset task (sign_up) and a custom one
 * done three times, as the journeys describe.
 */
export async function publishedGiveaway(
  base: string,
  siteUrl: string,
  hostEmail: string,
  {
    startsAt,
    settings = {},
    beacon = false,
  }: { startsAt?: Date; settings?: Partial<GiveawayInput>; beacon?: boolean } = {},
): Promise<Scenario> {
  const host = new HostApi(base);
  await host.signUp(hostEmail);
  const project = await host.call<Project>('POST', '/api/v1/projects', {
    name: 'Example Shop',
  });
  const website = await host.call<Website>('POST', `/api/v1/projects/${project.id}/websites`, {
    name: 'Example Shop',
    url: siteUrl,
  });
  const giveaway = await host.call<Giveaway>('POST', `/api/v1/projects/${project.id}/giveaways`, {
    title: 'Summer Bike Giveaway',
    description:
      'Win a city bike or a year of free delivery from Example Shop.\nCreate an account and play three rounds of our quiz to enter.',
    ...(startsAt ? { startsAt: startsAt.toISOString() } : {}),
    endsAt: new Date(Date.now() + 3 * 86_400_000 + 5 * 3_600_000).toISOString(),
    winnerMode: 'lucky_draw',
    winnerCount: 3,
    prizes: [
      { name: 'City bike', description: 'a 7-speed city bike in the colour you choose' },
      { name: 'Free delivery for a year' },
    ],
    tasks: [
      { websiteId: website.id, event: 'sign_up', name: 'Create an account' },
      { websiteId: website.id, event: 'play_quiz', name: 'Play the quiz', requiredAmount: 3 },
    ],
    // Last, so a journey's settings win over these defaults.
    ...settings,
  });
  await host.call('POST', `/api/v1/giveaways/${giveaway.id}/publish`, beacon ? { beacon } : undefined);
  return {
    host,
    apiKey: project.apiKey,
    slug: giveaway.slug,
    giveawayId: giveaway.id,
    tasks: giveaway.tasks,
  };
}

/** What the host's server sends when a participant did something: a callback signed with the API key. */
export async function sendCallback(
  base: string,
  apiKey: string,
  fields: { trackId: string; event: string; remark?: string },
): Promise<CallbackAnswer> {
  const sign = signCallback(apiKey, fields);
  const response = await fetch(`${base}/api/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ track_id: fields.trackId, event: fields.event, remark: fields.remark, sign }),
  });
  const answer = (await response.json()) as CallbackAnswer;
  if (!response.ok) throw new Error(`the callback answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}
