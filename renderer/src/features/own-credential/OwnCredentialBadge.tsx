import { OWN_CREDENTIAL_BADGE } from './own-credential-text';
import './own-credential.css';

/** In the Vault column of the token the vault signs in with: not for import, copy or rotation. */
export function OwnCredentialBadge() {
  return (
    <span className="badge own-credential" title="The vault signs in with this token and renews it itself">
      {OWN_CREDENTIAL_BADGE}
    </span>
  );
}
