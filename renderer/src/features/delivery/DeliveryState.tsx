import type { DeliveryView } from '@contract';
import { formatDateTime } from '@renderer/format';

/** How a target's last delivery went: of which token's value, when; a failure in the service's words. */
export function DeliveryState({ delivery, current }: { delivery: DeliveryView; current: string }) {
  const { last } = delivery;
  if (!last) return <span className="delivery-state muted">Not delivered yet</span>;
  if (!last.ok) {
    return (
      <span className="delivery-state failed">
        Failed {formatDateTime(last.at)}: {last.message}
      </span>
    );
  }
  const whose = last.tokenName === current ? '' : ` (the value of "${last.tokenName}")`;
  return (
    <span className="delivery-state ok">
      Delivered {formatDateTime(last.at)}
      {whose}
    </span>
  );
}
