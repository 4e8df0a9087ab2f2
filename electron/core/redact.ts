/**
 * The one sanitizer for text that leaves the core (logs, notifications, the renderer, vault.json):
 * anything shaped like a SonarQube token value becomes a fixed marker. Server values are `squ_`,
 * `sqa_` or `sqp_` and 40 hex characters, Cloud values 40 bare hex characters; any longer hex run
 * goes too, so a value glued to other hex cannot slip through.
 */
import type { Notifier } from './ports';

export const REDACTED = '[token]';

const TOKEN_SHAPED = /(?:sq[uap]_)?[0-9a-f]{40,}/gi;

export function redact(text: string): string {
  return text.replace(TOKEN_SHAPED, REDACTED);
}

/** A notifier whose title and body are sanitized before they reach the desktop. */
export function redactingNotifier(notifier: Notifier): Notifier {
  return {
    notify: (note) => notifier.notify({ ...note, title: redact(note.title), body: redact(note.body) }),
  };
}
