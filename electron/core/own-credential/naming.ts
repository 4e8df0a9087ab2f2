/** The names of the tokens the vault makes for itself: whose they are, seen in SonarQube's list. */

/** SonarQube caps names at 100 characters and keeps them unique per user. */
const MAX_NAME_LENGTH = 100;

/**
 * "Token Vault (<computer>)", then "Token Vault (<computer>) 2", "… 3" while one is taken: a
 * successor never shares its predecessor's name, and the user sees which computer's vault it is.
 */
export function ownCredentialName(computer: string, taken: ReadonlySet<string>): string {
  const host = computer.replace(/\s+/g, ' ').trim() || 'this computer';
  for (let n = 1; ; n++) {
    const suffix = n > 1 ? ` ${n}` : '';
    const room = MAX_NAME_LENGTH - 'Token Vault ()'.length - suffix.length;
    const name = `Token Vault (${host.slice(0, room).trim()})${suffix}`;
    if (!taken.has(name)) return name;
  }
}
