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
  if (frame.protocol !== app.protocol) return false;
  // file: pages have an opaque origin; compare the path. Others compare origin and path.
  return app.protocol === 'file:'
    ? frame.pathname === app.pathname
    : frame.origin === app.origin && frame.pathname === app.pathname;
}
