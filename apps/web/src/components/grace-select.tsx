import { SelectField } from './field';

/** How long a replaced secret keeps working: the choices offered wherever one is rotated. */
export const GRACE_CHOICES = [
  { hours: 0, label: 'Stop it at once (it leaked)' },
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '24 hours' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
] as const;

/** What the server applies when none is sent; offered first so the choice shown is what happens. */
export const DEFAULT_GRACE_HOURS = 24;

export function graceLabel(hours: number): string {
  return GRACE_CHOICES.find((choice) => choice.hours === hours)?.label ?? `${hours} hours`;
}

export function GraceSelect({
  label,
  value,
  onChange,
  describedBy,
}: {
  label: string;
  value: number;
  onChange: (hours: number) => void;
  describedBy?: string;
}) {
  return (
    <SelectField
      label={label}
      value={value}
      aria-describedby={describedBy}
      onChange={(v) => onChange(Number(v))}
    >
      {GRACE_CHOICES.map((choice) => (
        <option key={choice.hours} value={choice.hours}>
          {choice.label}
        </option>
      ))}
    </SelectField>
  );
}
