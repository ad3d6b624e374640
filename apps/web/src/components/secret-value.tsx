import { useId } from 'react';
import { Button } from './button';
import { CopyButton } from './copy-button';

function masked(secret: string): string {
  return `${'•'.repeat(12)}${secret.slice(-4)}`;
}

/**
 * A secret masked until asked, with Reveal and Copy. Revealing is also the way out where the clipboard is
 * refused (a page over plain http on another machine's address): the text can then be selected.
 */
export function SecretValue({
  secret,
  revealed,
  onRevealedChange,
  name,
}: {
  secret: string;
  revealed: boolean;
  onRevealedChange: (revealed: boolean) => void;
  /** Added to the buttons' names where the page holds another secret ("Reveal secret"). */
  name?: string;
}) {
  const id = useId();
  const suffix = name ? ` ${name}` : '';
  return (
    <div className="key-row">
      <code id={id} className="key">
        {revealed ? secret : masked(secret)}
      </code>
      <Button
        variant="secondary"
        size="small"
        aria-pressed={revealed}
        aria-controls={id}
        onClick={() => onRevealedChange(!revealed)}
      >
        {revealed ? `Hide${suffix}` : `Reveal${suffix}`}
      </Button>
      <CopyButton text={secret} label={`Copy${suffix}`} />
    </div>
  );
}
