import { EmptyState, ErrorState } from '../../../components/states';
import { ApiError } from '../../../lib/api';

/** A giveaway that failed to load: "not here" for an unknown or unpublished one, else the server's message. */
export function GiveawayLoadError({ error, retry }: { error: unknown; retry: () => void }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <EmptyState level={1} title="There is no giveaway at this address">
        <p>Check the link you were given. A giveaway shows here once its host publishes it.</p>
      </EmptyState>
    );
  }
  return <ErrorState error={error} title="This giveaway cannot be shown" retry={retry} />;
}
