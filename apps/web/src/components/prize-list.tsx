import type { Prize } from '@proofdrop/contract';
import { countOf, ordinal } from '../lib/plural';
import { prizeRanks, rankSpan } from '../lib/prize-ranks';

/**
 * A giveaway's prizes by the winner who gets each: `1st: Gold`, `2nd: Silver`, then the winners ranked past
 * the list, who get no named prize. With one winner, the prize alone. The host also reads the prizes listed
 * past the number of winners, which nobody gets; participants are not shown prizes nobody can win.
 */
export function PrizeList({
  prizes,
  winnerCount,
  forHost = false,
}: {
  prizes: readonly Prize[];
  winnerCount: number;
  forHost?: boolean;
}) {
  const { awarded, withoutPrize, unawarded } = prizeRanks(prizes, winnerCount);
  const byRank = winnerCount > 1;
  return (
    <ul className="prize-list">
      {awarded.map(({ rank, prize }) => (
        <li key={rank}>
          {byRank && <span className="prize-list__rank">{ordinal(rank)}: </span>}
          <strong>{prize.name}</strong>
          {prize.description && <span className="muted"> — {prize.description}</span>}
        </li>
      ))}
      {withoutPrize && <li className="muted">{rankSpan(withoutPrize)}: no named prize</li>}
      {forHost &&
        unawarded.map((prize, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: prizes have no id, and their order (the host's) does not change here
          <li key={`nobody-${i}`} className="muted">
            {prize.name}: nobody, with {countOf(winnerCount, 'winner')}
          </li>
        ))}
    </ul>
  );
}
