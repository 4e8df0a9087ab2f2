import { useVaultStore } from '@renderer/store/vault-store';

/** The core's start-up warning (its data file was unreadable and set aside), until dismissed. */
export function StoreProblemBanner() {
  const problem = useVaultStore((s) => s.storeProblem);
  const dismiss = useVaultStore((s) => s.dismissStoreProblem);
  if (!problem) return null;
  return (
    <div role="alert" className="banner warning">
      <p>{problem}</p>
      <button type="button" className="button small" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
