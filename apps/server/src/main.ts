import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseSetupError } from './db/database.js';

/** How long closing may take past SHUTDOWN_TIMEOUT_S once the connections are gone. */
const LAST_RESORT_MS = 5000;

async function main(): Promise<void> {
  const config = loadConfig();
  const { app } = await buildApp({ config });
  const shutdown = async (signal: string) => {
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
    await app.close();
    for (const timer of timers) clearTimeout(timer);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ publicUrl: config.publicUrl, database: config.database.engine }, 'Proofdrop is ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseSetupError) {
    console.error(`proofdrop: ${error.message}`);
  } else {
    console.error('proofdrop: failed to start', error);
  }
  process.exit(1);
});
