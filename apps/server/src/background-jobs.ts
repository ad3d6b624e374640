import type { FastifyBaseLogger } from 'fastify';
import type { Services } from './services.js';

/**
 * Once a second: freeze giveaways whose end passed unattended (which queues giveaway.ended), then start
 * delivering the webhooks that are due (without waiting for them); once a minute, delete what is past its
 * retention. A run that is still going when the next tick comes is not doubled.
 */
export function startBackgroundJobs(
  services: Pick<Services, 'draws' | 'webhooks' | 'retention'>,
  log: FastifyBaseLogger,
  intervalMs = 1000,
) {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      await services.draws.freezeDue();
      await services.webhooks.pump();
      await services.retention.purgeIfDue();
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
