/** Writes docs/openapi.json from the server's routes: `npm run openapi` (from the repository root). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPENAPI_FILE, openApiDocument } from '../src/openapi.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
fs.writeFileSync(path.join(repoRoot, OPENAPI_FILE), await openApiDocument());
console.log(`wrote ${OPENAPI_FILE}`);
