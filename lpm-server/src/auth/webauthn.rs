//! The WebAuthn relying party (webauthn-rs): built from the public origin the browser shows,
//! with stable user handles and credential ids as the store keeps them.
//!
//! Credentials are webauthn-rs *passkeys*: any authenticator, user verification required (a
//! PIN or a fingerprint on the key), used here as the second factor after the password. The
//! relying party id is the origin's host name, so it must be a domain (`localhost` will do): a
//! browser refuses WebAuthn for an IP address.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lpm_core::ids::UserId;
use sha2::{Digest, Sha256};
use url::Url;
use webauthn_rs::prelude::{CredentialID, Uuid};
use webauthn_rs::{Webauthn, WebauthnBuilder};

use super::AuthError;

/// The name authenticators show for this relying party.
pub const RP_NAME: &str = "lpm";

/// The default public origin (`web.public_origin`).
pub const DEFAULT_PUBLIC_ORIGIN: &str = "https://localhost:8443";

/// The relying party for `origin` (scheme, host and port the browser shows). Refuses an
/// origin without a domain name, or one that is not HTTPS (plain HTTP only for `localhost`).
pub fn relying_party(origin: &Url) -> Result<Webauthn, AuthError> {
    let bad = |why: &str| AuthError::Origin(format!("{origin}: {why}"));
    let rp_id = origin
        .domain()
        .ok_or_else(|| bad("needs a host name, not an IP address (WebAuthn needs a domain)"))?;
    if origin.scheme() != "https" && !(origin.scheme() == "http" && rp_id == "localhost") {
        return Err(bad("must be https://"));
    }
    if origin.path() != "/" || origin.query().is_some() || origin.fragment().is_some() {
        return Err(bad("must be scheme://host[:port] only"));
    }
    WebauthnBuilder::new(rp_id, origin)
        .and_then(|b| b.rp_name(RP_NAME).build())
        .map_err(|e| bad(&e.to_string()))
}

/// The WebAuthn user handle of a user: a UUID derived from the user id, so it is stable
/// without a column, and says nothing (not the name) to the authenticator.
pub fn user_handle(user: UserId) -> Uuid {
    let digest = Sha256::digest(format!("lpm-webauthn-user:{user}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(digest.get(..16).unwrap_or(&[0u8; 16]));
    uuid_v8(bytes)
}

/// Marks 16 bytes as a version 8 (custom) RFC 9562 UUID.
fn uuid_v8(mut bytes: [u8; 16]) -> Uuid {
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

/// A credential id as the store keeps it: base64url without padding.
pub fn credential_key(id: &CredentialID) -> String {
    URL_SAFE_NO_PAD.encode(AsRef::<[u8]>::as_ref(id))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn the_default_origin_makes_a_relying_party_for_localhost() {
        let origin = Url::parse(DEFAULT_PUBLIC_ORIGIN).unwrap();
        let rp = relying_party(&origin).unwrap();
        assert_eq!(rp.get_allowed_origins(), [origin]);
        assert!(relying_party(&Url::parse("https://patch.example.com").unwrap()).is_ok());
        assert!(relying_party(&Url::parse("http://localhost:8080").unwrap()).is_ok());
    }

    #[test]
    fn origins_webauthn_cannot_use_are_refused() {
        for bad in [
            "https://127.0.0.1:8443",
            "https://[::1]:8443",
            "http://patch.example.com",
            "https://patch.example.com/app",
            "https://patch.example.com/?x=1",
        ] {
            assert!(
                matches!(
                    relying_party(&Url::parse(bad).unwrap()),
                    Err(AuthError::Origin(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn user_handles_are_stable_and_distinct() {
        let a = UserId::new(1).unwrap();
        let b = UserId::new(2).unwrap();
        assert_eq!(user_handle(a), user_handle(a));
        assert_ne!(user_handle(a), user_handle(b));
        assert_eq!(user_handle(a).get_version_num(), 8);
    }
}
