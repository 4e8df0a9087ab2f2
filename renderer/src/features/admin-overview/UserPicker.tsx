import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { CallOutput, UserView } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { useVaultStore } from '@renderer/store/vault-store';
import '@renderer/features/forms.css';
import './admin-overview.css';

/** How long typing pauses before the server is asked. */
export const USER_SEARCH_DELAY_MS = 250;
/** SonarQube's user search wants at least this much of a login, name or e-mail. */
export const USER_SEARCH_MIN_LENGTH = 2;

type Found = CallOutput<'users.search'> & { query: string };

interface UserPickerProps {
  id: string;
  label: string;
  accountId: string;
  value: string;
  onChange: (text: string) => void;
  onPick: (user: UserView) => void;
  /** Beside the field (the dialog's own submit button). */
  children?: ReactNode;
}

/**
 * A user of the server, typed freely (an exact login) or picked from the server's matches
 * ('users.search', asked once typing pauses; only the answer to the newest text is shown). A
 * combobox: arrows move through the matches and "more", Enter picks, Escape closes the list.
 */
export function UserPicker({ id, label, accountId, value, onChange, onPick, children }: UserPickerProps) {
  const searchUsers = useVaultStore((s) => s.searchUsers);
  // What was typed last (null after a pick, so picking does not search again).
  const [query, setQuery] = useState<string | null>(null);
  const [found, setFound] = useState<Found | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [loadingMore, setLoadingMore] = useState(false);
  /** A failed search, and the text it was for. */
  const [problem, setProblem] = useState<{ text: string; message: string } | null>(null);
  /** Each question's number: an answer to any but the latest is dropped. */
  const asked = useRef(0);
  const listId = `${id}-matches`;
  const statusId = `${id}-status`;

  const text = query?.trim() ?? '';
  useEffect(() => {
    const request = ++asked.current;
    if (text.length < USER_SEARCH_MIN_LENGTH) return;
    const timer = setTimeout(() => {
      searchUsers({ accountId, query: text, page: 1 }).then(
        (page) => {
          if (request !== asked.current) return;
          setFound({ ...page, query: text });
          setActive(-1);
          setOpen(true);
          setProblem(null);
        },
        (failure: unknown) => {
          if (request !== asked.current) return;
          setFound(null);
          setOpen(false);
          setProblem({
            text,
            message: `Could not search the users: ${errorMessage(failure)} You can still type a login.`,
          });
        },
      );
    }, USER_SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [accountId, text, searchUsers]);
  // Until the newest text has its answer, what shows is the last one's (if any).
  const answered = found?.query === text || problem?.text === text;
  const searching = loadingMore || (text.length >= USER_SEARCH_MIN_LENGTH && !answered);

  const users = found?.users ?? [];
  const more = found !== null && users.length < found.total;
  /** The options: the users, then "more" when the server has more. */
  const count = users.length + (more ? 1 : 0);

  function type(next: string) {
    onChange(next);
    setQuery(next);
    setProblem(null);
    if (next.trim().length < USER_SEARCH_MIN_LENGTH) {
      setFound(null);
      setOpen(false);
    }
  }

  function pick(user: UserView) {
    onChange(user.login);
    setQuery(null);
    setFound(null);
    setOpen(false);
    setActive(-1);
    onPick(user);
  }

  async function showMore() {
    if (!found) return;
    const request = ++asked.current;
    setLoadingMore(true);
    try {
      const page = await searchUsers({ accountId, query: found.query, page: found.page + 1 });
      if (request !== asked.current) return;
      // Keyed by login: a user added on the server meanwhile may shift the pages.
      const known = new Set(found.users.map((u) => u.login));
      setFound({
        ...page,
        query: found.query,
        users: [...found.users, ...page.users.filter((u) => !known.has(u.login))],
      });
      setActive(found.users.length);
      setProblem(null);
    } catch (failure) {
      if (request === asked.current) {
        setProblem({ text: found.query, message: `Could not list more users: ${errorMessage(failure)}` });
      }
    } finally {
      setLoadingMore(false);
    }
  }

  function choose(index: number) {
    const user = users[index];
    if (user) pick(user);
    else if (more && index === users.length) void showMore();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (a <= 0 ? count - 1 : a - 1));
    } else if (event.key === 'Enter' && open && active >= 0 && active < count) {
      // Picks; without an active option, Enter submits the form (the exact login typed).
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape' && open) {
      // Closes the list only, not the dialog.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  }

  const showList = open && found !== null;
  return (
    <div className="user-picker">
      <div className="user-picker-row">
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input
            id={id}
            role="combobox"
            value={value}
            onChange={(e) => type(e.target.value)}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
            onFocus={() => setOpen(found !== null && query !== null)}
            maxLength={255}
            autoComplete="off"
            spellCheck={false}
            aria-autocomplete="list"
            aria-expanded={showList}
            aria-controls={listId}
            aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
            aria-describedby={statusId}
          />
        </div>
        {children}
      </div>
      <p id={statusId} className="field-note" aria-live="polite">
        {problem?.message ?? statusText(searching, text, found)}
      </p>
      {showList && (
        <ul id={listId} role="listbox" aria-label="Matching users" className="picker-list user-list">
          {users.length === 0 && (
            <li className="picker-option muted" aria-disabled="true">
              No user matches. You can still type an exact login.
            </li>
          )}
          {users.map((user, i) => (
            <li
              key={user.login}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className="picker-option user-option"
              // Keeps the focus in the field, so its blur does not close the list first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(user)}
            >
              <span className="user-name">{user.name}</span> <span className="user-login">{user.login}</span>
              {user.email && <span className="user-email">{user.email}</span>}
              {!user.active && <span className="badge">Deactivated</span>}
            </li>
          ))}
          {more && (
            <li
              id={`${listId}-${users.length}`}
              role="option"
              aria-selected={active === users.length}
              className="picker-option user-more"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => void showMore()}
            >
              More users ({users.length} of {found.total} shown)
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

function statusText(searching: boolean, text: string, found: Found | null): string {
  if (searching) return 'Searching…';
  if (text.length > 0 && text.length < USER_SEARCH_MIN_LENGTH) {
    return `Type at least ${USER_SEARCH_MIN_LENGTH} characters to search, or an exact login.`;
  }
  if (!found) return 'Type part of a name, login or e-mail, or an exact login.';
  if (found.total === 0) return 'No user matches.';
  return found.total === 1 ? '1 user matches.' : `${found.total} users match.`;
}
