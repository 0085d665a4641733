//! WebAuthn over HTTPS with a software authenticator (webauthn-authenticator-rs' SoftPasskey,
//! which signs like a security key with user verification): registration at first login,
//! logins, and answers for another origin or another challenge refused.

use lpm_core::model::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use webauthn_authenticator_rs::WebauthnAuthenticator as _;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

use super::auth::{PASSWORD, account, claims, mfa_token, password_step, post};
use super::harness::{Api, code};

/// The origin the server is configured with (`web.public_origin`'s default), as a browser on
/// it would report.
fn origin() -> Url {
    Url::parse("https://localhost:8443").unwrap()
}

/// Enrols `key` for `name` (who has a password and no factor yet) with the enrolment token:
/// the answer of `register/finish`.
async fn enrol_key(api: &Api, name: &str, key: &mut SoftPasskey) -> Value {
    let (status, step) = password_step(api, name, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{step}");
    let enrol = step["enrollment_token"].as_str().unwrap().to_owned();
    let (status, start) = api
        .post(
            &enrol,
            "/api/v1/auth/mfa/webauthn/register/start",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{start}");
    let challenge: CreationChallengeResponse =
        serde_json::from_value(start["options"].clone()).unwrap();
    assert_eq!(challenge.public_key.rp.id, "localhost");
    let credential = key.do_registration(origin(), challenge).unwrap();
    let (status, done) = api
        .post(
            &enrol,
            "/api/v1/auth/mfa/webauthn/register/finish",
            json!({"credential": credential, "name": "soft key"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    done
}

/// A WebAuthn challenge for a login's MFA token.
async fn login_challenge(api: &Api, token: &str) -> RequestChallengeResponse {
    let (status, start) = post(
        api,
        "/api/v1/auth/mfa/webauthn/start",
        json!({"mfa_token": token}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{start}");
    serde_json::from_value(start["options"].clone()).unwrap()
}

#[tokio::test]
async fn a_security_key_enrols_at_first_login_then_logs_in() {
    let api = Api::start().await;
    account(&api, "olive", Role::Operator).await;
    let mut key = SoftPasskey::new(true);
    let done = enrol_key(&api, "olive", &mut key).await;
    assert_eq!(done["method"], "webauthn");
    assert_eq!(done["recovery_codes"].as_array().unwrap().len(), 10);
    let access = done["access_token"].as_str().unwrap();
    assert_eq!(claims(access)["amr"], "pwd+webauthn");
    let (status, me) = api.get(access, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["methods"], json!(["webauthn", "recovery"]));
    assert_eq!(me["webauthn_credentials"][0]["name"], "soft key");
    assert!(me["webauthn_credentials"][0]["last_used_at"].is_null());

    let (_, step) = password_step(&api, "olive", PASSWORD).await;
    assert_eq!(step["methods"], json!(["webauthn", "recovery"]));
    let token = step["mfa_token"].as_str().unwrap();
    let challenge = login_challenge(&api, token).await;
    let assertion = key.do_authentication(origin(), challenge).unwrap();
    let (status, session) = post(
        &api,
        "/api/v1/auth/mfa/webauthn/finish",
        json!({"mfa_token": token, "credential": assertion}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let access = session["access_token"].as_str().unwrap();
    assert_eq!(claims(access)["amr"], "pwd+webauthn");
    let (status, _) = api.get(access, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = api.get(access, "/api/v1/auth/me").await;
    assert!(
        me["webauthn_credentials"][0]["last_used_at"].is_string(),
        "{me}"
    );

    // The same answer again: the token has had its session, and the challenge is gone.
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/webauthn/finish",
        json!({"mfa_token": token, "credential": assertion}),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "mfa_token_used")
    );
    let enrolled = api
        .store
        .testing_strings("SELECT details FROM audit_log WHERE action = 'auth.mfa_enrolled'")
        .await
        .unwrap();
    assert_eq!(enrolled.len(), 1);
    assert!(enrolled[0].contains("webauthn"), "{}", enrolled[0]);
    api.stop().await;
}

#[tokio::test]
async fn answers_for_another_origin_or_challenge_are_refused() {
    let api = Api::start().await;
    account(&api, "pat", Role::Operator).await;
    let mut key = SoftPasskey::new(true);
    let done = enrol_key(&api, "pat", &mut key).await;
    let access = done["access_token"].as_str().unwrap().to_owned();

    // Signed for a look-alike origin (a phishing page on a subdomain): refused.
    let token = mfa_token(&api, "pat").await;
    let challenge = login_challenge(&api, &token).await;
    let phished = key
        .do_authentication(
            Url::parse("https://login.localhost:8443").unwrap(),
            challenge,
        )
        .unwrap();
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/webauthn/finish",
        json!({"mfa_token": token, "credential": phished}),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "webauthn_failed")
    );
    assert_eq!(body["error"]["details"]["attempts_left"], 4);
    // That challenge is spent.
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/webauthn/finish",
        json!({"mfa_token": token, "credential": phished}),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "no_webauthn_challenge")
    );

    // An answer to an older challenge, after a newer one replaced it: refused.
    let old = login_challenge(&api, &token).await;
    let _new = login_challenge(&api, &token).await;
    let stale = key.do_authentication(origin(), old).unwrap();
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/webauthn/finish",
        json!({"mfa_token": token, "credential": stale}),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "webauthn_failed")
    );
    // A right answer to a fresh challenge still logs in with that token.
    let challenge = login_challenge(&api, &token).await;
    let good = key.do_authentication(origin(), challenge).unwrap();
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/webauthn/finish",
        json!({"mfa_token": token, "credential": good}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Registration: finishing without starting, or with something that is not a credential.
    let (status, body) = api
        .post(
            &access,
            "/api/v1/auth/mfa/webauthn/register/finish",
            json!({"credential": {"id": "x"}}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let mut second = SoftPasskey::new(true);
    let (status, start) = api
        .post(
            &access,
            "/api/v1/auth/mfa/webauthn/register/start",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let challenge: CreationChallengeResponse =
        serde_json::from_value(start["options"].clone()).unwrap();
    let excluded = challenge
        .public_key
        .exclude_credentials
        .as_ref()
        .map_or(0, Vec::len);
    assert_eq!(excluded, 1, "the registered key is excluded");
    let credential = second.do_registration(origin(), challenge).unwrap();
    let (status, added) = api
        .post(
            &access,
            "/api/v1/auth/mfa/webauthn/register/finish",
            json!({"credential": credential}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["recovery_codes"], json!([]), "not a first factor");
    assert!(added.get("access_token").is_none());
    let (status, body) = api
        .post(
            &access,
            "/api/v1/auth/mfa/webauthn/register/finish",
            json!({"credential": credential}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "no_webauthn_registration")
    );
    let (_, me) = api.get(&access, "/api/v1/auth/me").await;
    let names: Vec<&str> = me["webauthn_credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["soft key", "Security key"]);
    api.stop().await;
}
