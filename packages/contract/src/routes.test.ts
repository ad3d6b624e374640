import { describe, expect, it } from 'vitest';
import { CODES, ERROR_STATUS } from './errors.js';
import { routes } from './routes.js';

describe('the route table', () => {
  it.each(
    Object.entries(routes),
  )('%s: its params schema names exactly the url’s parameters', (_name, route) => {
    const inUrl = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]);
    const inSchema = 'params' in route ? Object.keys(route.params.properties) : [];
    expect(inSchema.sort()).toEqual(inUrl.sort());
  });

  it('has one entry per method and url', () => {
    const keys = Object.values(routes).map(({ method, url }) => `${method} ${url}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fails only with statuses that some error code has', () => {
    for (const route of Object.values(routes)) {
      for (const status of Object.keys(route.response).map(Number)) {
        if (status >= 400) expect(Object.values(ERROR_STATUS)).toContain(status);
      }
    }
  });
});

describe('codes', () => {
  it('are each listed once, every error code with its status', () => {
    expect(new Set(CODES).size).toBe(CODES.length);
    for (const code of Object.keys(ERROR_STATUS)) expect(CODES).toContain(code);
  });
});
