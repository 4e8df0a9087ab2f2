import { VaultCallError } from './vault-client';

/**
 * What to tell the user about a failed call: the vault's own message as worded (it never holds
 * a secret), or a generic line when the transport itself failed (its text could quote anything).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof VaultCallError) return error.message;
  return 'The vault did not answer. Try again.';
}
