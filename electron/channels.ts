/** IPC channel names, apart from the contract so the preload bundles no schema code. */
export const INVOKE_CHANNEL = 'vault:invoke';
export const EVENT_CHANNEL = 'vault:event';
