import { useState, type FormEvent } from 'react';
import { errorMessage } from '@renderer/error-message';

/**
 * A dialog form that asks the core: one request at a time, and a refusal shown as the core words
 * it. On success the dialog usually closes, so `busy` stays set; a failure clears it for a retry.
 */
export function useCoreSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  }

  return { busy, error, submit };
}
