import { useFindShortcutLabel } from './use-find-shortcut';

interface KeyHintsProps {
  /** What Enter does on a row, if anything: "copies a held value, else opens its details". */
  enter?: string;
  /** Rows open a detail with → and close it with ←. */
  details?: boolean;
  /** Ctrl+F focuses this table's search or filter. */
  find?: boolean;
}

/** The table's keys, in words under it: shortcuts nobody can see are shortcuts nobody uses. */
export function KeyHints({ enter, details = false, find = false }: KeyHintsProps) {
  const findKey = useFindShortcutLabel().label;
  return (
    <p className="key-hints">
      <span>
        <kbd>↑</kbd> <kbd>↓</kbd> move between rows
      </span>
      <span>
        <kbd>Home</kbd> <kbd>End</kbd> <kbd>Page Up</kbd> <kbd>Page Down</kbd> jump
      </span>
      {enter && (
        <span>
          <kbd>Enter</kbd> {enter}
        </span>
      )}
      {details && (
        <span>
          <kbd>→</kbd> <kbd>←</kbd> details
        </span>
      )}
      {find && (
        <span>
          <kbd>{findKey}</kbd> search
        </span>
      )}
    </p>
  );
}
