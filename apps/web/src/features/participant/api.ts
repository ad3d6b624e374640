import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';

// Until @proofdrop/contract lands, the shapes this page reads, kept to the fields it uses.
export type PublicGiveaway = {
  slug: string;
  title: string;
  description: string;
  startsAt: string | null;
  endsAt: string | null;
  winnerMode: 'lucky_draw' | 'first_come';
  winnerCount: number;
  prizes: { name: string; description?: string }[];
  status: 'draft' | 'scheduled' | 'live' | 'ended' | 'drawn';
  endedAt: string | null;
  tasks: { id: string; websiteId: string; event: string; name: string; requiredAmount: number }[];
};

export const giveawayKey = (slug: string) => ['giveaway', slug] as const;

export function useGiveaway(slug: string) {
  return useQuery({
    queryKey: giveawayKey(slug),
    queryFn: ({ signal }) => api<PublicGiveaway>(`/api/v1/giveaways/${encodeURIComponent(slug)}`, { signal }),
  });
}
