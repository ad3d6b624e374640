import { useEffect, useState } from 'react';
import { formatTimeLeft, tickInterval } from '../countdown';

/**
 * Time left until `until`. Deliberately not a live region: a screen reader would read it out every tick.
 * People who want it read it; the phase change it leads to is announced once, elsewhere.
 */
export function Countdown({ label, until, onEnd }: { label: string; until: string; onEnd: () => void }) {
  const target = Date.parse(until);
  const [now, setNow] = useState(Date.now);
  const left = target - now;

  useEffect(() => {
    if (left <= 0) {
      onEnd();
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), Math.min(tickInterval(left), left));
    return () => clearTimeout(timer);
  }, [left, onEnd]);

  if (left <= 0) return null;
  return (
    <p className="countdown">
      <span className="muted">{label} </span>
      <strong>{formatTimeLeft(left)}</strong>
    </p>
  );
}
