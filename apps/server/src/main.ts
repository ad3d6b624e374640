import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseSetupError } from './db/database.js';
import { MasterKeyError } from './secrets/master-key.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const { app } = await buildApp({ config });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ publicUrl: config.publicUrl, database: config.database.engine }, 'Proofdrop is ready');
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseSetupError ||
    error instanceof MasterKeyError
  ) {
    console.error(`proofdrop: ${error.message}`);
  } else {
    console.error('proofdrop: failed to start', error);
  }
  process.exit(1);
});
