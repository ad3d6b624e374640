import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type HostFixture,
  join,
  liveGiveaway,
  postCallback,
  readEvents,
  signedCallback,
  signupHost,
  startServer,
  testEngine,
  trackIdFor,
  uniqueEmail,
} from './support.js';

/** What the dashboard changes after creating things: projects, websites, drafts, webhook endpoints. */

const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
const publicOrigin = new URL(server.services.config.publicUrl).origin;
let host: HostFixture;

beforeAll(async () => {
  host = await signupHost(server);
});

const as = (h: HostFixture, options: InjectOptions) =>
  server.request({ ...options, headers: { ...bearer(h.token), ...options.headers } });

/** The API's error shape; a body the route's schema refused also lists its fields (checked where it matters). */
function expectError(res: LightMyRequestResponse, status: number, code: string): string {
  const { fields, ...body } = res.json();
  expect({ status: res.statusCode, body }).toEqual({
    status,
    body: { ok: false, code, message: expect.any(String) },
  });
  if (fields !== undefined) expect(fields).toEqual(expect.any(Array));
  return body.message;
}

async function newProject(name = 'Example Shop') {
  const res = await as(host, { method: 'POST', url: '/api/v1/projects', payload: { name } });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; apiKey: string };
}

async function addWebsite(projectId: string, url = 'https://shop.example/signup') {
  const res = await as(host, {
    method: 'POST',
    url: `/api/v1/projects/${projectId}/websites`,
    payload: { name: 'Shop', url },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; url: string };
}

function createDraft(projectId: string, websiteId: string, extra: Record<string, unknown> = {}) {
  return as(host, {
    method: 'POST',
    url: `/api/v1/projects/${projectId}/giveaways`,
    payload: {
      title: 'Winter Drop',
      winnerMode: 'lucky_draw',
      winnerCount: 1,
      tasks: [{ websiteId, event: 'sign_up', name: 'Create an account' }],
      ...extra,
    },
  });
}

async function draft(projectId: string, websiteId: string, extra: Record<string, unknown> = {}) {
  const res = await createDraft(projectId, websiteId, extra);
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; slug: string; tasks: { id: string }[] };
}

describe('what a form sends wrong', () => {
  it('refuses names of blanks everywhere a name is required, and stores nothing', async () => {
    const before = (await as(host, { method: 'GET', url: '/api/v1/projects' })).json().projects.length;
    const created = await as(host, { method: 'POST', url: '/api/v1/projects', payload: { name: '   ' } });
    expect(expectError(created, 400, 'invalid_request')).toBe(
      'name must not be blank, nor hold control characters',
    );
    expect((await as(host, { method: 'GET', url: '/api/v1/projects' })).json().projects).toHaveLength(before);

    const project = await newProject();
    const renamed = await as(host, {
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { name: '\t \n' },
    });
    expect(expectError(renamed, 400, 'invalid_request')).toMatch(/^name must not be blank/);
    const website = await as(host, {
      method: 'POST',
      url: `/api/v1/projects/${project.id}/websites`,
      payload: { name: ' ', url: 'https://shop.example' },
    });
    expect(expectError(website, 400, 'invalid_request')).toMatch(/^name must not be blank/);
    // Zero-width spaces, a joiner, a Hangul filler and the blank Braille pattern show as nothing too.
    const invisible = await as(host, {
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { name: '\u200B\u200D \u3164\uFEFF\u2800' },
    });
    expect(expectError(invisible, 400, 'invalid_request')).toMatch(/^name must not be blank/);
    // So do characters past the basic plane: tag characters and the variation selectors supplement.
    const tagged = await as(host, {
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { name: '\u{E0041}\u{E0042} \u{E0100}\u{E007F}' },
    });
    expect(expectError(tagged, 400, 'invalid_request')).toBe(
      'name must not be blank, nor hold control characters',
    );
    const { id: websiteId } = await addWebsite(project.id);
    const untitled = await createDraft(project.id, websiteId, { title: '  ' });
    expect(expectError(untitled, 400, 'invalid_request')).toMatch(/^title must not be blank/);
    const unnamedTask = await createDraft(project.id, websiteId, {
      tasks: [
        { websiteId, event: 'sign_up', name: 'Create an account' },
        { websiteId, event: 'deposit', name: '  ' },
      ],
    });
    expect(expectError(unnamedTask, 400, 'invalid_request')).toMatch(/^task 2: name must not be blank/);
    const taggedTask = await createDraft(project.id, websiteId, {
      tasks: [{ websiteId, event: 'sign_up', name: '\u{E0041}\u{E0100}' }],
    });
    expect(expectError(taggedTask, 400, 'invalid_request')).toBe(
      'task 1: name must not be blank, nor hold control characters',
    );
    expect((await as(host, { method: 'GET', url: `/api/v1/projects/${project.id}` })).json().name).toBe(
      'Example Shop',
    );
    // Joiners inside a visible name are part of it (an emoji sequence), not a blank.
    const family = await as(host, {
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { name: 'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467} shop' },
    });
    expect(family.statusCode).toBe(200);
  });

  it('says what is wrong in words, numbering tasks as the editor does', async () => {
    const signup = await server.request({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'not an address', password: 'a long password' },
    });
    expect(expectError(signup, 400, 'invalid_request')).toBe(
      'email must be an email address, like ada@example.com',
    );
    const project = await newProject();
    const { id: websiteId } = await addWebsite(project.id);
    const badEvent = await createDraft(project.id, websiteId, {
      tasks: [
        { websiteId, event: 'sign_up', name: 'Create an account' },
        { websiteId, event: 'Like an article!', name: 'Like' },
      ],
    });
    expect(expectError(badEvent, 400, 'invalid_request')).toBe(
      'task 2: event must be 1–64 letters, digits or the signs _ . : - (like sign_up)',
    );
    const noEvent = await createDraft(project.id, websiteId, { tasks: [{ websiteId, name: 'Like' }] });
    expect(expectError(noEvent, 400, 'invalid_request')).toBe('task 1: event is required');
    // And field by field, for the editor to show each beside its input.
    expect(badEvent.json().fields).toEqual([
      {
        field: 'tasks.1.event',
        message: 'event must be 1–64 letters, digits or the signs _ . : - (like sign_up)',
      },
    ]);
    const untitled = await createDraft(project.id, websiteId, {
      title: '',
      tasks: [{ websiteId, name: 'Like' }],
    });
    expect(expectError(untitled, 400, 'invalid_request')).toBe(
      'title is required; task 1: event is required',
    );
    expect(untitled.json().fields).toEqual([
      { field: 'title', message: 'title is required' },
      { field: 'tasks.0.event', message: 'event is required' },
    ]);
    expect(signup.json().fields).toEqual([
      { field: 'email', message: 'email must be an email address, like ada@example.com' },
    ]);
    // A rule the schema cannot state names its field too.
    const backwards = await createDraft(project.id, websiteId, {
      startsAt: '2031-01-02T00:00:00.000Z',
      endsAt: '2031-01-01T00:00:00.000Z',
    });
    expect(expectError(backwards, 400, 'invalid_request')).toBe('endsAt must be after startsAt');
    expect(backwards.json().fields).toEqual([{ field: 'endsAt', message: 'endsAt must be after the start' }]);
    // Every such rule at once, so the editor shows them all in one go.
    const task = { websiteId, event: 'sign_up', name: 'Sign up' };
    const several = await createDraft(project.id, websiteId, {
      endsAt: '2001-01-01T00:00:00.000Z',
      tasks: [task, task],
    });
    expect(expectError(several, 400, 'invalid_request')).toBe(
      'endsAt must be in the future; task 2 repeats the event "sign_up" on the same website',
    );
    expect(several.json().fields.map((f: { field: string }) => f.field)).toEqual(['endsAt', 'tasks.1.event']);
    // A time that is not RFC 3339 is refused, not guessed at in the server's time zone or rolled over.
    for (const endsAt of ['Jan 1 2031', '12/31/2031', '2031-02-30T00:00:00Z', '2031-01-01T00:00:00']) {
      const guessed = await createDraft(project.id, websiteId, { endsAt });
      expect(expectError(guessed, 400, 'invalid_request'), endsAt).toMatch(
        /^endsAt must be an ISO 8601 time/,
      );
      expect(guessed.json().fields[0].field).toBe('endsAt');
    }
    // A refusal that is not about the body's fields has none.
    const missing = await as(host, { method: 'GET', url: '/api/v1/projects/prj_none' });
    expect(missing.json()).toEqual({ ok: false, code: 'not_found', message: expect.any(String) });
  });
});

describe('a JSON body with a key that could reach a prototype', () => {
  it('is refused by the key it has, not as JSON that is not valid, and creates nothing', async () => {
    const list = async () => (await as(host, { method: 'GET', url: '/api/v1/projects' })).json().projects;
    const before = await list();
    for (const [payload, key] of [
      ['{"name":"Shop","__proto__":{"isAdmin":true}}', '__proto__'],
      ['{"name":"Shop","constructor":{"prototype":{"isAdmin":true}}}', 'constructor.prototype'],
    ]) {
      const res = await as(host, {
        method: 'POST',
        url: '/api/v1/projects',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(expectError(res, 400, 'invalid_request'), payload).toBe(
        `the body has a ${key} key, which is not accepted`,
      );
    }
    expect(await list()).toEqual(before);
  });
});

describe('projects', () => {
  it('renames a project, trimmed', async () => {
    const project = await newProject();
    const res = await as(host, {
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { name: '  Renamed Shop ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: project.id, name: 'Renamed Shop', apiKey: project.apiKey });
    const read = await as(host, { method: 'GET', url: `/api/v1/projects/${project.id}` });
    expect(read.json().name).toBe('Renamed Shop');
    expectError(
      await as(host, { method: 'PATCH', url: `/api/v1/projects/${project.id}`, payload: { name: '' } }),
      400,
      'invalid_request',
    );
  });

  it('refuses to delete a project while its giveaway runs, then deletes it with everything in it', async () => {
    const live = await liveGiveaway(server, { host });
    const participant = await join(server, live.slug);
    const trackId = await trackIdFor(server, participant, live.tasks[0]?.id ?? '');
    const counted = await postCallback(server, signedCallback(live.apiKey, trackId, 'sign_up'));
    expect(counted.statusCode).toBe(200);

    const refused = await as(host, { method: 'DELETE', url: `/api/v1/projects/${live.projectId}` });
    expect(expectError(refused, 409, 'invalid_state')).toContain('"Summer Drop" is live');
    expect((await as(host, { method: 'GET', url: `/api/v1/projects/${live.projectId}` })).statusCode).toBe(
      200,
    );

    await as(host, { method: 'POST', url: `/api/v1/giveaways/${live.giveawayId}/end` });
    const deleted = await as(host, { method: 'DELETE', url: `/api/v1/projects/${live.projectId}` });
    expect(deleted.statusCode).toBe(204);
    expectError(
      await as(host, { method: 'GET', url: `/api/v1/projects/${live.projectId}` }),
      404,
      'not_found',
    );
    expectError(
      await as(host, { method: 'GET', url: `/api/v1/giveaways/${live.giveawayId}` }),
      404,
      'not_found',
    );
    // Its entries' progress went with it.
    const { participantId } = participant;
    const left = await Promise.all([
      server.db.selectFrom('participants').select('id').where('id', '=', participantId).execute(),
      server.db.selectFrom('task_progress').selectAll().where('participant_id', '=', participantId).execute(),
      server.db
        .selectFrom('progress_units')
        .selectAll()
        .where('participant_id', '=', participantId)
        .execute(),
    ]);
    expect(left).toEqual([[], [], []]);
    // Its track_ids (cached by the callback path a moment ago) name nothing any more.
    const callback = await postCallback(server, signedCallback(live.apiKey, trackId, 'sign_up'));
    expect(callback.statusCode).toBe(404);
    expect(callback.json().code).toBe('unknown_track_id');
  });
});

describe('websites', () => {
  it('stores an edited link normalised, and Go buttons follow it at once', async () => {
    const live = await liveGiveaway(server, { host });
    const participant = await join(server, live.slug);
    const taskId = live.tasks[0]?.id ?? '';
    const before = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/visits`,
      headers: bearer(participant.token),
    });
    expect(before.json().url).toContain('https://shop.example/signup?ref=giveaway');

    const websiteId = live.websites[0]?.id ?? '';
    const res = await as(host, {
      method: 'PATCH',
      url: `/api/v1/projects/${live.projectId}/websites/${websiteId}`,
      payload: { name: ' New name ', url: 'HTTPS://New-Shop.EXAMPLE:443/join here?ref=gw#top' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: websiteId,
      name: 'New name',
      url: 'https://new-shop.example/join%20here?ref=gw#top',
    });
    const after = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/visits`,
      headers: bearer(participant.token),
    });
    const trackId = after.json().trackId;
    expect(after.json().url).toBe(
      `https://new-shop.example/join%20here?ref=gw&track_id=${trackId}&send=sign_up#top`,
    );

    for (const taken of ['track_id', 'send']) {
      const message = expectError(
        await as(host, {
          method: 'PATCH',
          url: `/api/v1/projects/${live.projectId}/websites/${websiteId}`,
          payload: { url: `https://new-shop.example/join?${taken}=x` },
        }),
        400,
        'invalid_request',
      );
      expect(message).toBe(
        `url must not carry ${taken}: each participant's link gets its own track_id and send`,
      );
      const added = await as(host, {
        method: 'POST',
        url: `/api/v1/projects/${live.projectId}/websites`,
        payload: { name: 'Tracked', url: `https://other.example/?a=1&${taken}=` },
      });
      expect(expectError(added, 400, 'invalid_request')).toContain(`must not carry ${taken}`);
      expect(added.json().fields).toEqual([
        { field: 'url', message: expect.stringContaining('url must not') },
      ]);
    }
    for (const payload of [{ url: 'ftp://files.example/x' }, { url: 'not a link' }, {}]) {
      expectError(
        await as(host, {
          method: 'PATCH',
          url: `/api/v1/projects/${live.projectId}/websites/${websiteId}`,
          payload,
        }),
        400,
        'invalid_request',
      );
    }
    const project = await as(host, { method: 'GET', url: `/api/v1/projects/${live.projectId}` });
    expect(project.json().websites[0].url).toBe('https://new-shop.example/join%20here?ref=gw#top');
  });

  it("names the website as it is now in a callback's unknown_event message, after a rename", async () => {
    const live = await liveGiveaway(server, { host });
    const participant = await join(server, live.slug);
    const trackId = await trackIdFor(server, participant, live.tasks[0]?.id ?? '');
    const unknownEvent = async () => {
      const res = await postCallback(server, signedCallback(live.apiKey, trackId, 'no_such_event'));
      expect(res.json().code).toBe('unknown_event');
      return res.json().message as string;
    };
    expect(await unknownEvent()).toContain('website "Site 0"');

    const websiteId = live.websites[0]?.id ?? '';
    const renamed = await as(host, {
      method: 'PATCH',
      url: `/api/v1/projects/${live.projectId}/websites/${websiteId}`,
      payload: { name: 'Renamed shop' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(await unknownEvent()).toContain('website "Renamed shop"');
  });

  it('refuses to remove a website a draft or a running giveaway uses; removes it once they are done', async () => {
    const live = await liveGiveaway(server, { host, websiteUrls: ['https://cors-shop.example/a'] });
    const websiteId = live.websites[0]?.id ?? '';
    const remove = () =>
      as(host, { method: 'DELETE', url: `/api/v1/projects/${live.projectId}/websites/${websiteId}` });
    const preflight = () =>
      server.request({
        method: 'OPTIONS',
        url: '/api/callback',
        headers: { origin: 'https://cors-shop.example', 'access-control-request-method': 'POST' },
      });
    expect((await preflight()).headers['access-control-allow-origin']).toBe('https://cors-shop.example');

    expect(expectError(await remove(), 409, 'invalid_state')).toContain('live giveaway "Summer Drop"');
    await as(host, { method: 'POST', url: `/api/v1/giveaways/${live.giveawayId}/end` });

    const waiting = await draft(live.projectId, websiteId);
    expect(expectError(await remove(), 409, 'invalid_state')).toContain('the draft "Winter Drop"');
    await as(host, { method: 'DELETE', url: `/api/v1/giveaways/${waiting.id}` });

    expect((await remove()).statusCode).toBe(204);
    const project = await as(host, { method: 'GET', url: `/api/v1/projects/${live.projectId}` });
    expect(project.json().websites).toEqual([]);
    expect((await preflight()).headers['access-control-allow-origin']).toBeUndefined();
    // The ended giveaway still names its task's website.
    const ended = await as(host, { method: 'GET', url: `/api/v1/giveaways/${live.giveawayId}` });
    expect(ended.json().tasks[0].websiteId).toBe(websiteId);
    // A removed website takes no new tasks and answers 404 from now on.
    expectError(await remove(), 404, 'not_found');
    const reuse = await as(host, {
      method: 'POST',
      url: `/api/v1/projects/${live.projectId}/giveaways`,
      payload: {
        title: 'Again',
        winnerMode: 'lucky_draw',
        winnerCount: 1,
        tasks: [{ websiteId, event: 'sign_up', name: 'Sign up' }],
      },
    });
    expectError(reuse, 422, 'unprocessable');
  });
});

describe('a website removed while a giveaway saves tasks on it', () => {
  // Both at once: before, each checked and then wrote, so on PostgreSQL both could succeed, leaving a
  // draft on a removed website that could no longer be edited, nor the website removed again.
  it('keeps either the website with its new tasks, or neither', async () => {
    const project = await newProject();
    const other = await addWebsite(project.id, 'https://other.example/');
    for (let round = 0; round < 6; round++) {
      const site = await addWebsite(project.id, `https://race-${round}.example/`);
      const waiting = await draft(project.id, other.id);
      const remove = () =>
        as(host, { method: 'DELETE', url: `/api/v1/projects/${project.id}/websites/${site.id}` });
      const tasks = [{ websiteId: site.id, event: 'sign_up', name: 'Create an account' }];
      const [removed, created, edited] = await Promise.all([
        remove(),
        createDraft(project.id, site.id),
        as(host, { method: 'PATCH', url: `/api/v1/giveaways/${waiting.id}`, payload: { tasks } }),
      ]);
      const kept = [created, edited].filter((res) => res.statusCode < 300);
      if (removed.statusCode === 204) {
        expect(kept).toEqual([]);
        for (const refused of [created, edited]) {
          expect(expectError(refused, refused.statusCode, refused.json().code)).toMatch(/website/);
        }
      } else {
        expect(expectError(removed, 409, 'invalid_state')).toMatch(/has tasks on this website/);
        expect(kept.length).toBeGreaterThan(0);
      }
      // Whatever won, the project's own view still holds together: every task's website is listed.
      const listed = (await as(host, { method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
      const giveaways = (
        await as(host, { method: 'GET', url: `/api/v1/projects/${project.id}/giveaways` })
      ).json();
      const websiteIds = new Set(listed.websites.map((w: { id: string }) => w.id));
      for (const giveaway of giveaways.giveaways) {
        for (const task of giveaway.tasks) expect(websiteIds.has(task.websiteId)).toBe(true);
      }
      if (removed.statusCode !== 204) {
        for (const res of kept) {
          await as(host, { method: 'DELETE', url: `/api/v1/giveaways/${res.json().id}` });
        }
      }
    }
  });
});

describe('a project deleted while a giveaway is saved in it', () => {
  it('answers both, without a server error', async () => {
    for (let round = 0; round < 6; round++) {
      const project = await newProject();
      const site = await addWebsite(project.id, `https://gone-${round}.example/`);
      const waiting = await draft(project.id, site.id);
      const tasks = [{ websiteId: site.id, event: 'play', name: 'Play' }];
      const answers = await Promise.all([
        as(host, { method: 'DELETE', url: `/api/v1/projects/${project.id}` }),
        createDraft(project.id, site.id),
        as(host, { method: 'PATCH', url: `/api/v1/giveaways/${waiting.id}`, payload: { tasks } }),
      ]);
      for (const answer of answers) expect(answer.statusCode, answer.body).toBeLessThan(500);
    }
  });
});

// The interleavings held in place on the project's row: on SQLite transactions run one at a time.
describe.runIf(testEngine === 'postgres')("a project's deletion and a publish of its draft at once", () => {
  /** Runs `first`, then `second`, each queued on the project's row while a test transaction holds it. */
  async function queued(projectId: string, first: () => Promise<Response>, second: () => Promise<Response>) {
    let answers: Promise<[Response, Response]> | undefined;
    await server.db.transaction().execute(async (tx) => {
      await tx.selectFrom('projects').select('id').where('id', '=', projectId).forUpdate().execute();
      const a = first();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const b = second();
      await new Promise((resolve) => setTimeout(resolve, 300));
      answers = Promise.all([a, b]);
    });
    return answers as Promise<[Response, Response]>;
  }
  type Response = LightMyRequestResponse;

  it('the deletion first: the publish finds the giveaway gone, not live', async () => {
    const project = await newProject();
    const site = await addWebsite(project.id);
    const waiting = await draft(project.id, site.id);
    const [deleted, published] = await queued(
      project.id,
      () => as(host, { method: 'DELETE', url: `/api/v1/projects/${project.id}` }),
      () => as(host, { method: 'POST', url: `/api/v1/giveaways/${waiting.id}/publish` }),
    );
    expect(deleted.statusCode).toBe(204);
    expectError(published, 404, 'not_found');
  });

  it('the publish first: the deletion finds the giveaway live, and is refused', async () => {
    const project = await newProject();
    const site = await addWebsite(project.id);
    const waiting = await draft(project.id, site.id);
    const [published, deleted] = await queued(
      project.id,
      () => as(host, { method: 'POST', url: `/api/v1/giveaways/${waiting.id}/publish` }),
      () => as(host, { method: 'DELETE', url: `/api/v1/projects/${project.id}` }),
    );
    expect(published.statusCode).toBe(200);
    expect(expectError(deleted, 409, 'invalid_state')).toMatch(/is live: end it before deleting the project/);
    const after = await as(host, { method: 'GET', url: `/api/v1/giveaways/${waiting.id}` });
    expect(after.json()).toMatchObject({ status: 'live' });
  });
});

describe('giveaways', () => {
  it('edits a draft entirely, tasks included, and checks it as a whole', async () => {
    const project = await newProject();
    const shop = await addWebsite(project.id);
    const blog = await addWebsite(project.id, 'https://blog.example/');
    const created = await draft(project.id, shop.id);
    const edit = (payload: Record<string, unknown>) =>
      as(host, { method: 'PATCH', url: `/api/v1/giveaways/${created.id}`, payload });

    const res = await edit({
      title: 'Spring Drop',
      winnerMode: 'first_come',
      winnerCount: 2,
      endsAt: new Date(server.clock.now + 86_400_000).toISOString(),
      prizes: [{ name: 'A bike' }],
      tasks: [
        { websiteId: shop.id, event: 'purchase', name: 'Buy something' },
        { websiteId: blog.id, event: 'like_article', name: 'Like 3 articles', requiredAmount: 3 },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: created.id,
      slug: created.slug,
      title: 'Spring Drop',
      winnerMode: 'first_come',
      winnerCount: 2,
      prizes: [{ name: 'A bike' }],
      status: 'draft',
      editable: [
        'title',
        'description',
        'startsAt',
        'endsAt',
        'winnerMode',
        'winnerCount',
        'prizes',
        'tasks',
        'entryChallenge',
        'requireVerifiedEmail',
      ],
    });
    expect(
      res.json().tasks.map((t: { event: string; requiredAmount: number }) => [t.event, t.requiredAmount]),
    ).toEqual([
      ['purchase', 1],
      ['like_article', 3],
    ]);

    // A later change leaves the rest as it is; null clears the end.
    const cleared = await edit({ endsAt: null });
    expect(cleared.json()).toMatchObject({ title: 'Spring Drop', endsAt: null });
    expect(cleared.json().tasks).toHaveLength(2);

    const other = await signupHost(server);
    const foreign = await as(other, {
      method: 'POST',
      url: '/api/v1/projects',
      payload: { name: 'Other' },
    });
    const foreignSite = await as(other, {
      method: 'POST',
      url: `/api/v1/projects/${foreign.json().id}/websites`,
      payload: { name: 'Theirs', url: 'https://theirs.example/' },
    });
    for (const [payload, status, code] of [
      [{ tasks: [{ websiteId: foreignSite.json().id, event: 'sign_up', name: 'x' }] }, 422, 'unprocessable'],
      [{ endsAt: new Date(server.clock.now - 1000).toISOString() }, 400, 'invalid_request'],
      [{ winnerCount: 0 }, 400, 'invalid_request'],
      [{}, 400, 'invalid_request'],
      [{ slug: 'mine' }, 400, 'invalid_request'],
    ] as const) {
      expectError(await edit(payload), status, code);
    }
    const unchanged = await as(host, { method: 'GET', url: `/api/v1/giveaways/${created.id}` });
    expect(unchanged.json()).toMatchObject({ title: 'Spring Drop', winnerCount: 2, endsAt: null });
    expect(unchanged.json().tasks).toHaveLength(2);
  });

  it('deletes a draft; a published giveaway is not deleted', async () => {
    const live = await liveGiveaway(server, { host });
    const waiting = await draft(live.projectId, live.websites[0]?.id ?? '');
    expect((await as(host, { method: 'DELETE', url: `/api/v1/giveaways/${waiting.id}` })).statusCode).toBe(
      204,
    );
    expectError(await as(host, { method: 'GET', url: `/api/v1/giveaways/${waiting.id}` }), 404, 'not_found');
    const refused = await as(host, { method: 'DELETE', url: `/api/v1/giveaways/${live.giveawayId}` });
    expect(expectError(refused, 409, 'invalid_state')).toContain('only a draft');
    expect((await as(host, { method: 'GET', url: `/api/v1/giveaways/${live.giveawayId}` })).statusCode).toBe(
      200,
    );
  });

  it('lets a running giveaway change only its wording and a later end, and says so', async () => {
    const live = await liveGiveaway(server, { host, endsInMs: 3_600_000 });
    const edit = (payload: Record<string, unknown>) =>
      as(host, { method: 'PATCH', url: `/api/v1/giveaways/${live.giveawayId}`, payload });
    const current = await as(host, { method: 'GET', url: `/api/v1/giveaways/${live.giveawayId}` });
    expect(current.json().editable).toEqual(['title', 'description', 'endsAt']);
    const endsAt = current.json().endsAt as string;

    const later = new Date(Date.parse(endsAt) + 3_600_000).toISOString();
    const res = await edit({ description: 'Now with a bike', endsAt: later });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ description: 'Now with a bike', endsAt: later, status: 'live' });
    // The callback path sees the new end: an hour after the old one the giveaway is still live.
    server.clock.advance(2 * 3_600_000 - 60_000);
    const participant = await join(server, live.slug);
    const trackId = await trackIdFor(server, participant, live.tasks[0]?.id ?? '');
    const callback = await postCallback(server, signedCallback(live.apiKey, trackId, 'sign_up'));
    expect(callback.json().code).toBe('completed');

    const sooner = await edit({ endsAt: new Date(Date.parse(later) - 1000).toISOString() });
    expect(expectError(sooner, 409, 'invalid_state')).toContain('only end later');
    const tasks = await edit({ tasks: [], winnerCount: 9 });
    expect(expectError(tasks, 409, 'invalid_state')).toBe(
      'winnerCount, tasks cannot change once the giveaway is published; its title, description and a later endsAt still can',
    );
    const after = await as(host, { method: 'GET', url: `/api/v1/giveaways/${live.giveawayId}` });
    expect(after.json()).toMatchObject({ winnerCount: 3, endsAt: later });
    expect(after.json().tasks).toHaveLength(1);

    await as(host, { method: 'POST', url: `/api/v1/giveaways/${live.giveawayId}/end` });
    const ended = await edit({ description: 'too late' });
    expect(expectError(ended, 409, 'invalid_state')).toContain('nothing about it can change');
    const read = await as(host, { method: 'GET', url: `/api/v1/giveaways/${live.giveawayId}` });
    expect(read.json()).toMatchObject({ description: 'Now with a bike', editable: [] });
  });

  it('pages and searches entries with their progress', async () => {
    const live = await liveGiveaway(server, { host, tasks: [{ event: 'like_article', requiredAmount: 3 }] });
    const emails = ['ann@one.example', 'bob@two.example', 'ann_b@three.example', 'cat@four.example'];
    const entrants = [];
    for (const email of emails) {
      entrants.push(await join(server, live.slug, email));
      server.clock.advance(1000);
    }
    const first = entrants[0];
    if (!first) throw new Error('no entrant');
    const trackId = await trackIdFor(server, first, live.tasks[0]?.id ?? '');
    await postCallback(server, signedCallback(live.apiKey, trackId, 'like_article', 'post-1'));

    const page = (query: string) =>
      as(host, { method: 'GET', url: `/api/v1/giveaways/${live.giveawayId}/entries${query}` });
    const all = await page('?limit=2');
    expect(all.json().total).toBe(4);
    expect(all.json().entries.map((e: { email: string }) => e.email)).toEqual(emails.slice(0, 2));
    expect(all.json().entries[0].tasks).toEqual([{ taskId: live.tasks[0]?.id, count: 1, completed: false }]);
    const second = await page('?limit=2&offset=2');
    expect(second.json().entries.map((e: { email: string }) => e.email)).toEqual(emails.slice(2));

    const ann = await page('?search=ANN');
    expect(ann.json()).toMatchObject({ total: 2 });
    // `_` is a character here, not LIKE's wildcard.
    const underscore = await page('?search=ann_');
    expect(underscore.json().entries.map((e: { email: string }) => e.email)).toEqual(['ann_b@three.example']);
    expect((await page('?search=%25')).json().total).toBe(0);
    expectError(await page('?limit=0'), 400, 'invalid_request');
    // A number not written as one is refused, not read as another: "1.5" is not the integer 1.
    for (const query of ['?limit=1.5', '?limit=0x10', '?limit=1e1', '?offset=1.5']) {
      expect(expectError(await page(query), 400, 'invalid_request'), query).toMatch(
        /^query parameter (limit|offset) must be a whole number$/,
      );
    }
    expect(expectError(await page('?limit=2&limit=3'), 400, 'invalid_request')).toBe(
      'query parameter limit is given twice (limit=2&limit=3): give it once',
    );
    expect((await page('?limit=2&offset=0')).json().entries).toHaveLength(2);
  });
});

describe('webhook endpoints', () => {
  it('rotates an endpoint secret and deletes an endpoint with its log; another host can do neither', async () => {
    const project = await newProject();
    const created = await as(host, {
      method: 'POST',
      url: `/api/v1/projects/${project.id}/webhooks`,
      payload: { url: 'http://127.0.0.1:9/hook' },
    });
    expect(created.statusCode).toBe(201);
    const endpoint = created.json() as { id: string; secret: string };
    const base = `/api/v1/projects/${project.id}/webhooks/${endpoint.id}`;

    const other = await signupHost(server);
    expectError(await as(other, { method: 'POST', url: `${base}/rotate-secret` }), 404, 'not_found');
    expectError(await as(other, { method: 'DELETE', url: base }), 404, 'not_found');

    const rotated = await as(host, { method: 'POST', url: `${base}/rotate-secret` });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(endpoint.secret);
    const listed = await as(host, { method: 'GET', url: `/api/v1/projects/${project.id}/webhooks` });
    expect(listed.json().endpoints[0].secret).toBe(rotated.json().secret);

    expect((await as(host, { method: 'DELETE', url: base })).statusCode).toBe(204);
    expectError(await as(host, { method: 'GET', url: `${base}/deliveries` }), 404, 'not_found');
    const empty = await as(host, { method: 'GET', url: `/api/v1/projects/${project.id}/webhooks` });
    expect(empty.json().endpoints).toEqual([]);
  });
});

describe('cross-site requests', () => {
  let cookie: string;
  let projectId: string;

  beforeAll(async () => {
    const signup = await server.request({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: uniqueEmail(), password: 'correct horse battery' },
    });
    const setCookie = signup.headers['set-cookie'];
    cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
    const project = await server.request({
      method: 'POST',
      url: '/api/v1/projects',
      headers: bearer(signup.json().token),
      payload: { name: 'Cookie Shop' },
    });
    projectId = project.json().id;
  });

  const rename = (headers: Record<string, string>, name: string) =>
    server.request({ method: 'PATCH', url: `/api/v1/projects/${projectId}`, headers, payload: { name } });
  const currentName = async () =>
    (
      await server.request({ method: 'GET', url: `/api/v1/projects/${projectId}`, headers: { cookie } })
    ).json().name;

  it('refuses a change signed in by cookie without an Origin, or from another site, and changes nothing', async () => {
    const missing = await rename({ cookie }, 'Forged');
    expect(expectError(missing, 403, 'cross_site_request')).toContain('Origin');
    const foreign = await rename({ cookie, origin: 'https://evil.example' }, 'Forged');
    expect(expectError(foreign, 403, 'cross_site_request')).toContain('https://evil.example');
    expectError(await rename({ cookie, origin: 'null' }, 'Forged'), 403, 'cross_site_request');
    const logout = await server.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expectError(logout, 403, 'cross_site_request');
    expect(await currentName()).toBe('Cookie Shop');
  });

  it("accepts the public URL's origin, and the origin of the host the request was sent to", async () => {
    expect((await rename({ cookie, origin: publicOrigin }, 'Via public URL')).statusCode).toBe(200);
    expect(await currentName()).toBe('Via public URL');
    const sameHost = await rename(
      { cookie, origin: 'https://proofdrop.internal:8443', host: 'proofdrop.internal:8443' },
      'Via its host',
    );
    expect(sameHost.statusCode).toBe(200);
    expect(await currentName()).toBe('Via its host');
  });

  it('leaves bearer-token clients, reads and the callback alone', async () => {
    const res = await as(host, {
      method: 'POST',
      url: '/api/v1/projects',
      headers: { origin: 'https://evil.example', cookie },
      payload: { name: 'By token' },
    });
    expect(res.statusCode).toBe(201);
    expect(await currentName()).toBe('Via its host');
    const live = await liveGiveaway(server, { host, websiteUrls: ['https://site.example/'] });
    const participant = await join(server, live.slug);
    const trackId = await trackIdFor(server, participant, live.tasks[0]?.id ?? '');
    const callback = await postCallback(server, signedCallback(live.apiKey, trackId, 'sign_up'), {
      origin: 'https://site.example',
      cookie: `${cookie}; ${participant.cookie}`,
    });
    expect(callback.json().code).toBe('completed');
  });
});

describe('the live callback log', () => {
  it('starts after the row given by ?after, as the console asks once it has read the latest page', async () => {
    const live = await liveGiveaway(server, { host, tasks: [{ event: 'like_article', requiredAmount: 5 }] });
    const participant = await join(server, live.slug);
    const trackId = await trackIdFor(server, participant, live.tasks[0]?.id ?? '');
    for (const remark of ['a', 'b', 'c']) {
      await postCallback(server, signedCallback(live.apiKey, trackId, 'like_article', remark));
    }
    const log = await as(host, {
      method: 'GET',
      url: `/api/v1/projects/${live.projectId}/callbacks?limit=1`,
    });
    const newest = log.json().callbacks[0] as { id: number; remark: string };
    expect(newest.remark).toBe('c');
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${address}/api/v1/projects/${live.projectId}/callbacks/events`;
    const reading = readEvents(
      `${url}?after=${newest.id - 1}`,
      bearer(host.token),
      (events) => events.length >= 2,
    );
    // Whether 'd' lands before or after the stream opens, it comes once, after 'c'.
    await postCallback(server, signedCallback(live.apiKey, trackId, 'like_article', 'd'));
    const { events } = await reading;
    expect(events.map((e) => (e.data as { remark: string }).remark)).toEqual(['c', 'd']);
    const bad = await as(host, {
      method: 'GET',
      url: `/api/v1/projects/${live.projectId}/callbacks/events?after=x`,
    });
    expectError(bad, 400, 'invalid_request');
  });
});
