/**
 * The boundary every call crosses, whatever the transport: the call name must be one the
 * contract declares, the payload must match its schema, and every failure comes back as data.
 */
import { calls, type CallArgs, type CallName, type CallOutput, type Envelope } from '@contract';
import { VaultError } from '@core/errors';
import type { Logger } from '@core/ports';
import { redact } from '@core/redact';

export type Handlers = {
  [K in CallName]: (args: CallArgs<K>) => Promise<CallOutput<K>>;
};

/** A feature's share of the handlers: each feature folder exports its slice (handlers.ts). */
export type HandlerSlice<K extends CallName> = Pick<Handlers, K>;

/** For the calls that answer nothing: `{}`, once the work is done. */
export async function done(work: Promise<unknown>): Promise<Record<string, never>> {
  await work;
  return {};
}

export type Dispatch = (call: string, payload: unknown) => Promise<Envelope<unknown>>;

export function createDispatch(handlers: Handlers, log: Logger): Dispatch {
  return async (call, payload) => {
    if (typeof call !== 'string' || !Object.hasOwn(calls, call)) {
      // Sanitized before it is cut (a value cut short is no longer token-shaped, yet mostly there);
      // a name that is not a string is named by its type (String() throws on some objects).
      log.warn('unknown call refused', {
        call: typeof call === 'string' ? redact(call).slice(0, 80) : typeof call,
      });
      return failure(new VaultError('invalid-input', 'Unknown call.'));
    }
    const name = call as CallName;
    const parsed = calls[name].input.safeParse(payload);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; ');
      return failure(new VaultError('invalid-input', message));
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof VaultError) return failure(error);
      // Unexpected: log the kind of error only, since a message could quote anything.
      log.error('call failed unexpectedly', { call: name, error: (error as Error)?.name ?? 'unknown' });
      return failure(new VaultError('internal', 'Something went wrong inside the vault. Try again.'));
    }
  };
}

/** Every message is sanitized here too: a server's or the OS's words (or a payload's keys) could quote a value. */
function failure(error: VaultError): Envelope<never> {
  return { ok: false, error: { code: error.code, message: redact(error.message) } };
}
