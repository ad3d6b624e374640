import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/api';
import { fetchChallenge } from './api';
import { altchaPayload, solvePow } from './proof-of-work';

export type ProofOfWork =
  | { state: 'off' }
  | { state: 'solving'; tried: number }
  | { state: 'solved'; altcha: string }
  | { state: 'failed'; message: string };

/**
 * The giveaway's proof of work, solved in this browser as soon as the page opens so the Join button is ready
 * by the time an email is typed. `renew` fetches and solves a fresh challenge (after a failed join).
 */
export function useProofOfWork(slug: string, enabled: boolean) {
  const [round, setRound] = useState(0);
  const [work, setWork] = useState<ProofOfWork>(enabled ? { state: 'solving', tried: 0 } : { state: 'off' });

  useEffect(() => {
    if (!enabled) return;
    // `round` is read so that renew() starts another challenge.
    void round;
    const controller = new AbortController();
    const { signal } = controller;
    setWork({ state: 'solving', tried: 0 });
    fetchChallenge(slug, signal)
      .then(async (challenge) => {
        const solution = await solvePow(challenge, {
          signal,
          onProgress: (tried) => setWork({ state: 'solving', tried }),
        });
        if (!signal.aborted) setWork({ state: 'solved', altcha: altchaPayload(challenge, solution) });
      })
      .catch((error: unknown) => {
        if (!signal.aborted) setWork({ state: 'failed', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [slug, enabled, round]);

  const renew = useCallback(() => setRound((n) => n + 1), []);
  return { work, renew };
}
