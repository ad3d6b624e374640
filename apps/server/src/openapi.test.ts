import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
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
    const codes: string[] = document.components.schemas.Error.properties.code.enum;
    expect(codes).toEqual(
      expect.arrayContaining(['invalid_signature', 'rate_limited', 'recorded', 'verified']),
    );
  });
});
