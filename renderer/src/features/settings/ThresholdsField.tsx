import { useId, useState, type KeyboardEvent } from 'react';
import {
  addThreshold,
  formatThreshold,
  MAX_THRESHOLDS,
  parseThreshold,
  removeThreshold,
  type ThresholdUnit,
} from './settings-draft';

interface ThresholdsFieldProps {
  value: readonly number[];
  onChange: (thresholds: number[]) => void;
}

/** The expiry warning thresholds as removable chips, and a control to add one. */
export function ThresholdsField({ value, onChange }: ThresholdsFieldProps) {
  const id = useId();
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState<ThresholdUnit>('days');
  const [error, setError] = useState<string | null>(null);
  const last = value.length <= 1;

  function add() {
    const parsed = parseThreshold(amount, unit);
    if ('error' in parsed) return setError(parsed.error);
    const next = addThreshold(value, parsed.ms);
    if (next.length > MAX_THRESHOLDS)
      return setError(`At most ${MAX_THRESHOLDS} warnings. Remove one first.`);
    onChange(next);
    setAmount('');
    setError(null);
  }

  // Enter in the amount adds it, rather than submitting (saving) the whole dialog.
  function onAmountKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  }

  return (
    <div className="field">
      <span id={`${id}-label`} className="field-label">
        Warn when a token has less than
      </span>
      <ul className="chips" aria-labelledby={`${id}-label`}>
        {value.map((ms) => (
          <li key={ms} className="chip">
            <span>{formatThreshold(ms)}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove ${formatThreshold(ms)}`}
              title={last ? 'At least one warning is needed' : `Remove ${formatThreshold(ms)}`}
              disabled={last}
              onClick={() => onChange(removeThreshold(value, ms))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="threshold-add">
        <label htmlFor={`${id}-amount`}>Add a warning at</label>
        <input
          id={`${id}-amount`}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={amount}
          onChange={(e) => {
            setAmount(e.target.value);
            setError(null);
          }}
          onKeyDown={onAmountKey}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <label htmlFor={`${id}-unit`} className="sr-only">
          Unit
        </label>
        <select id={`${id}-unit`} value={unit} onChange={(e) => setUnit(e.target.value as ThresholdUnit)}>
          <option value="days">days</option>
          <option value="hours">hours</option>
        </select>
        <button type="button" className="button" onClick={add}>
          Add
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
