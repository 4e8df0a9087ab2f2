import { Field } from '@renderer/ui/Field';
import { choicesWith, type DelayChoice } from './settings-draft';

interface DelayFieldProps {
  id: string;
  label: string;
  choices: readonly DelayChoice[];
  value: number;
  onChange: (ms: number) => void;
}

/** A delay picked from fixed choices (plus the current value, should it be none of them). */
export function DelayField({ id, label, choices, value, onChange }: DelayFieldProps) {
  return (
    <Field id={id} label={label}>
      <select id={id} value={String(value)} onChange={(e) => onChange(Number(e.target.value))}>
        {choicesWith(choices, value).map((choice) => (
          <option key={choice.ms} value={String(choice.ms)}>
            {choice.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
