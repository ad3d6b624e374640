import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Button, type ButtonProps } from './button';

/**
 * A destructive action in two steps, inline (no browser dialog): the first press asks, the second acts.
 * `question` says what will happen, so nobody confirms blind. Small, as in a list's rows, unless `size`
 * matches it to the buttons beside it.
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel,
  onConfirm,
  busy,
  disabled = false,
  variant = 'danger',
  size = 'small',
}: {
  children: ReactNode;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  /** The first press is not offered yet (what it needs is missing or wrong). */
  disabled?: boolean;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
}) {
  const [asking, setAsking] = useState(false);
  const first = useRef<HTMLSpanElement>(null);
  // The button pressed has gone: keyboard focus moves to the question's answer, not to the page's start.
  useEffect(() => {
    if (asking) first.current?.querySelector('button')?.focus();
  }, [asking]);
  // What the action needs went wrong while the question was open: it is asked again once it is right.
  if (!asking || disabled) {
    return (
      <Button
        variant={variant === 'danger' ? 'secondary' : variant}
        size={size}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {children}
      </Button>
    );
  }
  return (
    <span className="confirm" ref={first}>
      <span>{question}</span>
      <Button
        variant={variant}
        size={size}
        busy={busy ?? false}
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="secondary" size={size} onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  );
}
