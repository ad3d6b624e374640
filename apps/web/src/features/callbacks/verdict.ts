export type Verdict = { tone: 'success' | 'neutral' | 'warning' | 'danger'; icon: string; label: string };

/** A callback's code as a chip: an icon and words, never colour alone. */
export function verdictOf(code: string): Verdict {
  switch (code) {
    case 'verified':
      return { tone: 'success', icon: '✓', label: 'Verified (test)' };
    case 'completed':
      return { tone: 'success', icon: '✓', label: 'Completed' };
    case 'recorded':
      return { tone: 'success', icon: '✓', label: 'Counted' };
    case 'duplicate':
      return { tone: 'neutral', icon: '=', label: 'Duplicate' };
    case 'invalid_signature':
      return { tone: 'danger', icon: '✗', label: 'Bad signature' };
    case 'invalid_request':
      return { tone: 'danger', icon: '✗', label: 'Malformed' };
    case 'unknown_event':
      return { tone: 'danger', icon: '✗', label: 'Unknown event' };
    case 'giveaway_not_live':
      return { tone: 'warning', icon: '!', label: 'Giveaway not live' };
    case 'stale_timestamp':
      return { tone: 'danger', icon: '✗', label: 'Stale timestamp' };
    case 'unknown_track_id':
      return { tone: 'danger', icon: '✗', label: 'Unknown track_id' };
    case 'rate_limited':
      return { tone: 'warning', icon: '!', label: 'Rate limited' };
    default:
      return { tone: 'danger', icon: '✗', label: code.replaceAll('_', ' ') };
  }
}
