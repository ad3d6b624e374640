import type { Phase } from './api';

const PHASES: Record<Phase, { label: string; icon: string; tone: string }> = {
  draft: { label: 'Draft', icon: '✎', tone: 'neutral' },
  scheduled: { label: 'Scheduled', icon: '◷', tone: 'warning' },
  live: { label: 'Live', icon: '●', tone: 'success' },
  ended: { label: 'Ended, not drawn', icon: '■', tone: 'warning' },
  drawn: { label: 'Drawn', icon: '✓', tone: 'success' },
};

/** Where a giveaway stands, in words beside its colour. */
export function PhaseBadge({ phase }: { phase: Phase }) {
  const { label, icon, tone } = PHASES[phase];
  return (
    <span className={`badge badge--${tone}`}>
      <span aria-hidden="true">{icon}</span> {label}
    </span>
  );
}
