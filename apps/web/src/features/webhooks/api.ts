import type {
  Delivery,
  Endpoint,
  EndpointInput,
  SecretRotationInput,
  WebhookTest,
} from '@proofdrop/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type { Delivery, Endpoint as WebhookEndpoint };

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

/**
 * A delivery not tried yet, to an enabled endpoint: it goes out at once, and its answer comes within the
 * delivery's timeout. (While it is under way its next try reads a minute ahead: the lease on it.)
 */
export const isBeingSent = (delivery: Delivery) =>
  delivery.state === 'pending' && delivery.attempts.length === 0;

export function useDeliveries(projectId: string, endpointId: string, endpointEnabled: boolean) {
  return useQuery({
    queryKey: deliveriesKey(projectId, endpointId),
    queryFn: ({ signal }) =>
      api<{ deliveries: Delivery[] }>(`${endpointPath(projectId, endpointId)}/deliveries?limit=20`, {
        signal,
      }),
    // A disabled endpoint's deliveries wait for it: looking again would show nothing new.
    refetchInterval: (query) =>
      endpointEnabled && query.state.data?.deliveries.some(isBeingSent) ? SENDING_POLL_MS : false,
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

export const useEnableEndpoint = (projectId: string) =>
  useEndpointMutation(projectId, (endpointId: string) =>
    api<Endpoint>(`${endpointPath(projectId, endpointId)}/enable`, { method: 'POST' }),
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
