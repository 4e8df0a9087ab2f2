import type { AccountKind } from '@contract';
import { ACCOUNT_KIND_BADGES, ACCOUNT_KIND_NAMES } from '@renderer/format';

/** "Cloud EU" / "Cloud US" / "Server", with the full name on hover. */
export function KindBadge({ kind }: { kind: AccountKind }) {
  return (
    <span className={`badge kind-${kind}`} title={ACCOUNT_KIND_NAMES[kind]}>
      {ACCOUNT_KIND_BADGES[kind]}
    </span>
  );
}
