import type {
  Delivery,
  DeliveryState,
  Endpoint,
  EndpointInput,
  EndpointPatch,
  SecretRotationInput,
  WebhookTest,
} from '@proofdrop/contract';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type { Delivery, DeliveryState, Endpoint as WebhookEndpoint };

const endpointsKey = (projectId: string) => ['webhooks', projectId] as const;
const deliveriesKey = (projectId: string, endpointId: string) =>
  ['webhooks', projectId, endpointId, 'deliveries'] as const;
const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/webhooks`;
const endpointPath = (projectId: string, endpointId: string) =>
  `${base(projectId)}/${encodeURIComponent(endpointId)}`;

export function useEndpoints(projectId: string) {
  return useQuery({
    queryKey: endpointsKey(projectId),
    queryFn: ({ signal }) => api<{ endpoints: Endpoint[] }>(base(projectId), { signal }),
  });
}

/** How often an open delivery list looks again while a delivery is on its way (a test just sent). */
const SENDING_POLL_MS = 1_000;

/** The lease a delivery under way holds: its next try reads this far ahead until its answer is recorded. */
const DELIVERY_LEASE_MS = 60_000;

/**
 * A delivery on its way to an enabled endpoint: not tried yet, or sent again and due (or under way) within
 * the lease. Its answer comes within the delivery's timeout; a retry hours ahead is not on its way.
 */
export const isBeingSent = (delivery: Delivery, now: number) =>
  delivery.state === 'pending' &&
  (delivery.attempts.length === 0 ||
    (delivery.nextAttemptAt !== null && Date.parse(delivery.nextAttemptAt) - now <= DELIVERY_LEASE_MS));

type DeliveryPage = { deliveries: Delivery[]; nextBefore: string | null };

/** An endpoint's deliveries, newest first, `state`'s alone when given, older pages read on request. */
export function useDeliveries(
  projectId: string,
  endpointId: string,
  endpointEnabled: boolean,
  state: DeliveryState | undefined,
) {
  return useInfiniteQuery({
    queryKey: [...deliveriesKey(projectId, endpointId), state ?? 'all'],
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: '20' });
      if (state) params.set('state', state);
      if (pageParam) params.set('before', pageParam);
      return api<DeliveryPage>(`${endpointPath(projectId, endpointId)}/deliveries?${params}`, { signal });
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    // A disabled endpoint's deliveries wait for it: looking again would show nothing new.
    refetchInterval: (query) =>
      endpointEnabled &&
      query.state.data?.pages.some((page) => page.deliveries.some((d) => isBeingSent(d, Date.now())))
        ? SENDING_POLL_MS
        : false,
  });
}

export const useSendTest = (projectId: string, endpointId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<WebhookTest>(`${endpointPath(projectId, endpointId)}/test`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(projectId, endpointId) }),
  });
};

function useEndpointMutation<I, O>(projectId: string, call: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: endpointsKey(projectId) }),
  });
}

export const useAddEndpoint = (projectId: string) =>
  useEndpointMutation(projectId, (input: EndpointInput) =>
    api<Endpoint>(base(projectId), { method: 'POST', body: input }),
  );

export const useUpdateEndpoint = (projectId: string) =>
  useEndpointMutation(projectId, ({ endpointId, patch }: { endpointId: string; patch: EndpointPatch }) =>
    api<Endpoint>(endpointPath(projectId, endpointId), { method: 'PATCH', body: patch }),
  );

export const useRotateSecret = (projectId: string) =>
  useEndpointMutation(projectId, ({ endpointId, graceHours }: { endpointId: string; graceHours: number }) =>
    api<Endpoint>(`${endpointPath(projectId, endpointId)}/rotate-secret`, {
      method: 'POST',
      body: { graceHours } satisfies SecretRotationInput,
    }),
  );

export const useDeleteEndpoint = (projectId: string) =>
  useEndpointMutation(projectId, (endpointId: string) =>
    api<void>(endpointPath(projectId, endpointId), { method: 'DELETE' }),
  );

export const useRedeliver = (projectId: string, endpointId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) =>
      api<{ ok: true }>(
        `${endpointPath(projectId, endpointId)}/messages/${encodeURIComponent(messageId)}/redeliver`,
        { method: 'POST' },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(projectId, endpointId) }),
  });
};
