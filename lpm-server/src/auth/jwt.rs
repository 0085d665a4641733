//! EdDSA (Ed25519) access tokens, and the short-lived MFA and enrolment tokens of a login's
//! second step (SDD §7.1).
//!
//! # Keys and rotation
//! The web process keeps each private key in a file (`SigningKey::save`, mode 0600, under
//! `/etc/patch-manager/secrets/`) and publishes the public half to the store with
//! `Store::publish_jwt_key(kid, public_pem, created_at, verify_until(created_at))`. Every
//! process, the worker included, verifies with the keys `Store::jwt_verifying_keys(now)` returns
//! ([`Verifier::new`]); only the web process can sign. A key signs for 90 days
//! ([`rotation_due`]); then the web process generates and publishes a new one and signs with it.
//! The old key keeps verifying for 24 more hours ([`verify_until`]), far longer than the 15-minute
//! tokens it signed need, so no session breaks at rotation. A verifier that meets a kid it does
//! not know gets [`AuthError::UnknownKey`] and should reload the keys from the store once.
//!
//! # Tokens
//! Every token has `kid` in its header and `alg: EdDSA`; [`Verifier`] accepts no other
//! algorithm (no `none`, no HMAC with the public key as secret). Three kinds, told apart by
//! both their audience (`aud`) and their `typ` claim, so none is ever accepted as another:
//!
//! | kind | `aud` | `typ` | lifetime | good for |
//! |---|---|---|---|---|
//! | access | `lpm-api` | `access` | 15 min | the API ([`issue`], [`Verifier::verify`]) |
//! | MFA | `lpm-mfa` | `mfa` | 5 min | step 2 of login: TOTP, WebAuthn or recovery code |
//! | enrolment | `lpm-enrol` | `enrol` | 5 min | the MFA enrolment endpoints only |
//!
//! MFA and enrolment tokens are signed JWTs rather than opaque random strings because they then
//! need no table and no clean-up; they are bound to one user and live minutes, and the factor
//! they lead to is itself single-use (TOTP steps, recovery codes) and throttled.
//!
//! Expiry is checked against the `now` passed in, with 30 seconds of leeway for clock skew
//! between the web and worker processes.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lpm_core::ids::UserId;
use lpm_core::model::{Role, User};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::AuthError;
use super::secrets::random_string;

/// Lifetime of an access token (SDD §7.1).
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// Lifetime of an MFA or enrolment token.
pub const MFA_TOKEN_TTL: Duration = Duration::minutes(5);
/// Clock skew tolerated when checking expiry, in seconds.
pub const LEEWAY_SECS: i64 = 30;
/// How long a key signs before it is replaced (SDD §7.1).
pub const ROTATION_PERIOD: Duration = Duration::days(90);
/// How long a replaced key still verifies (SDD §7.1).
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

const ISSUER: &str = "lpm";
const ACCESS_AUD: &str = "lpm-api";

/// Whether a key created at `key_created_at` should be replaced at `now` (90 days).
pub fn rotation_due(key_created_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - key_created_at >= ROTATION_PERIOD
}

/// Until when a key created at `created_at` verifies, to publish with it: its 90 days of
/// signing plus 24 hours of overlap after its successor takes over.
pub fn verify_until(created_at: DateTime<Utc>) -> DateTime<Utc> {
    created_at + ROTATION_PERIOD + ROTATION_OVERLAP
}

/// An Ed25519 signing key with its key id. `Debug` shows the kid and the public key only.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    private_pem: SecretString,
    public_pem: String,
    encoding: EncodingKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("public_pem", &self.public_pem)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A new random key.
    pub fn generate() -> Result<Self, AuthError> {
        let pair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519)
            .map_err(|e| AuthError::Key(e.to_string()))?;
        Self::from_pem(SecretString::from(pair.serialize_pem()))
    }

    /// The key in a PKCS#8 PEM (as [`SigningKey::save`] writes it). The kid is derived from
    /// the public key (16 base64url characters of its SHA-256), so it survives a reload.
    pub fn from_pem(private_pem: SecretString) -> Result<Self, AuthError> {
        let pair = rcgen::KeyPair::from_pem(private_pem.expose_secret())
            .map_err(|e| AuthError::Key(e.to_string()))?;
        if pair.algorithm() != &rcgen::PKCS_ED25519 {
            return Err(AuthError::Key("not an Ed25519 key".into()));
        }
        let public_pem = pair.public_key_pem();
        let digest = Sha256::digest(public_pem.as_bytes());
        let kid = URL_SAFE_NO_PAD.encode(digest.get(..12).unwrap_or_default());
        let encoding = EncodingKey::from_ed_pem(private_pem.expose_secret().as_bytes())
            .map_err(|e| AuthError::Key(e.to_string()))?;
        Ok(Self {
            kid,
            private_pem,
            public_pem,
            encoding,
        })
    }

    /// Its key id, as in token headers and `Store::publish_jwt_key`.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key (SPKI PEM), to publish.
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// What a [`Verifier`] needs to check this key's tokens until `verify_until`.
    pub fn verifying_key(&self, verify_until: DateTime<Utc>) -> VerifyingKey {
        VerifyingKey {
            kid: self.kid.clone(),
            public_pem: self.public_pem.clone(),
            verify_until,
        }
    }

    /// Writes the private key PEM to a new file with mode 0600; refuses to overwrite.
    pub fn save(&self, path: &Path) -> Result<(), AuthError> {
        let io = |source| AuthError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => AuthError::KeyFileExists {
                    path: path.to_owned(),
                },
                _ => io(e),
            })?;
        file.write_all(self.private_pem.expose_secret().as_bytes())
            .map_err(io)?;
        file.sync_all().map_err(io)
    }

    /// Reads a key [`SigningKey::save`] wrote; refuses a file group or others can read.
    pub fn load(path: &Path) -> Result<Self, AuthError> {
        let io = |source| AuthError::Io {
            path: path.to_owned(),
            source,
        };
        let mode = std::fs::metadata(path).map_err(io)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(AuthError::KeyFileInsecure {
                path: path.to_owned(),
                mode,
            });
        }
        let pem = std::fs::read_to_string(path).map_err(io)?;
        Self::from_pem(SecretString::from(pem))
    }

    fn sign<T: Serialize>(&self, claims: &T) -> Result<String, AuthError> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| AuthError::Key(e.to_string()))
    }
}

/// How the user proved who they are (`amr` claim, after RFC 8176's idea).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Amr {
    /// Password and a TOTP code.
    #[serde(rename = "pwd+totp")]
    PwdTotp,
    /// Password and a WebAuthn credential.
    #[serde(rename = "pwd+webauthn")]
    PwdWebauthn,
    /// Password and a recovery code.
    #[serde(rename = "recovery")]
    Recovery,
    /// Azure SSO (OIDC), whose own MFA satisfies the requirement.
    #[serde(rename = "oidc")]
    Oidc,
}

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer: `lpm`.
    pub iss: String,
    /// Audience: `lpm-api`.
    pub aud: String,
    /// The user id, as a decimal string (JWT subjects are strings).
    pub sub: String,
    /// The username (for display and the audit log's actor).
    pub name: String,
    /// The user's role when the token was issued.
    pub role: Role,
    /// How the user authenticated.
    pub amr: Amr,
    /// Always `true`: no access token is issued without a second factor.
    pub mfa: bool,
    /// Token kind: `access`.
    pub typ: String,
    /// Issued at, unix seconds.
    pub iat: i64,
    /// Expires at, unix seconds.
    pub exp: i64,
    /// Random token id (for the audit log).
    pub jti: String,
}

impl AccessClaims {
    /// The user id in `sub`.
    pub fn user_id(&self) -> Result<UserId, AuthError> {
        self.sub.parse().map_err(|_| AuthError::InvalidToken)
    }

    /// When it was issued, to compare with `Store::sessions_revoked_since`.
    pub fn issued_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.iat, 0).unwrap_or_default()
    }
}

/// What an MFA-step token is good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaPurpose {
    /// Step 2 of a login: the password was right, a second factor is due.
    Login,
    /// The user has no second factor yet: only the enrolment endpoints accept it.
    Enrolment,
}

impl MfaPurpose {
    fn aud(self) -> &'static str {
        match self {
            Self::Login => "lpm-mfa",
            Self::Enrolment => "lpm-enrol",
        }
    }

    fn typ(self) -> &'static str {
        match self {
            Self::Login => "mfa",
            Self::Enrolment => "enrol",
        }
    }
}

/// The claims of an MFA or enrolment token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaClaims {
    /// Issuer: `lpm`.
    pub iss: String,
    /// Audience: `lpm-mfa` or `lpm-enrol`.
    pub aud: String,
    /// The user id, as a decimal string.
    pub sub: String,
    /// The username.
    pub name: String,
    /// Token kind: `mfa` or `enrol`.
    pub typ: String,
    /// Issued at, unix seconds.
    pub iat: i64,
    /// Expires at, unix seconds.
    pub exp: i64,
    /// Random token id.
    pub jti: String,
}

impl MfaClaims {
    /// The user id in `sub`.
    pub fn user_id(&self) -> Result<UserId, AuthError> {
        self.sub.parse().map_err(|_| AuthError::InvalidToken)
    }
}

fn jti() -> Result<String, AuthError> {
    random_string(b"0123456789abcdefghijklmnopqrstuvwxyz", 20)
}

/// Issues an access token for `user`, valid [`ACCESS_TTL`] from `now`. Call it only once every
/// factor passed: the token says `mfa: true`.
pub fn issue(
    key: &SigningKey,
    user: &User,
    amr: Amr,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    key.sign(&AccessClaims {
        iss: ISSUER.into(),
        aud: ACCESS_AUD.into(),
        sub: user.id.to_string(),
        name: user.username.as_str().into(),
        role: user.role,
        amr,
        mfa: true,
        typ: "access".into(),
        iat: now.timestamp(),
        exp: (now + ACCESS_TTL).timestamp(),
        jti: jti()?,
    })
}

fn issue_mfa(
    key: &SigningKey,
    user: &User,
    purpose: MfaPurpose,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    key.sign(&MfaClaims {
        iss: ISSUER.into(),
        aud: purpose.aud().into(),
        sub: user.id.to_string(),
        name: user.username.as_str().into(),
        typ: purpose.typ().into(),
        iat: now.timestamp(),
        exp: (now + MFA_TOKEN_TTL).timestamp(),
        jti: jti()?,
    })
}

/// Issues the token of a login's second step (the password was right), valid
/// [`MFA_TOKEN_TTL`]; [`Verifier::verify_mfa`] with [`MfaPurpose::Login`] accepts it.
pub fn issue_mfa_token(
    key: &SigningKey,
    user: &User,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    issue_mfa(key, user, MfaPurpose::Login, now)
}

/// Issues the `enrollment_token` for a user who must enrol a second factor, valid
/// [`MFA_TOKEN_TTL`]; [`Verifier::verify_mfa`] with [`MfaPurpose::Enrolment`] accepts it.
pub fn issue_enrolment_token(
    key: &SigningKey,
    user: &User,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    issue_mfa(key, user, MfaPurpose::Enrolment, now)
}

/// A published verifying key: what `Store::jwt_verifying_keys` returns (`JwtKey`'s `kid`,
/// `public_key` and `verify_until`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    /// Key id.
    pub kid: String,
    /// Ed25519 public key, SPKI PEM.
    pub public_pem: String,
    /// Tokens signed with it verify until then.
    pub verify_until: DateTime<Utc>,
}

/// Checks tokens against a set of published keys.
pub struct Verifier {
    keys: HashMap<String, (DecodingKey, DateTime<Utc>)>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut kids: Vec<&String> = self.keys.keys().collect();
        kids.sort();
        f.debug_struct("Verifier").field("kids", &kids).finish()
    }
}

/// The header fields a verifier looks at, parsed by hand so that an algorithm jsonwebtoken does
/// not know (`none`) is refused like any other.
#[derive(Deserialize)]
struct RawHeader {
    alg: String,
    kid: Option<String>,
}

impl Verifier {
    /// A verifier for these keys; `Err(Key)` if a public key does not parse.
    pub fn new(keys: impl IntoIterator<Item = VerifyingKey>) -> Result<Self, AuthError> {
        let mut map = HashMap::new();
        for key in keys {
            let decoding = DecodingKey::from_ed_pem(key.public_pem.as_bytes())
                .map_err(|e| AuthError::Key(format!("{}: {e}", key.kid)))?;
            map.insert(key.kid, (decoding, key.verify_until));
        }
        Ok(Self { keys: map })
    }

    /// The claims of a valid access token at `now`. Refuses every other algorithm than EdDSA,
    /// unknown or retired keys, bad signatures, expired tokens (30 s leeway), and MFA or
    /// enrolment tokens.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AuthError> {
        let claims: AccessClaims = self.decode(token, ACCESS_AUD, now)?;
        if claims.typ != "access" || !claims.mfa {
            return Err(AuthError::InvalidToken);
        }
        check_times(claims.iat, claims.exp, now)?;
        Ok(claims)
    }

    /// The claims of a valid MFA (`Login`) or enrolment token at `now`; refuses access tokens
    /// and tokens of the other purpose.
    pub fn verify_mfa(
        &self,
        token: &str,
        purpose: MfaPurpose,
        now: DateTime<Utc>,
    ) -> Result<MfaClaims, AuthError> {
        let claims: MfaClaims = self.decode(token, purpose.aud(), now)?;
        if claims.typ != purpose.typ() {
            return Err(AuthError::InvalidToken);
        }
        check_times(claims.iat, claims.exp, now)?;
        Ok(claims)
    }

    fn decode<T: DeserializeOwned>(
        &self,
        token: &str,
        aud: &str,
        now: DateTime<Utc>,
    ) -> Result<T, AuthError> {
        let header = token.split('.').next().unwrap_or_default();
        let header: RawHeader = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or(AuthError::InvalidToken)?;
        if header.alg != "EdDSA" {
            return Err(AuthError::InvalidToken);
        }
        let kid = header.kid.ok_or(AuthError::InvalidToken)?;
        let (key, until) = self.keys.get(&kid).ok_or(AuthError::UnknownKey)?;
        if now >= *until {
            return Err(AuthError::UnknownKey);
        }
        let mut validation = Validation::new(Algorithm::EdDSA);
        // Time is checked against `now` by the caller, not the system clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        validation.set_audience(&[aud]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "aud", "iss"]);
        jsonwebtoken::decode::<T>(token, key, &validation)
            .map(|data| data.claims)
            .map_err(|_| AuthError::InvalidToken)
    }
}

fn check_times(iat: i64, exp: i64, now: DateTime<Utc>) -> Result<(), AuthError> {
    let now = now.timestamp();
    if iat > now + LEEWAY_SECS || exp <= iat {
        return Err(AuthError::InvalidToken);
    }
    if now >= exp + LEEWAY_SECS {
        return Err(AuthError::TokenExpired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use aws_lc_rs::hmac;
    use chrono::TimeZone as _;
    use lpm_core::model::Username;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn alice() -> User {
        User {
            id: UserId::new(7).unwrap(),
            username: Username::new("alice").unwrap(),
            role: Role::Operator,
            groups: vec![],
            disabled: false,
        }
    }

    fn setup() -> (SigningKey, Verifier) {
        let key = SigningKey::generate().unwrap();
        let verifier = Verifier::new([key.verifying_key(verify_until(t0()))]).unwrap();
        (key, verifier)
    }

    fn b64(json: &serde_json::Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(json).unwrap())
    }

    fn valid_payload() -> serde_json::Value {
        serde_json::json!({
            "iss": "lpm", "aud": "lpm-api", "sub": "7", "name": "alice", "role": "admin",
            "amr": "pwd+totp", "mfa": true, "typ": "access",
            "iat": t0().timestamp(), "exp": (t0() + ACCESS_TTL).timestamp(), "jti": "x",
        })
    }

    #[test]
    fn issue_then_verify() {
        let (key, verifier) = setup();
        let token = issue(&key, &alice(), Amr::PwdTotp, t0()).unwrap();
        let claims = verifier
            .verify(&token, t0() + Duration::minutes(1))
            .unwrap();
        assert_eq!(claims.user_id().unwrap(), UserId::new(7).unwrap());
        assert_eq!(claims.name, "alice");
        assert_eq!(claims.role, Role::Operator);
        assert_eq!(claims.amr, Amr::PwdTotp);
        assert!(claims.mfa);
        assert_eq!(claims.exp - claims.iat, 900);
        assert_eq!(claims.issued_at(), t0());
        assert_eq!(claims.jti.len(), 20);

        let header: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header["alg"], "EdDSA");
        assert_eq!(header["kid"], key.kid());
    }

    #[test]
    fn expiry_allows_30_seconds_of_skew_and_no_more() {
        let (key, verifier) = setup();
        let token = issue(&key, &alice(), Amr::PwdWebauthn, t0()).unwrap();
        let exp = t0() + ACCESS_TTL;
        assert!(verifier.verify(&token, exp + Duration::seconds(29)).is_ok());
        assert!(matches!(
            verifier.verify(&token, exp + Duration::seconds(30)),
            Err(AuthError::TokenExpired)
        ));
        assert!(matches!(
            verifier.verify(&token, exp + Duration::days(1)),
            Err(AuthError::TokenExpired)
        ));
    }

    #[test]
    fn tokens_from_the_future_are_refused() {
        let (key, verifier) = setup();
        let token = issue(&key, &alice(), Amr::PwdTotp, t0()).unwrap();
        assert!(matches!(
            verifier.verify(&token, t0() - Duration::minutes(5)),
            Err(AuthError::InvalidToken)
        ));
    }

    #[test]
    fn alg_none_is_refused() {
        let (key, verifier) = setup();
        let header = b64(&serde_json::json!({"alg": "none", "typ": "JWT", "kid": key.kid()}));
        let payload = b64(&valid_payload());
        for token in [
            format!("{header}.{payload}."),
            format!("{header}.{payload}"),
        ] {
            assert!(
                matches!(verifier.verify(&token, t0()), Err(AuthError::InvalidToken)),
                "{token}"
            );
        }
    }

    #[test]
    fn hs256_with_the_public_key_as_secret_is_refused() {
        let (key, verifier) = setup();
        let header = b64(&serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": key.kid()}));
        let payload = b64(&valid_payload());
        let signing_input = format!("{header}.{payload}");
        // The classic confusion: the public key PEM (and its raw bytes) as the HMAC secret.
        let pem = key.public_pem().as_bytes().to_vec();
        let der = pem::parse(key.public_pem()).unwrap().into_contents();
        for secret in [pem, der.clone(), der[der.len() - 32..].to_vec()] {
            let tag = hmac::sign(
                &hmac::Key::new(hmac::HMAC_SHA256, &secret),
                signing_input.as_bytes(),
            );
            let token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()));
            assert!(matches!(
                verifier.verify(&token, t0()),
                Err(AuthError::InvalidToken)
            ));
        }
    }

    #[test]
    fn an_unknown_kid_is_refused() {
        let (_, verifier) = setup();
        let other = SigningKey::generate().unwrap();
        let token = issue(&other, &alice(), Amr::PwdTotp, t0()).unwrap();
        assert!(matches!(
            verifier.verify(&token, t0()),
            Err(AuthError::UnknownKey)
        ));
        // No kid at all.
        let header = b64(&serde_json::json!({"alg": "EdDSA", "typ": "JWT"}));
        let token = format!("{header}.{}", token.split_once('.').unwrap().1);
        assert!(matches!(
            verifier.verify(&token, t0()),
            Err(AuthError::InvalidToken)
        ));
    }

    #[test]
    fn a_token_signed_by_another_key_under_a_known_kid_is_refused() {
        let (key, verifier) = setup();
        let other = SigningKey::generate().unwrap();
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid().to_owned());
        let token = jsonwebtoken::encode(&header, &valid_payload(), &other.encoding).unwrap();
        assert!(matches!(
            verifier.verify(&token, t0()),
            Err(AuthError::InvalidToken)
        ));
    }

    #[test]
    fn a_tampered_payload_is_refused() {
        let (key, verifier) = setup();
        let token = issue(&key, &alice(), Amr::PwdTotp, t0()).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        claims["role"] = "admin".into();
        let forged = format!("{}.{}.{}", parts[0], b64(&claims), parts[2]);
        assert!(matches!(
            verifier.verify(&forged, t0()),
            Err(AuthError::InvalidToken)
        ));
        // A flipped bit in the signature too.
        let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        sig[0] ^= 1;
        let forged = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(sig));
        assert!(matches!(
            verifier.verify(&forged, t0()),
            Err(AuthError::InvalidToken)
        ));
    }

    #[test]
    fn garbage_is_refused() {
        let (_, verifier) = setup();
        for token in ["", "a", "a.b.c", "....", "eyJ.eyJ.eyJ"] {
            assert!(verifier.verify(token, t0()).is_err(), "{token}");
        }
    }

    #[test]
    fn mfa_and_enrolment_tokens_are_never_access_tokens() {
        let (key, verifier) = setup();
        let mfa = issue_mfa_token(&key, &alice(), t0()).unwrap();
        let enrol = issue_enrolment_token(&key, &alice(), t0()).unwrap();
        let access = issue(&key, &alice(), Amr::PwdTotp, t0()).unwrap();
        for token in [&mfa, &enrol] {
            assert!(matches!(
                verifier.verify(token, t0()),
                Err(AuthError::InvalidToken)
            ));
        }
        let claims = verifier.verify_mfa(&mfa, MfaPurpose::Login, t0()).unwrap();
        assert_eq!(claims.user_id().unwrap(), UserId::new(7).unwrap());
        assert!(
            verifier
                .verify_mfa(&enrol, MfaPurpose::Enrolment, t0())
                .is_ok()
        );
        // Nor the other way round, nor one purpose for the other.
        assert!(
            verifier
                .verify_mfa(&access, MfaPurpose::Login, t0())
                .is_err()
        );
        assert!(
            verifier
                .verify_mfa(&access, MfaPurpose::Enrolment, t0())
                .is_err()
        );
        assert!(
            verifier
                .verify_mfa(&mfa, MfaPurpose::Enrolment, t0())
                .is_err()
        );
        assert!(
            verifier
                .verify_mfa(&enrol, MfaPurpose::Login, t0())
                .is_err()
        );
        // Even a forged access-audience token with typ mfa and the access claims missing.
        let mut claims = serde_json::to_value(&claims).unwrap();
        claims["aud"] = "lpm-api".into();
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid().to_owned());
        let token = jsonwebtoken::encode(&header, &claims, &key.encoding).unwrap();
        assert!(verifier.verify(&token, t0()).is_err());
    }

    #[test]
    fn an_access_token_without_mfa_is_refused() {
        let (key, verifier) = setup();
        let mut claims = valid_payload();
        claims["mfa"] = false.into();
        let token = key.sign(&claims).unwrap();
        assert!(matches!(
            verifier.verify(&token, t0()),
            Err(AuthError::InvalidToken)
        ));
        assert!(
            verifier
                .verify(&key.sign(&valid_payload()).unwrap(), t0())
                .is_ok()
        );
    }

    #[test]
    fn mfa_tokens_last_five_minutes() {
        let (key, verifier) = setup();
        let mfa = issue_mfa_token(&key, &alice(), t0()).unwrap();
        let end = t0() + MFA_TOKEN_TTL + Duration::seconds(LEEWAY_SECS);
        assert!(
            verifier
                .verify_mfa(&mfa, MfaPurpose::Login, end - Duration::seconds(1))
                .is_ok()
        );
        assert!(matches!(
            verifier.verify_mfa(&mfa, MfaPurpose::Login, end),
            Err(AuthError::TokenExpired)
        ));
    }

    #[test]
    fn rotation_keeps_old_tokens_valid_for_the_overlap() {
        let old = SigningKey::generate().unwrap();
        let created = t0();
        assert!(!rotation_due(created, created + Duration::days(89)));
        assert!(rotation_due(created, created + Duration::days(90)));
        assert_eq!(
            verify_until(created),
            created + Duration::days(90) + Duration::hours(24)
        );
        // At rotation both keys are published; the old one's last token still verifies.
        let rotated = created + ROTATION_PERIOD;
        let new = SigningKey::generate().unwrap();
        let verifier = Verifier::new([
            new.verifying_key(verify_until(rotated)),
            old.verifying_key(verify_until(created)),
        ])
        .unwrap();
        let last = issue(&old, &alice(), Amr::PwdTotp, rotated - Duration::seconds(1)).unwrap();
        let first = issue(&new, &alice(), Amr::PwdTotp, rotated).unwrap();
        assert!(
            verifier
                .verify(&last, rotated + Duration::minutes(10))
                .is_ok()
        );
        assert!(
            verifier
                .verify(&first, rotated + Duration::minutes(10))
                .is_ok()
        );
        // Past the overlap the old key verifies nothing, even a token it signed late.
        let late = issue(&old, &alice(), Amr::PwdTotp, verify_until(created)).unwrap();
        assert!(matches!(
            verifier.verify(&late, verify_until(created)),
            Err(AuthError::UnknownKey)
        ));
    }

    #[test]
    fn save_and_load_keep_the_kid_and_protect_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt.key");
        let key = SigningKey::generate().unwrap();
        key.save(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(matches!(
            key.save(&path),
            Err(AuthError::KeyFileExists { .. })
        ));

        let loaded = SigningKey::load(&path).unwrap();
        assert_eq!(loaded.kid(), key.kid());
        assert_eq!(loaded.public_pem(), key.public_pem());
        let verifier = Verifier::new([key.verifying_key(verify_until(t0()))]).unwrap();
        let token = issue(&loaded, &alice(), Amr::Recovery, t0()).unwrap();
        assert_eq!(verifier.verify(&token, t0()).unwrap().amr, Amr::Recovery);

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(matches!(
            SigningKey::load(&path),
            Err(AuthError::KeyFileInsecure { mode: 0o640, .. })
        ));
    }

    #[test]
    fn keys_that_are_not_ed25519_are_refused() {
        let p256 = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        assert!(matches!(
            SigningKey::from_pem(SecretString::from(p256.serialize_pem())),
            Err(AuthError::Key(_))
        ));
        assert!(SigningKey::from_pem(SecretString::from("junk".to_owned())).is_err());
    }

    #[test]
    fn debug_does_not_print_the_private_key() {
        let key = SigningKey::generate().unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains("PRIVATE"), "{shown}");
        assert!(shown.contains(key.kid()));
    }
}
