import { expiryState, type ExpiryState } from '../../../../electron/core/expiry/expiry';
import { formatTimeLeft } from '../../format';
import { useVaultStore } from '../../store/vault-store';

interface CountdownCellProps {
  expiresAt: number | null;
  serverSaysExpired: boolean;
}

/**
 * The "Time left" cell. It reads the store's one clock, so all countdowns move together on the
 * single app-wide tick; the cell's classes are "countdown" and the expiry state.
 */
export function CountdownCell({ expiresAt, serverSaysExpired }: CountdownCellProps) {
  const now = useVaultStore((s) => s.now);
  // The user's warning thresholds colour the countdown, as they drive the notifications.
  const thresholds = useVaultStore((s) => s.settings?.thresholdsMs);
  // The server's verdict wins over our arithmetic (its clock may differ from ours).
  const state: ExpiryState = serverSaysExpired ? 'expired' : expiryState(expiresAt, now, thresholds);
  let text: string;
  if (state === 'never') text = 'never';
  else if (state === 'expired' || expiresAt === null) text = 'expired';
  else text = formatTimeLeft(expiresAt - now);
  return (
    <td className={`countdown ${state}`} data-state={state}>
      <span className="countdown-pill">{text}</span>
    </td>
  );
}
