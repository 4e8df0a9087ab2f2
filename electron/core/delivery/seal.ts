/**
 * GitHub Actions secrets are sent sealed: a libsodium sealed box (`crypto_box_seal`, an ephemeral
 * Curve25519 key pair and XSalsa20-Poly1305) to the public key GitHub gives for that repository,
 * environment or organization. Only GitHub's private key opens it.
 */
import sodium from 'libsodium-wrappers';

/** A Curve25519 public key is 32 bytes. */
const PUBLIC_KEY_BYTES = 32;

let ready: Promise<void> | null = null;

/** libsodium loads its WebAssembly once; every seal waits for that one load. */
function sodiumReady(): Promise<void> {
  ready ??= sodium.ready;
  return ready;
}

/** The decoded key, or null when `keyBase64` is not a 32-byte key in standard base64. */
export async function decodePublicKey(keyBase64: string): Promise<Uint8Array | null> {
  await sodiumReady();
  try {
    const key = sodium.from_base64(keyBase64.trim(), sodium.base64_variants.ORIGINAL);
    return key.length === PUBLIC_KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

/**
 * `value` sealed to `publicKey` (GitHub's base64 key), in standard base64 with padding, as GitHub's
 * `encrypted_value` takes it. Throws when the key is not a key (the caller words that).
 */
export async function sealForGitHub(value: string, publicKeyBase64: string): Promise<string> {
  const key = await decodePublicKey(publicKeyBase64);
  if (key === null) throw new Error('Not a Curve25519 public key');
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key);
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}
