/**
 * Who may call the vault over IPC: only the main frame of our own window, showing our own page.
 * Pure (no 'electron' import) so it is unit-tested in Node.
 */
export function isOwnPage(frameUrl: string, appUrl: string): boolean {
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  // Scheme, host (with port) and path: app:// has no web origin to compare in Node's URL parser.
  return frame.protocol === app.protocol && frame.host === app.host && frame.pathname === app.pathname;
}
