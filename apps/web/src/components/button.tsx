import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger';

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: 'normal' | 'small';
  /** Disables the button and says why it waits, so it cannot be pressed twice. */
  busy?: boolean;
};

export function buttonClass(variant: Variant = 'primary', size: 'normal' | 'small' = 'normal'): string {
  return ['button', variant !== 'primary' && `button--${variant}`, size === 'small' && 'button--small']
    .filter(Boolean)
    .join(' ');
}

export function Button({
  variant,
  size,
  busy = false,
  disabled,
  type = 'button',
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={buttonClass(variant, size)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && (
        <span
          className="spinner"
          style={{ width: '1rem', height: '1rem', borderWidth: 2 }}
          aria-hidden="true"
        />
      )}
      {children}
    </button>
  );
}
