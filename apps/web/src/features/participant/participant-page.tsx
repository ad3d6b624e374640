import type { MyEntry, PublicGiveaway } from '@proofdrop/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useDocumentTitle } from '../../lib/document-title';
import { streamEvent, useEventStream } from '../../lib/sse';
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
  const entry = useMyEntry(slug);
  const joined = entry.data ?? null;
  // Once joined, the entry's stream carries the giveaway too: each change of phase arrives as it happens.
  const stream = useEventStream(joined ? myEntryEventsUrl(slug) : null, [
    streamEvent<MyEntry>('progress', entryKey(slug)),
    streamEvent<PublicGiveaway>('giveaway', giveawayKey(slug)),
  ]);
  const following = joined !== null && stream === 'open';
  const giveaway = useGiveaway(slug, joined ? stream : undefined);
  const { receipts, announcement } = useProgressChanges(joined);
  useDocumentTitle(giveaway.data?.title);
  useProofFollowsPhase(slug, giveaway.data?.status);
  // A stream that follows the giveaway hears its start or end from the server, on the server's clock: every
  // open page asking at the same second would only repeat it.
  const refreshPhase = useCallback(() => {
    if (!following) void queryClient.invalidateQueries({ queryKey: giveawayKey(slug) });
  }, [queryClient, slug, following]);

  if (giveaway.isPending || entry.isPending) return <LoadingState label="Loading the giveaway…" />;
  if (giveaway.isError) return <GiveawayLoadError error={giveaway.error} retry={() => giveaway.refetch()} />;
  const { status } = giveaway.data;

  return (
    <div className="stack page--narrow participant-page">
      <InAppBrowserNotice />
      <GiveawayHeader giveaway={giveaway.data} onPhaseEnd={refreshPhase} />
      <EntryLinkFollower slug={slug} confirms={giveaway.data.requireVerifiedEmail} />
      {status === 'ended' && (
        <div className="notice notice--info">
          The giveaway has ended. The winners will be drawn soon, and shown on this page.
        </div>
      )}
      {status === 'drawn' && <DrawResult slug={slug} entry={joined} prizes={giveaway.data.prizes} />}
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
      {!joined && !entry.isError && giveaway.data.mailsEntryLinks && <SendEntryLinkForm slug={slug} />}
      {joined && (
        <MyEntryPanel
          entry={joined}
          status={status}
          places={giveaway.data.winnerCount}
          firstCome={giveaway.data.winnerMode === 'first_come'}
          stream={stream}
          receipts={receipts}
        />
      )}
      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}
