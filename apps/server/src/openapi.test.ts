import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CODES, routes } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import { OPENAPI_COMMAND, OPENAPI_FILE, openApiDocument } from './openapi.js';

const committed = fileURLToPath(new URL(`../../../${OPENAPI_FILE}`, import.meta.url));

describe('the committed OpenAPI document', () => {
  it(`is what the server generates (run \`${OPENAPI_COMMAND}\` to regenerate ${OPENAPI_FILE})`, async () => {
    const generated = await openApiDocument();
    const onDisk = fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : '';
    expect(
      onDisk === generated,
      `${OPENAPI_FILE} is stale: run \`${OPENAPI_COMMAND}\` and commit the result`,
    ).toBe(true);
  });

  it('lists every code an answer can carry', async () => {
    const document = JSON.parse(await openApiDocument());
    const unauthorized = document.paths['/api/v1/auth/me'].get.responses['401'];
    expect(unauthorized.content['application/json'].schema.properties.code.enum).toEqual(CODES);
    expect(CODES).toEqual(
      expect.arrayContaining(['invalid_signature', 'rate_limited', 'recorded', 'verified']),
    );
  });

  it("serves exactly the contract's route table", async () => {
    const document = JSON.parse(await openApiDocument());
    const served = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([url, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${url}`),
    );
    const table = Object.values(routes).map(
      ({ method, url }) => `${method} ${url.replace(/:([A-Za-z]+)/g, '{$1}')}`,
    );
    expect(served.sort()).toEqual(table.sort());
  });
});
