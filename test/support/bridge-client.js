// @ts-check
/**
 * The test/preview bridge's `window.vault`: the same transport the preload gives the renderer,
 * over HTTP to 127.0.0.1. The per-run key comes from the page URL (?k=...), which only the
 * process that started the bridge knows.
 */
(() => {
  const key = new URLSearchParams(location.search).get('k') ?? '';
  /** @type {Map<string, Set<(payload: unknown) => void>>} */
  const listeners = new Map();
  const events = new EventSource(`/__bridge/events?k=${encodeURIComponent(key)}`);
  events.onmessage = (message) => {
    const { event, payload } = JSON.parse(message.data);
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  const vault = {
    /** @param {string} call @param {unknown} payload */
    async invoke(call, payload) {
      const response = await fetch('/__bridge/invoke', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Vault-Key': key },
        body: JSON.stringify({ call, payload }),
      });
      if (!response.ok) {
        return {
          ok: false,
          error: { code: 'internal', message: `Bridge refused the call (${response.status}).` },
        };
      }
      return response.json();
    },
    /** @param {string} event @param {(payload: unknown) => void} listener */
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(listener));
      return () => set.delete(listener);
    },
  };
  Object.defineProperty(window, 'vault', { value: Object.freeze(vault) });
})();
