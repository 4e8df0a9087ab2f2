import { useId, useState } from 'react';
import type { Settings } from '@contract';
import { Checkbox } from '@renderer/ui/Checkbox';
import { DEFAULT_QUIET_HOURS } from './settings-draft';

type QuietHours = NonNullable<Settings['quietHours']>;

interface QuietHoursFieldProps {
  value: Settings['quietHours'];
  onChange: (quietHours: Settings['quietHours']) => void;
}

/** Quiet hours on or off, with their local start and end times. */
export function QuietHoursField({ value, onChange }: QuietHoursFieldProps) {
  const id = useId();
  // The times stay while quiet hours are off, so turning them back on restores them.
  const [times, setTimes] = useState<QuietHours>(() => value ?? { ...DEFAULT_QUIET_HOURS });
  const on = value !== null;

  function setTime(key: keyof QuietHours, time: string) {
    const next = { ...times, [key]: time };
    setTimes(next);
    if (on) onChange(next);
  }

  return (
    <div className="field">
      <Checkbox checked={on} onChange={(checked) => onChange(checked ? times : null)}>
        Quiet hours
      </Checkbox>
      <div className="time-range">
        <label htmlFor={`${id}-from`}>From</label>
        <input
          id={`${id}-from`}
          type="time"
          value={times.start}
          disabled={!on}
          onChange={(e) => setTime('start', e.target.value)}
          aria-describedby={`${id}-hint`}
        />
        <label htmlFor={`${id}-to`}>To</label>
        <input
          id={`${id}-to`}
          type="time"
          value={times.end}
          disabled={!on}
          onChange={(e) => setTime('end', e.target.value)}
          aria-describedby={`${id}-hint`}
        />
        <span className="muted">local time</span>
      </div>
      <p id={`${id}-hint`} className="field-hint">
        Notifications wait until quiet hours end, then arrive as one summary.
      </p>
    </div>
  );
}
