import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/** Where the committed document lives, and the command that rewrites it. */
export const OPENAPI_FILE = 'docs/openapi.json';
export const OPENAPI_COMMAND = 'npm run openapi';

/**
 * The OpenAPI document exactly as /api/openapi.json serves it, from an app built on a throwaway SQLite
 * database and never listening: the routes' schemas do not depend on the engine or the settings.
 */
export async function openApiDocument(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofdrop-openapi-'));
  try {
    const config = loadConfig({
      DATABASE_URL: `sqlite:${path.join(dir, 'openapi.db')}`,
      LOG_LEVEL: 'silent',
    });
    const { app } = await buildApp({ config });
    try {
      return `${JSON.stringify(app.swagger(), null, 2)}\n`;
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
