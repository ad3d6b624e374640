import { type ReactNode, useState } from 'react';
import { Button, type ButtonProps } from './button';

/**
 * A destructive action in two steps, inline (no browser dialog): the first press asks, the second acts.
 * `question` says what will happen, so nobody confirms blind.
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel,
  onConfirm,
  busy,
  variant = 'danger',
}: {
  children: ReactNode;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  variant?: ButtonProps['variant'];
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        variant={variant === 'danger' ? 'secondary' : variant}
        size="small"
        onClick={() => setAsking(true)}
      >
        {children}
      </Button>
    );
  }
  return (
    <span className="confirm">
      <span>{question}</span>
      <Button
        variant={variant}
        size="small"
        busy={busy ?? false}
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="secondary" size="small" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  );
}
