import { useCallback } from 'react';
import { useClockNow } from '@renderer/store/clock';
import { isPaused, nextPauseChange, PAUSE_MS, pausedUntilText } from './settings-draft';

interface PauseFieldProps {
  pausedUntil: number | null;
  onChange: (pausedUntil: number | null) => void;
}

/** Whether notifications are paused (the tray can pause them too), with the way to change it. */
export function PauseField({ pausedUntil, onChange }: PauseFieldProps) {
  // The shared clock: a pause that runs out while the dialog is open shows as over.
  const now = useClockNow(useCallback((t: number) => nextPauseChange(pausedUntil, t), [pausedUntil]));
  const paused = isPaused({ notificationsPausedUntil: pausedUntil }, now);

  return (
    <div className={paused ? 'pause-line paused' : 'pause-line'}>
      {paused && pausedUntil !== null ? (
        <>
          <span>{pausedUntilText(pausedUntil, now)}</span>
          <button type="button" className="button small" onClick={() => onChange(null)}>
            Resume now
          </button>
        </>
      ) : (
        <>
          <span className="muted">Notifications are on.</span>
          <button type="button" className="button small" onClick={() => onChange(Date.now() + PAUSE_MS)}>
            Pause for 1 hour
          </button>
        </>
      )}
    </div>
  );
}
