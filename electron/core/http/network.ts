/**
 * What a failed request's error says of the network, read the same way for every service: Node's
 * fetch hides the reason (ECONNREFUSED, ENOTFOUND, a certificate) in `cause`, Chromium's net.fetch
 * names it in a `net::ERR_…` message.
 */
export interface NetworkCause {
  readonly kind: 'timeout' | 'redirect' | 'cut' | 'refused' | 'no-host' | 'certificate' | 'other';
  /** ECONNRESET, CERT_HAS_EXPIRED, ERR_NAME_NOT_RESOLVED…; null when none is given. */
  readonly code: string | null;
  /** For 'certificate': what is wrong with it, in words. */
  readonly certificate: string | null;
  /** The cause's own words (for 'other'); '' when there are none. */
  readonly message: string;
}

export function networkCause(error: unknown): NetworkCause {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return { kind: 'timeout', code: null, certificate: null, message: '' };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : '';
  const own = cause instanceof Error ? (cause as Error & { code?: unknown }).code : undefined;
  const code =
    typeof own === 'string'
      ? own
      : cause instanceof Error
        ? (/\bnet::(ERR_[A-Z_]+)/.exec(message)?.[1] ?? null)
        : null;
  const at = (kind: NetworkCause['kind'], certificate: string | null = null) => ({
    kind,
    code,
    certificate,
    message,
  });
  // Node's fetch says "unexpected redirect"; Chromium's names ERR_UNSAFE_REDIRECT or similar.
  if (cause instanceof Error && /redirect/i.test(`${message} ${code ?? ''}`)) return at('redirect');
  if (code === 'ECONNREFUSED' || code === 'ERR_CONNECTION_REFUSED') return at('refused');
  if (code === 'ENOTFOUND' || code === 'ERR_NAME_NOT_RESOLVED') return at('no-host');
  const certificate = code === null ? null : certificateProblem(code);
  if (certificate !== null) return at('certificate', certificate);
  if (
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET' ||
    /other side closed|terminated|socket hang up/i.test(message)
  ) {
    return at('cut');
  }
  return at('other');
}

const UNTRUSTED_ISSUER =
  "its certificate is not signed by an authority this computer trusts; if your organization uses its own certificate authority, add that CA's certificate";

const CERTIFICATE_PROBLEMS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED_ISSUER,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED_ISSUER,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED_ISSUER,
  SELF_SIGNED_CERT_IN_CHAIN: UNTRUSTED_ISSUER,
  DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is self-signed; add that certificate as the server's CA",
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check this computer’s clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  // Electron's net.fetch (Chromium's names).
  ERR_CERT_AUTHORITY_INVALID: UNTRUSTED_ISSUER,
  ERR_CERT_DATE_INVALID: 'its certificate has expired or is not valid yet',
  ERR_CERT_COMMON_NAME_INVALID: 'its certificate is for another host name',
};

/** Words for a TLS certificate failure (it fails the same way until fixed), or null. */
function certificateProblem(code: string): string | null {
  const known = CERTIFICATE_PROBLEMS[code];
  if (known !== undefined) return known;
  return /CERT|SELF_SIGNED|^ERR_TLS_|^ERR_SSL_/.test(code) ? 'its TLS certificate was refused' : null;
}
