import { CodeBlock } from '../../../components/code-block';
import { CopyButton } from '../../../components/copy-button';
import { drawProofPath } from '../../participant/api';

/**
 * The same check without this page: Proofdrop's own command, given the proof's API address (the JSON it
 * reads, not this page). The command comes with Proofdrop's source and is not a package on npm, so it is
 * an npm script of the source's, which never fetches anything: `npx proofdrop` outside the source would
 * fetch and run whatever the registry holds under that name.
 */
export function TerminalCheck({ slug, drawn }: { slug: string; drawn: boolean }) {
  const proofUrl = `${window.location.origin}${drawProofPath(slug)}`;
  const command = `npm run verify-draw -- ${proofUrl}`;
  return (
    <section className="card stack" aria-labelledby="terminal-title">
      <h2 id="terminal-title">Check it from a terminal</h2>
      <p>
        {drawn
          ? 'Without this page or its code:'
          : 'Once the winners are drawn, without this page or its code:'}{' '}
        in a copy of Proofdrop's source (after <code>npm install</code>), run
      </p>
      <CodeBlock>{command}</CodeBlock>
      <CopyButton text={command} label="Copy the command" />
      <p className="muted">
        It prints <code>VALID</code>, or the first step that fails. It also takes the proof saved as a file:{' '}
        <a href={proofUrl}>the proof as JSON</a>.
      </p>
    </section>
  );
}
