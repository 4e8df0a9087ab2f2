import { useRef, useState } from 'react';
import { SETTINGS_DEFAULTS } from '@contract';
import { formatTimeLeft } from '@renderer/format';
import { useTimeLeftNow } from '@renderer/store/clock';
import { useVaultStore, type Generated, type Rotated } from '@renderer/store/vault-store';
import { Modal } from '@renderer/ui/Modal';
import { useSecretState } from '@renderer/ui/use-secret-state';
import { handOverText } from './lifecycle-text';

/** A new token's value, shown once: generated (maybe for another user) or a rotation's successor. */
export type OnceValue = Pick<Generated, 'token' | 'value' | 'onceId' | 'stored' | 'storeError'> &
  Partial<Pick<Generated, 'forUser'> & Pick<Rotated, 'predecessor'>>;

/**
 * The parent's state for the panel: the value is dropped after the "copy it now" time (a
 * setting), when the window hides, or on Done. The core lets go of its copy at the same time.
 */
export function useOnceValue(): [OnceValue | null, (next: OnceValue | null) => void] {
  const onceValueMs = useVaultStore((s) => s.settings?.onceValueMs ?? SETTINGS_DEFAULTS.onceValueMs);
  return useSecretState<OnceValue>(onceValueMs);
}

interface OnceValuePanelProps {
  generated: OnceValue;
  /** The parent drops the value from its state: after this, it is nowhere in the page. */
  onDone: () => void;
}

/**
 * "Copy it now": the one time a new token's value is shown. Escape does nothing here, so the
 * value cannot vanish by accident; Done closes the panel, and so do its time running out and the
 * window being hidden (the panel says so). Copying goes through the core, like every copy.
 */
export function OnceValuePanel({ generated, onDone }: OnceValuePanelProps) {
  const copyOnce = useVaultStore((s) => s.copyOnce);
  const onceValueMs = useVaultStore((s) => s.settings?.onceValueMs ?? SETTINGS_DEFAULTS.onceValueMs);
  const [closesAt] = useState(() => Date.now() + onceValueMs);
  const now = useTimeLeftNow(closesAt);
  const fieldRef = useRef<HTMLInputElement>(null);
  const { token, value, onceId, stored, storeError, forUser, predecessor } = generated;

  async function copy() {
    // Should the core refuse (its copy has expired), the value is selected for Ctrl+C.
    if (!(await copyOnce(onceId))) fieldRef.current?.select();
  }

  return (
    <Modal title="Copy your new token now" className="once-panel">
      {forUser ? (
        // Not kept on purpose: no keychain failure to report, only where the value goes.
        <p className="hand-over">This is the only time the value is shown. {handOverText(forUser)}</p>
      ) : stored ? (
        <p>This is the only time the value is shown. The vault keeps it in your OS keychain.</p>
      ) : (
        <div role="alert" className="warning">
          <p>
            <strong>Not saved.</strong> The OS keychain refused this token
            {storeError ? `: ${storeError}` : '.'}
          </p>
          <p>The vault does not keep it. Copy it now: once this panel closes, the value is gone for good.</p>
        </div>
      )}
      <p className="once-token">
        <span className="token-name">{token.name}</span>
        {predecessor && <span className="muted"> Replaces {predecessor}.</span>}
      </p>
      <input
        ref={fieldRef}
        className="once-value mono"
        readOnly
        value={value}
        aria-label="New token value"
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />
      <p className="muted once-closes" aria-live="off">
        This panel closes in {formatTimeLeft(closesAt - now)}, or when the window is hidden.
      </p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void copy()} data-autofocus>
          Copy
        </button>
        <button type="button" className="button primary" onClick={onDone}>
          Done
        </button>
      </div>
    </Modal>
  );
}
