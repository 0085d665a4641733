// WebAuthn in the browser: the server's challenge JSON (binary fields in base64url, as
// webauthn-rs sends them) to the ArrayBuffers navigator.credentials wants, and the
// authenticator's answer back to JSON.

function fromB64url(value: string): ArrayBuffer {
  const b64 = value.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(value.length / 4) * 4, "=");
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

function toB64url(buffer: ArrayBuffer | null): string | null {
  if (!buffer) return null;
  const bytes = new Uint8Array(buffer);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

type Json = Record<string, unknown>;

/**
 * An authenticator's answer as the API's schema types it (a free-form object, which the
 * generated types spell `Record<string, never>`).
 */
export type CredentialJson = Record<string, never>;

function publicKeyOf(options: unknown): Json {
  const pk = (options as Json | null)?.publicKey;
  if (!pk || typeof pk !== "object") throw new Error("The server's WebAuthn challenge is malformed.");
  return { ...(pk as Json) };
}

function credentialList(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((c: Json) => ({ ...c, id: fromB64url(String(c.id)) }));
}

/** True when this browser can use security keys and passkeys here. */
export function webauthnAvailable(): boolean {
  return typeof window.PublicKeyCredential === "function" && window.isSecureContext;
}

/** Registers a new credential for the `options` of a registration challenge. */
export async function createCredential(options: unknown): Promise<CredentialJson> {
  const pk = publicKeyOf(options);
  pk.challenge = fromB64url(String(pk.challenge));
  const user = { ...(pk.user as Json) };
  user.id = fromB64url(String(user.id));
  pk.user = user;
  pk.excludeCredentials = credentialList(pk.excludeCredentials);
  const credential = (await navigator.credentials.create({
    publicKey: pk as unknown as PublicKeyCredentialCreationOptions,
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("No credential was created.");
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id,
    rawId: toB64url(credential.rawId),
    type: credential.type,
    response: {
      attestationObject: toB64url(response.attestationObject),
      clientDataJSON: toB64url(response.clientDataJSON),
      transports: typeof response.getTransports === "function" ? response.getTransports() : [],
    },
    extensions: credential.getClientExtensionResults(),
  } as unknown as CredentialJson;
}

/** Signs the `options` of a login challenge with a registered credential. */
export async function getAssertion(options: unknown): Promise<CredentialJson> {
  const pk = publicKeyOf(options);
  pk.challenge = fromB64url(String(pk.challenge));
  pk.allowCredentials = credentialList(pk.allowCredentials);
  const credential = (await navigator.credentials.get({
    publicKey: pk as unknown as PublicKeyCredentialRequestOptions,
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("No security key answered.");
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: toB64url(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: toB64url(response.authenticatorData),
      clientDataJSON: toB64url(response.clientDataJSON),
      signature: toB64url(response.signature),
      userHandle: toB64url(response.userHandle),
    },
    extensions: credential.getClientExtensionResults(),
  } as unknown as CredentialJson;
}
