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
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw listenError(error, config.port, config.host);
  }
  app.log.info({ publicUrl: config.publicUrl, database: config.database.engine }, 'Proofdrop is ready');
}

/** A failure to listen, said in terms of the setting to change. */
function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      `port ${port} on ${host} is already in use by another program: set PORT to a free port`,
    );
  }
  if (code === 'EACCES') {
    return new ConfigError(`this user may not listen on port ${port}: set PORT to 1024 or above`);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConfigError(
      `HOST ${host} is not an address of this machine: set HOST, e.g. 127.0.0.1 or 0.0.0.0`,
    );
  }
  return error;
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
