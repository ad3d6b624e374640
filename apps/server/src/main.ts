import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseSetupError } from './db/database-setup-error.js';
import { MasterKeyError } from './secrets/master-key.js';

/** How long closing may take past SHUTDOWN_TIMEOUT_S once the connections are gone. */
const LAST_RESORT_MS = 5000;

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, services } = await buildApp({ config });
  const shutdown = async (signal: string, exitCode = 0) => {
    app.log.info({ signal }, 'shutting down');
    const deadlineMs = config.http.shutdownTimeoutS * 1000;
    const timers: NodeJS.Timeout[] = [];
    if (deadlineMs > 0) {
      // Requests in flight get until the deadline; a slow upload or a stuck client must not hold the exit.
      timers.push(
        setTimeout(() => {
          app.log.warn({ afterSeconds: config.http.shutdownTimeoutS }, 'closing the connections still open');
          app.server.closeAllConnections();
        }, deadlineMs),
        // Should closing itself hang (a database that does not answer), exit anyway, as a failure.
        setTimeout(() => {
          app.log.error('shutdown did not finish; exiting');
          process.exit(1);
        }, deadlineMs + LAST_RESORT_MS),
      );
    }
    await app.close().catch((error: unknown) => app.log.error({ err: error }, 'closing failed'));
    for (const timer of timers) clearTimeout(timer);
    process.exit(exitCode);
  };
  // A writer that died stays dead: exit non-zero, so that a supervisor (systemd, Docker, Kubernetes) starts a
  // fresh process instead of this one answering 503 to every write for ever.
  services.writer.onFailure((error) => {
    app.log.fatal(
      { err: error.message },
      'the writer stopped; exiting so that a supervisor restarts the server',
    );
    void shutdown('writer stopped', 1);
  });
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
