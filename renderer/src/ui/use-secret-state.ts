import { useEffect, useReducer, useRef, useState } from 'react';
import { on } from '@renderer/vault-client';

/**
 * State for a secret shown for a while (a new token's value, a revealed one). It is dropped after
 * `lifetimeMs` when given, and whenever the window is hidden or minimized: a value on
 * screen must not wait there for whoever comes to the computer next. Setting it to null drops it,
 * and one more render follows: React keeps the previous render's state in the fiber's alternate
 * until the component renders again, and a dropped secret must not linger there.
 */
export function useSecretState<T>(lifetimeMs?: number): [T | null, (next: T | null) => void] {
  const [secret, setSecret] = useState<T | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const held = useRef(false);

  useEffect(() => {
    if (secret !== null) {
      held.current = true;
      const drop = () => setSecret(null);
      const timer = lifetimeMs === undefined ? undefined : setTimeout(drop, lifetimeMs);
      const offHidden = on('window.hidden', drop);
      const onVisibility = () => {
        if (document.visibilityState === 'hidden') drop();
      };
      document.addEventListener('visibilitychange', onVisibility);
      return () => {
        clearTimeout(timer);
        offHidden();
        document.removeEventListener('visibilitychange', onVisibility);
      };
    }
    if (!held.current) return;
    held.current = false;
    // After this commit, so that render really is a second one.
    const timer = setTimeout(rerender, 0);
    return () => clearTimeout(timer);
  }, [secret, lifetimeMs]);

  return [secret, setSecret];
}
