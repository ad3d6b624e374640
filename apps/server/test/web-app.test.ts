import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, signupHost, startServer, type TestServer, tempDir } from './support.js';

/** A stand-in for apps/web/dist: these tests are about serving a build, not about the app in it. */
function fakeBuild(): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><html><head>\n<!-- page-head -->\n<title>Proofdrop</title>\n<!-- /page-head -->\n<script src="/assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>',
  );
  fs.writeFileSync(path.join(root, 'assets', 'app-1a2b.js'), 'console.log("app")');
  fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return root;
}

const asBrowser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function publishedGiveaway(server: TestServer, title: string, description: string, publish = true) {
  const host = await signupHost(server);
  const auth = bearer(host.token);
  const project = (
    await server.request({
      method: 'POST',
      url: '/api/v1/projects',
      headers: auth,
      payload: { name: 'Shop' },
    })
  ).json();
  const website = (
    await server.request({
      method: 'POST',
      url: `/api/v1/projects/${project.id}/websites`,
      headers: auth,
      payload: { name: 'Shop', url: 'https://shop.example/' },
    })
  ).json();
  const giveaway = (
    await server.request({
      method: 'POST',
      url: `/api/v1/projects/${project.id}/giveaways`,
      headers: auth,
      payload: {
        title,
        description,
        winnerMode: 'lucky_draw',
        winnerCount: 1,
        tasks: [{ websiteId: website.id, event: 'sign_up', name: 'Sign up' }],
      },
    })
  ).json();
  if (publish) {
    await server.request({ method: 'POST', url: `/api/v1/giveaways/${giveaway.id}/publish`, headers: auth });
  }
  return giveaway.slug as string;
}

describe('the web app, served by the API server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ PUBLIC_URL: 'https://drops.example' }, undefined, { webRoot: fakeBuild() });
  });

  it('answers / with the page shell, for any client', async () => {
    const res = await server.request({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root"></div>');
  });

  it("answers a browser's client-side route with the shell, and a reload keeps working", async () => {
    const res = await server.request({
      method: 'GET',
      url: '/projects/prj_123/settings',
      headers: asBrowser,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="root"></div>');
  });

  it('keeps unknown API paths, non-page requests and missing build files JSON 404s', async () => {
    for (const [url, headers] of [
      ['/api/v1/nothing-here', asBrowser],
      ['/projects/prj_123', { accept: 'application/json' }],
      ['/assets/gone-0000.js', asBrowser],
      ['/go/unknown-task/extra', asBrowser],
    ] as const) {
      const res = await server.request({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ ok: false, code: 'not_found' });
    }
    const post = await server.request({ method: 'POST', url: '/projects', headers: asBrowser, payload: {} });
    expect(post.statusCode).toBe(404);
    expect(post.json()).toMatchObject({ ok: false, code: 'not_found' });
  });

  it("serves the build's files, the hashed ones cacheable for good", async () => {
    const asset = await server.request({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await server.request({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it("heads the participant page with the giveaway's title and description, escaped", async () => {
    const slug = await publishedGiveaway(
      server,
      'Win "big" <b>now</b> & more',
      'A bike</title><script>x()</script>',
    );
    const res = await server.request({ method: 'GET', url: `/g/${slug}`, headers: asBrowser });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Win &#34;big&#34; &#60;b&#62;now&#60;/b&#62; &#38; more</title>');
    expect(res.body).toContain(
      '<meta property="og:description" content="A bike&#60;/title&#62;&#60;script&#62;x()&#60;/script&#62;" />',
    );
    expect(res.body).toContain(`<meta property="og:url" content="https://drops.example/g/${slug}" />`);
    expect(res.body).not.toContain('<script>x()');
    expect(res.body).not.toContain('<title>Proofdrop</title>');

    const proof = await server.request({ method: 'GET', url: `/g/${slug}/proof`, headers: asBrowser });
    expect(proof.statusCode).toBe(200);
    expect(proof.body).toContain('<meta property="og:title" content="Proof of the draw: Win &#34;big&#34;');
  });

  it('answers an unknown or unpublished giveaway with the shell and a 404, telling nothing about drafts', async () => {
    const draft = await publishedGiveaway(server, 'Secret draft', 'not yet', false);
    for (const slug of ['no-such-giveaway', draft]) {
      const res = await server.request({ method: 'GET', url: `/g/${slug}`, headers: asBrowser });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('<title>Proofdrop</title>');
      expect(res.body).not.toContain('Secret draft');
    }
  });
});

describe('the API server without a web build', () => {
  it('starts and serves the API alone; / is a JSON 404', async () => {
    const server = await startServer({}, undefined, { webRoot: tempDir() });
    expect((await server.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const root = await server.request({ method: 'GET', url: '/', headers: asBrowser });
    expect(root.statusCode).toBe(404);
    expect(root.json()).toMatchObject({ ok: false, code: 'not_found' });
  });
});
