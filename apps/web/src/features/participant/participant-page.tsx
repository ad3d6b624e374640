import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useDocumentTitle } from '../../lib/document-title';
import { useEventStream } from '../../lib/sse';
import {
  entryKey,
  giveawayKey,
  myEntryEventsUrl,
  useGiveaway,
  useMyEntry,
  useProofFollowsPhase,
} from './api';
import { DrawResult } from './components/draw-result';
import { EntryLinkFollower, SendEntryLinkForm } from './components/entry-link';
import { GiveawayHeader } from './components/giveaway-header';
import { GiveawayLoadError } from './components/giveaway-missing';
import { InAppBrowserNotice } from './components/in-app-browser-notice';
import { JoinForm } from './components/join-form';
import { MyEntryPanel } from './components/my-entry';
import { useProgressChanges } from './use-progress-changes';

export function ParticipantPage() {
  const { slug = '' } = useParams();
  const queryClient = useQueryClient();
  const giveaway = useGiveaway(slug);
  const entry = useMyEntry(slug);
  const joined = entry.data ?? null;
  const stream = useEventStream(joined ? myEntryEventsUrl(slug) : null, 'progress', entryKey(slug));
  const { receipts, announcement } = useProgressChanges(joined);
  useDocumentTitle(giveaway.data?.title);
  useProofFollowsPhase(slug, giveaway.data?.status);
  const refreshPhase = useCallback(
    () => queryClient.invalidateQueries({ queryKey: giveawayKey(slug) }),
    [queryClient, slug],
  );

  if (giveaway.isPending || entry.isPending) return <LoadingState label="Loading the giveaway…" />;
  if (giveaway.isError) return <GiveawayLoadError error={giveaway.error} retry={() => giveaway.refetch()} />;
  const { status } = giveaway.data;

  return (
    <div className="stack page--narrow participant-page">
      <InAppBrowserNotice />
      <GiveawayHeader giveaway={giveaway.data} onPhaseEnd={refreshPhase} />
      <EntryLinkFollower slug={slug} />
      {status === 'ended' && (
        <div className="notice notice--info">
          The giveaway has ended. The winners will be drawn soon, and shown on this page.
        </div>
      )}
      {status === 'drawn' && <DrawResult slug={slug} participantId={joined?.participantId ?? null} />}
      {entry.isError && (
        <ErrorState error={entry.error} title="Your entry cannot be loaded" retry={() => entry.refetch()} />
      )}
      {!joined && !entry.isError && status === 'live' && <JoinForm slug={slug} giveaway={giveaway.data} />}
      {!joined && status === 'scheduled' && (
        <div className="notice notice--info">Joining opens when the giveaway starts. Come back then!</div>
      )}
      {!joined && (status === 'ended' || status === 'drawn') && (
        <div className="notice">This giveaway has ended: joining is closed.</div>
      )}
      {!joined && !entry.isError && giveaway.data.requireVerifiedEmail && <SendEntryLinkForm slug={slug} />}
      {joined && <MyEntryPanel entry={joined} status={status} stream={stream} receipts={receipts} />}
      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}
