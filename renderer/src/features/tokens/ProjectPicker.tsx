import { useEffect, useState, type KeyboardEvent } from 'react';
import { errorMessage } from '@renderer/error-message';
import { call } from '@renderer/vault-client';
import '@renderer/features/forms.css';

type Project = { key: string; name: string };

/** How long typing pauses before the server is asked. */
export const PROJECT_SEARCH_DELAY_MS = 250;

interface ProjectPickerProps {
  id: string;
  accountId: string;
  value: string;
  onChange: (key: string) => void;
  describedBy?: string | undefined;
}

/**
 * The project key, typed freely or picked from the server's matches ('projects.search'), asked
 * for once typing pauses. A combobox: arrows move through the matches, Enter picks, Escape closes.
 */
export function ProjectPicker({ id, accountId, value, onChange, describedBy }: ProjectPickerProps) {
  // What was typed last (null after a pick, so picking does not search again).
  const [query, setQuery] = useState<string | null>(null);
  const [matches, setMatches] = useState<Project[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [problem, setProblem] = useState<string | null>(null);
  const listId = `${id}-matches`;

  useEffect(() => {
    if (query === null || !query.trim()) return;
    let current = true;
    const timer = setTimeout(() => {
      call('projects.search', { accountId, query: query.trim().slice(0, 200) }).then(
        (found) => {
          if (!current) return;
          setMatches(found);
          setActive(-1);
          setOpen(true);
          setProblem(null);
        },
        (failure: unknown) => {
          if (!current) return;
          setMatches([]);
          setOpen(false);
          setProblem(`Could not search the projects: ${errorMessage(failure)} You can still type the key.`);
        },
      );
    }, PROJECT_SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [accountId, query]);

  function type(text: string) {
    onChange(text);
    setQuery(text);
    if (!text.trim()) {
      setMatches([]);
      setOpen(false);
    }
  }

  function pick(project: Project) {
    onChange(project.key);
    setQuery(null);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && matches.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % matches.length);
    } else if (event.key === 'ArrowUp' && matches.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (a <= 0 ? matches.length - 1 : a - 1));
    } else if (event.key === 'Enter' && open && active >= 0 && matches[active]) {
      event.preventDefault();
      pick(matches[active]);
    } else if (event.key === 'Escape' && open) {
      // Closes the list only, not the dialog.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  }

  const showList = open && query !== null;
  const described =
    [describedBy, problem ? `${id}-problem` : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <>
      <input
        id={id}
        role="combobox"
        value={value}
        onChange={(e) => type(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(matches.length > 0 && query !== null)}
        maxLength={400}
        required
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={described}
      />
      {showList && (
        <ul id={listId} role="listbox" aria-label="Matching projects" className="picker-list">
          {matches.length === 0 ? (
            <li className="picker-option muted" aria-disabled="true">
              No project matches. You can still type its key.
            </li>
          ) : (
            matches.map((p, i) => (
              <li
                key={p.key}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className="picker-option"
                // Keeps the focus in the field, so its blur does not close the list first.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(p)}
              >
                {p.name} <span className="picker-key">({p.key})</span>
              </li>
            ))
          )}
        </ul>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-note">
          {problem}
        </p>
      )}
    </>
  );
}
