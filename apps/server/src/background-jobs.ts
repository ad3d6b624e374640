import type { FastifyBaseLogger } from 'fastify';
import type { Services } from './services.js';

/** Expired rows are cleared about once a minute: their readers check the expiry themselves. */
const PRUNE_EVERY_TICKS = 60;

/**
 * Once a second: freeze giveaways whose end passed unattended (which queues giveaway.ended), then deliver
 * the webhooks and mails that are due; about once a minute, clear expired rows and purge expired sessions.
 * A run that is still going when the next tick comes is not doubled.
 */
export function startBackgroundJobs(
  services: Pick<Services, 'draws' | 'webhooks' | 'mail' | 'deleteExpiredRows' | 'hosts'>,
  log: FastifyBaseLogger,
  intervalMs = 1000,
) {
  let running: Promise<void> | undefined;
  let ticks = 0;
  const tick = () => {
    running ??= (async () => {
      await services.draws.freezeDue();
      await services.webhooks.deliverDue();
      await services.mail?.deliverDue();
      if (ticks++ % PRUNE_EVERY_TICKS === 0) await services.deleteExpiredRows();
      await services.hosts.purgeExpiredIfDue();
    })()
      .catch((error: unknown) => log.error({ err: error }, 'background job failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
