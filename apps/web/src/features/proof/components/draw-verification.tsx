import type { DrawProof } from '@proofdrop/contract';
import { type ProofCheck, verifyDrawProof } from '@proofdrop/protocol';
import { useEffect, useState } from 'react';

/** The steps verifyDrawProof takes after the proof's shape, in its order, named as it names them. */
function steps(proof: DrawProof): [step: string, what: string][] {
  return [
    ['commitment', 'The revealed seed hashes to the commitment published when the giveaway went live.'],
    ['list hash', 'The frozen entry list hashes to the published list hash.'],
    ['merkle root', 'The frozen entry list gives the published Merkle root.'],
    ...(proof.beacon
      ? [
          [
            'beacon',
            "The beacon is drand quicknet's first round after the freeze, and its signature is drand's.",
          ] as [string, string],
        ]
      : []),
    ['winners', 'Drawing again from the seed and the list gives the same winners, in the same order.'],
  ];
}

type StepState = 'passed' | 'failed' | 'unchecked';
const STATE_MARK: Record<StepState, string> = { passed: '✓', failed: '✗', unchecked: '–' };

function stepStates(proof: DrawProof, check: ProofCheck): [string, string, StepState][] {
  const all = steps(proof);
  const failedAt = check.valid ? all.length : all.findIndex(([step]) => step === check.step);
  return all.map(([step, what], i) => {
    if (failedAt === -1) return [step, what, 'unchecked'];
    return [step, what, i < failedAt ? 'passed' : i === failedAt ? 'failed' : 'unchecked'];
  });
}

/**
 * The draw recomputed here, in the browser, with the same rules any verifier uses (@proofdrop/protocol):
 * nothing the server says about its own draw is taken on trust.
 */
export function DrawVerification({ proof }: { proof: DrawProof }) {
  const [check, setCheck] = useState<ProofCheck | null>(null);

  useEffect(() => {
    setCheck(null);
    // After the page has painted: the beacon's signature check takes a moment on a slow phone.
    const timer = setTimeout(() => setCheck(verifyDrawProof(proof)), 0);
    return () => clearTimeout(timer);
  }, [proof]);

  const notDrawn = check !== null && !check.valid && check.step === 'drawn';
  return (
    <section className="card stack" aria-labelledby="verify-title">
      <h2 id="verify-title">Checked in your browser</h2>
      <div aria-live="polite">
        {check === null ? (
          <p>Checking the draw…</p>
        ) : check.valid ? (
          <div className="notice notice--success verdict">
            <span className="verdict__icon" aria-hidden="true">
              ✓
            </span>
            <p>
              <strong>Valid.</strong> Every step below was recomputed on this device, and each one holds.
            </p>
          </div>
        ) : notDrawn ? (
          <div className="notice verdict">
            <p>
              <strong>Not drawn yet.</strong> The check runs once the winners are drawn and the seed is
              revealed.
            </p>
          </div>
        ) : (
          <div className="notice notice--danger verdict">
            <span className="verdict__icon" aria-hidden="true">
              ✗
            </span>
            <p>
              <strong>Not valid: the {check.step} step fails.</strong> {check.message}
            </p>
          </div>
        )}
      </div>
      {check !== null && !notDrawn && (
        <ol className="check-list">
          {stepStates(proof, check).map(([step, what, state]) => (
            <li key={step}>
              <span aria-hidden="true">{STATE_MARK[state]}</span>
              <span>
                {what} <span className="visually-hidden">({state})</span>
                {state === 'unchecked' && <span className="muted"> (not checked)</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
