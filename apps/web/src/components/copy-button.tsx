import { useEffect, useState } from 'react';
import { Button, type ButtonProps } from './button';

/** Copies `text`, then says so for two seconds (announced once, politely). */
export function CopyButton({
  text,
  label = 'Copy',
  ...rest
}: { text: string; label?: string } & Omit<ButtonProps, 'onClick'>) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (result === null) return;
    const timer = setTimeout(() => setResult(null), 2000);
    return () => clearTimeout(timer);
  }, [result]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setResult('copied');
    } catch {
      setResult('failed');
    }
  }

  return (
    <span className="row" style={{ gap: 'var(--space-2)' }}>
      <Button variant="secondary" size="small" {...rest} onClick={copy}>
        {label}
      </Button>
      <output className="muted">
        {result === 'copied'
          ? 'Copied'
          : result === 'failed'
            ? 'Copy failed: select the text and copy it'
            : ''}
      </output>
    </span>
  );
}
