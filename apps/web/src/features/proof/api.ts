import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

// Until @proofdrop/contract lands, the draw proof as the API serves it.
export type DrawProof = {
  version: string;
  winnerMode: 'lucky_draw' | 'first_come';
  winnerCount: number;
  commitment: string;
  committedAt: string;
  guarantee: string;
  beacon: {
    chain: string;
    chainHash: string;
    round: number | null;
    signature: string | null;
    randomness: string | null;
  } | null;
  frozenAt: string | null;
  entries: string[] | null;
  listHash: string | null;
  merkleRoot: string | null;
  seed: string | null;
  winners: { rank: number; entryId: string }[] | null;
};

export const drawProofKey = (slug: string) => ['draw-proof', slug] as const;

export function useDrawProof(slug: string) {
  return useQuery({
    queryKey: drawProofKey(slug),
    queryFn: ({ signal }) => api<DrawProof>(`/api/v1/giveaways/${encodeURIComponent(slug)}/draw`, { signal }),
  });
}
