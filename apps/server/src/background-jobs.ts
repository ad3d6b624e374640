import type { FastifyBaseLogger } from 'fastify';
import type { Services } from './services.js';

/**
 * Once a second: freeze giveaways whose end passed unattended (which queues giveaway.ended), then deliver
 * the webhooks that are due. A run that is still going when the next tick comes is not doubled.
 */
export function startBackgroundJobs(
  services: Pick<Services, 'draws' | 'webhooks'>,
  log: FastifyBaseLogger,
  intervalMs = 1000,
) {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      await services.draws.freezeDue();
      await services.webhooks.deliverDue();
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
