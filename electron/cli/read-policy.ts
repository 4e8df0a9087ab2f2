/**
 * When `read` prints a value: for a program (stdout is a pipe or a file), or to a terminal only
 * when asked in so many words (`--reveal`). On a terminal the value would stay on screen, in the
 * scrollback and in screen recordings, which is what the app's window avoids by masking it again
 * after a few seconds.
 */

/** Why `read` refuses, or null when it may print. */
export function readRefusal(stdoutIsTerminal: boolean, reveal: boolean): string | null {
  if (!stdoutIsTerminal || reveal) return null;
  return (
    'Not printing a token value to a terminal: it would stay on screen and in the scrollback. ' +
    'Pipe it to the program that needs it (token-vault read <account>/<token> | …), give it to a ' +
    'command with `token-vault run`, copy it with `token-vault copy`, or add --reveal to print it here.'
  );
}
