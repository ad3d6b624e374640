import { describe, expect, it, vi } from 'vitest';
import { bearer, liveGiveaway, startServer, testEngine } from './support.js';

/** Headers every answer carries, answers that must not be cached, and who may read /metrics and /readyz. */

const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });

function directives(csp: string | undefined): Record<string, string> {
  return Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]),
  );
}

describe(`security headers (${testEngine})`, () => {
  it('every answer says nosniff, a CSP that forbids framing, and a referrer policy', async () => {
    for (const url of ['/healthz', '/api/v1/auth/me', '/no/such/page', '/api/openapi.json']) {
      const res = await server.request({ url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(directives(res.headers['content-security-policy'] as string)['frame-ancestors']).toBe("'none'");
      // Over plain http, HSTS would pin nothing, and upgrading requests would break them.
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
  });

  it('documents get the same-origin policy the web app runs under, whichever route made them', async () => {
    const pages = [
      await server.request({ url: '/docs' }),
      await server.request({ url: '/go/tk_unknown', headers: { accept: 'text/html' } }),
    ];
    for (const res of pages) {
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(directives(res.headers['content-security-policy'] as string)).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'script-src-attr': "'none'",
        'style-src': "'self' 'unsafe-inline'",
        'connect-src': "'self'",
        'img-src': "'self' data:",
        'font-src': "'self' data:",
        'object-src': "'none'",
        'base-uri': "'self'",
        'form-action': "'self'",
        'frame-ancestors': "'none'",
      });
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });

  it('data is data: a policy that loads nothing, and no headers that only steer a document', async () => {
    const answers = [
      await server.request({ url: '/api/v1/auth/me' }),
      await server.request({ url: '/api/openapi.json' }),
      await server.request({ method: 'POST', url: '/api/callback', payload: { track_id: 'nope' } }),
      await server.request({ url: '/api/no/such/route', headers: { accept: 'text/html' } }),
      await server.request({ url: '/healthz' }),
      await server.request({ url: '/docs/static/swagger-initializer.js' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([401, 200, 400, 404, 200, 200]);
    for (const res of answers) {
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      for (const name of [
        'cross-origin-opener-policy',
        'origin-agent-cluster',
        'x-dns-prefetch-control',
        'x-download-options',
        'x-permitted-cross-domain-policies',
        'x-xss-protection',
      ]) {
        expect(res.headers[name], name).toBeUndefined();
      }
    }
  });

  it('HSTS only when PUBLIC_URL is https', async () => {
    const secure = await startServer({ PUBLIC_URL: 'https://drops.example' });
    for (const url of ['/healthz', '/api/v1/auth/me']) {
      const res = await secure.request({ url });
      expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
    }
  });

  it('/docs still serves Swagger UI from its own files, under the same policy', async () => {
    const page = await server.request({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(directives(page.headers['content-security-policy'] as string)['script-src']).toBe("'self'");
    // Everything the page runs is a file of its own origin: nothing inline for the CSP to refuse.
    const scripts = [...page.body.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/docs\/static\/[\w.-]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(page.body).not.toMatch(/\son\w+=/);
    const initializer = await server.request({ url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toContain('validatorUrl');
  });

  it('answers carrying a key, a secret or a token are never cached', async () => {
    const fixture = await liveGiveaway(server);
    const auth = bearer(fixture.host.token);
    const project = `/api/v1/projects/${fixture.projectId}`;
    const answers = [
      await server.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.com', password: 'x' },
      }),
      await server.request({
        method: 'POST',
        url: '/api/v1/projects',
        headers: auth,
        payload: { name: 'P' },
      }),
      await server.request({ url: '/api/v1/projects', headers: auth }),
      await server.request({ url: project, headers: auth }),
      await server.request({ method: 'POST', url: `${project}/api-key/rotate`, headers: auth, payload: {} }),
      await server.request({
        method: 'POST',
        url: `${project}/webhooks`,
        headers: auth,
        payload: { url: 'http://127.0.0.1:9/hooks' },
      }),
      await server.request({ url: `${project}/webhooks`, headers: auth }),
      await server.request({ method: 'POST', url: '/api/v1/auth/invites', headers: auth }),
      await server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${fixture.slug}/entries`,
        payload: { email: 'fan@example.com' },
      }),
      // The email link's answer carries the entry's token, as the join's does.
      await server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${fixture.slug}/entries/verify`,
        payload: { token: 'no-such-link' },
      }),
    ];
    for (const res of answers) expect(res.headers['cache-control'], res.body).toBe('no-store');
    expect(answers.map((a) => a.statusCode)).toEqual([401, 201, 200, 200, 200, 201, 200, 201, 201, 400]);
  });
});

describe(`operations endpoints (${testEngine})`, () => {
  it('/metrics answers loopback, and anyone else only with METRICS_TOKEN', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await startServer({ METRICS_TOKEN: token });
    const metrics = (remoteAddress: string, headers: Record<string, string> = {}) =>
      guarded.request({ url: '/metrics', remoteAddress, headers });
    expect((await metrics('127.0.0.1')).statusCode).toBe(200);
    expect((await metrics('::1')).statusCode).toBe(200);
    const stranger = await metrics('203.0.113.9');
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body).not.toContain('proofdrop_');
    expect((await metrics('203.0.113.9', bearer('metrics-token-wrong-guess'))).statusCode).toBe(403);
    const scraper = await metrics('203.0.113.9', bearer(token));
    expect(scraper.statusCode).toBe(200);
    // Without a token set, a stranger is refused whatever it sends.
    expect((await server.request({ url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode).toBe(403);
  });

  it('a flood of /readyz probes costs the database one query, not one each', async () => {
    await server.request({ url: '/readyz' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const executor = server.db.getExecutor();
    const queries = vi.spyOn(executor, 'executeQuery');
    const answers = await Promise.all(Array.from({ length: 50 }, () => server.request({ url: '/readyz' })));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    // Only the readiness check's own query: the background jobs (cleanups, outboxes) query on their own clock.
    const checks = queries.mock.calls.filter(([query]) => query.sql === 'select 1');
    expect(checks).toHaveLength(1);
    queries.mockRestore();
  });
});
