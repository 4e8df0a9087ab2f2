/**
 * The renderer's only way to the vault: the contract's calls over `window.vault`, which the
 * preload (Electron IPC) or the test/preview bridge provides. Errors arrive as data and are
 * thrown here as VaultCallError, with the code and the message to show.
 */
import type {
  CallInput,
  CallName,
  CallOutput,
  ErrorCode,
  EventName,
  EventPayload,
  VaultTransport,
} from '@contract';

declare global {
  interface Window {
    vault: VaultTransport;
  }
}

export class VaultCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultCallError';
  }
}

export async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const envelope = await window.vault.invoke(name, input);
  if (!envelope.ok) throw new VaultCallError(envelope.error.code, envelope.error.message);
  return envelope.value as CallOutput<K>;
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return window.vault.on(event, (payload) => listener(payload as EventPayload<E>));
}
