import { useEffect, type RefObject } from 'react';
import { useVaultStore } from '@renderer/store/vault-store';

/** macOS says ⌘ where the others say Ctrl. */
function isMac(platform: string | null): boolean {
  return platform === 'darwin';
}

/** The find shortcut as this OS writes it, for hints and tooltips: "Ctrl+F" or "⌘F". */
export function useFindShortcutLabel(): { label: string; aria: string } {
  const mac = useVaultStore((s) => isMac(s.platform));
  return mac ? { label: '⌘F', aria: 'Meta+F' } : { label: 'Ctrl+F', aria: 'Control+F' };
}

/**
 * Ctrl+F (⌘F on macOS) focuses this search field, as find does in any app; not while a dialog is
 * open (the shell behind it is inert).
 */
export function useFindShortcut(field: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      if (event.key.toLowerCase() !== 'f' || useVaultStore.getState().modalDepth > 0) return;
      event.preventDefault();
      field.current?.focus();
      field.current?.select();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [field]);
}
