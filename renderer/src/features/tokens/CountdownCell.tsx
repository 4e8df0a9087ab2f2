import { memo, useCallback } from 'react';
import { useClockNow } from '@renderer/store/clock';
import { useVaultStore } from '@renderer/store/vault-store';
import { countdown, nextCountdownChange } from './countdown';

interface CountdownCellProps {
  expiresAt: number | null;
  serverSaysExpired: boolean;
}

/**
 * The "Time left" cell. It sleeps on the shared clock until its own text or colour changes (every
 * second only in its last hour, every minute under a day, every hour above), so a table of
 * thousands costs nothing between those instants; the cell's classes are "countdown" and the
 * expiry state.
 */
export const CountdownCell = memo(function CountdownCell({
  expiresAt,
  serverSaysExpired,
}: CountdownCellProps) {
  // The user's warning thresholds colour the countdown, as they drive the notifications.
  const thresholds = useVaultStore((s) => s.settings?.thresholdsMs);
  const nextChange = useCallback(
    (now: number) => nextCountdownChange({ expiresAt, serverSaysExpired }, now, thresholds),
    [expiresAt, serverSaysExpired, thresholds],
  );
  const now = useClockNow(nextChange);
  const { state, text } = countdown({ expiresAt, serverSaysExpired }, now, thresholds);
  return (
    <td className={`countdown ${state}`} data-state={state}>
      <span className="countdown-pill">{text}</span>
    </td>
  );
});
