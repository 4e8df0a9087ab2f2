import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { useVaultStore } from '@renderer/store/vault-store';
import { Checkbox } from '@renderer/ui/Checkbox';
import { FormFooter } from '@renderer/ui/FormFooter';
import { Modal } from '@renderer/ui/Modal';
import { DelayField } from './DelayField';
import { MutedAccountsField } from './MutedAccountsField';
import { PauseField } from './PauseField';
import { QuietHoursField } from './QuietHoursField';
import { CLIPBOARD_CHOICES, changedSettings, ONCE_VALUE_CHOICES, REVEAL_CHOICES } from './settings-draft';
import { ThresholdsField } from './ThresholdsField';

/** Every setting of the vault, edited as a draft: Save sends what changed, Cancel drops it. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useVaultStore((s) => s.settings);
  const loadError = useVaultStore((s) => s.settingsError);
  const reload = useVaultStore((s) => s.loadSettings);

  return settings ? (
    <SettingsForm original={settings} onClose={onClose} />
  ) : (
    <SettingsUnavailable error={loadError} onRetry={() => void reload()} onClose={onClose} />
  );
}

interface SettingsUnavailableProps {
  error: string | undefined;
  onRetry: () => void;
  onClose: () => void;
}

/** Until the settings arrive, or when they could not be read. */
function SettingsUnavailable({ error, onRetry, onClose }: SettingsUnavailableProps) {
  return (
    <Modal title="Settings" onEscape={onClose} className="settings-dialog">
      {error ? (
        <div role="alert" className="inline-error">
          <p>{error}</p>
          <button type="button" className="button small" onClick={onRetry}>
            Retry
          </button>
        </div>
      ) : (
        <p className="muted">Loading settings…</p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

interface SettingsFormProps {
  /** The settings as the dialog found them: the draft's changes are counted from these. */
  original: Settings;
  onClose: () => void;
}

function SettingsForm({ original, onClose }: SettingsFormProps) {
  const saveSettings = useVaultStore((s) => s.saveSettings);
  const toast = useVaultStore((s) => s.toast);
  const platform = useVaultStore((s) => s.platform);
  // Taken once: settings reloaded meanwhile (settings.changed) do not overwrite what is typed.
  const [start] = useState(original);
  const [draft, setDraft] = useState(original);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  function edit<K extends keyof Settings>(key: K, value: Settings[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const patch = changedSettings(start, draft);
    if (Object.keys(patch).length === 0) return onClose();
    setSaving(true);
    setError(null);
    try {
      await saveSettings(patch);
      toast('Settings saved');
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setSaving(false);
    }
  }

  function cancel() {
    if (!saving) onClose();
  }

  return (
    <Modal title="Settings" onEscape={cancel} className="settings-dialog">
      {/* noValidate: the core's messages are the ones shown, not the browser's bubbles. */}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={saving}>
        <Section title="Clipboard and reveal">
          <div className="field-row">
            <DelayField
              id={`${id}-clipboard`}
              label="Clear the clipboard after"
              choices={CLIPBOARD_CHOICES}
              value={draft.clipboardClearMs}
              onChange={(ms) => edit('clipboardClearMs', ms)}
            />
            <DelayField
              id={`${id}-reveal`}
              label="Hide a revealed value after"
              choices={REVEAL_CHOICES}
              value={draft.revealMs}
              onChange={(ms) => edit('revealMs', ms)}
            />
            <DelayField
              id={`${id}-once`}
              label="Close a new token's panel after"
              choices={ONCE_VALUE_CHOICES}
              value={draft.onceValueMs}
              onChange={(ms) => edit('onceValueMs', ms)}
            />
          </div>
        </Section>

        <Section title="Expiry warnings">
          <ThresholdsField value={draft.thresholdsMs} onChange={(t) => edit('thresholdsMs', t)} />
        </Section>

        <Section title="Notifications">
          <PauseField
            pausedUntil={draft.notificationsPausedUntil}
            onChange={(until) => edit('notificationsPausedUntil', until)}
          />
          <QuietHoursField value={draft.quietHours} onChange={(q) => edit('quietHours', q)} />
          <MutedAccountsField muted={draft.mutedAccounts} onChange={(m) => edit('mutedAccounts', m)} />
        </Section>

        <Section title="App">
          <Checkbox checked={draft.closeToTray} onChange={(on) => edit('closeToTray', on)}>
            Keep running in the {platform === 'darwin' ? 'menu bar' : 'tray'} when the window is closed
          </Checkbox>
          <Checkbox checked={draft.launchAtLogin} onChange={(on) => edit('launchAtLogin', on)}>
            Open at login
          </Checkbox>
          {platform === 'darwin' && (
            <Checkbox checked={draft.menuBarOnly} onChange={(on) => edit('menuBarOnly', on)}>
              Menu bar only (no Dock icon)
            </Checkbox>
          )}
        </Section>

        <FormFooter error={error} busy={saving} onCancel={cancel} submitLabel="Save" busyLabel="Saving…" />
      </form>
    </Modal>
  );
}

/** A titled group of settings. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="settings-section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
