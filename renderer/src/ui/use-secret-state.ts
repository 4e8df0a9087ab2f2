import { useEffect, useReducer, useRef, useState } from 'react';

/**
 * State for a secret shown for a while (a new token's value, a revealed one). Setting it to null
 * drops it, and one more render follows: React keeps the previous render's state in the fiber's
 * alternate until the component renders again, and a dropped secret must not linger there.
 */
export function useSecretState<T>(): [T | null, (next: T | null) => void] {
  const [secret, setSecret] = useState<T | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const held = useRef(false);

  useEffect(() => {
    if (secret !== null) {
      held.current = true;
      return;
    }
    if (!held.current) return;
    held.current = false;
    // After this commit, so that render really is a second one.
    const timer = setTimeout(rerender, 0);
    return () => clearTimeout(timer);
  }, [secret]);

  return [secret, setSecret];
}
