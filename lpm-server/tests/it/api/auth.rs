//! Authentication over HTTPS: password and TOTP or recovery code, enrolment, refresh rotation
//! and reuse detection, logout, throttling and the soft lock, forged tokens, disabled users.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use lpm_core::model::{Role, User};
use lpm_core::rbac::Scope;
use lpm_server::auth::{
    Amr, Argon2Params, ExposeSecret, PasswordHasher, SecretString, SigningKey, issue,
    issue_enrolment_token, issue_mfa_token, new_recovery_codes, totp,
};
use lpm_store::Actor;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Api, Backend, code};

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// A user with [`PASSWORD`], hashed by the server's own hasher.
pub(crate) async fn account(api: &Api, name: &str, role: Role) -> User {
    let user = api.user(name, role, &[]).await;
    let hash = api
        .state
        .auth
        .hash_password(SecretString::from(PASSWORD.to_owned()))
        .await
        .unwrap();
    api.store
        .set_password_hash(user.id, &hash, &Actor::system(), api.now())
        .await
        .unwrap();
    user
}

/// Enrols a TOTP secret for `user` directly in the store.
pub(crate) async fn with_totp(api: &Api, user: &User) -> SecretString {
    let secret = totp::new_secret().unwrap();
    api.store
        .begin_totp_enrolment(user.id, secret.expose_secret(), &Actor::system(), api.now())
        .await
        .unwrap();
    api.store
        .confirm_mfa(user.id, "totp", &Actor::system(), api.now())
        .await
        .unwrap();
    secret
}

/// `POST path` without a bearer token.
pub(crate) async fn post(api: &Api, path: &str, body: Value) -> (StatusCode, Value) {
    api.call(Method::POST, path, None, Some(body)).await
}

/// The password step; the clock moves 6 s first so the per-account throttle (a token every
/// 6 s) never decides a test that is not about it.
pub(crate) async fn password_step(api: &Api, name: &str, password: &str) -> (StatusCode, Value) {
    api.clock.advance(Duration::seconds(6));
    post(
        api,
        "/api/v1/auth/login",
        json!({"username": name, "password": password}),
    )
    .await
}

/// The MFA token of a right password.
pub(crate) async fn mfa_token(api: &Api, name: &str) -> String {
    let (status, body) = password_step(api, name, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["mfa_required"], true, "{body}");
    body["mfa_token"].as_str().unwrap().to_owned()
}

/// A full login with password and TOTP: the session.
pub(crate) async fn login_totp(api: &Api, name: &str, secret: &SecretString) -> Value {
    let token = mfa_token(api, name).await;
    let code = totp::code_at(secret, api.now()).unwrap();
    let (status, session) = post(
        api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": token, "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    session
}

fn str_of<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {body}"))
}

/// The claims of a JWT, unverified (to read what the server put in).
pub(crate) fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

async fn audit_actions(api: &Api, action: &str) -> usize {
    let rows = api
        .store
        .testing_strings(&format!(
            "SELECT action FROM audit_log WHERE action = '{action}'"
        ))
        .await
        .unwrap();
    rows.len()
}

async fn password_then_totp_on(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let alice = account(&api, "alice", Role::Admin).await;
    let secret = with_totp(&api, &alice).await;

    let (status, step) = password_step(&api, "Alice", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{step}");
    assert_eq!(step["mfa_required"], true);
    assert_eq!(step["methods"], json!(["totp"]));
    assert!(
        step.get("access_token").is_none() && step.get("refresh_token").is_none(),
        "no session before the second factor: {step}"
    );
    let code = totp::code_at(&secret, api.now()).unwrap();
    let (status, session) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": step["mfa_token"], "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(
        (&session["token_type"], &session["expires_in"]),
        (&json!("Bearer"), &json!(900))
    );
    assert!(str_of(&session, "refresh_token").starts_with("lpmr_"));
    let access = str_of(&session, "access_token");
    assert_eq!(claims(access)["amr"], "pwd+totp");

    let (status, hosts) = api.get(access, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK, "{hosts}");
    assert_eq!(hosts["total"], 3, "an admin sees the fleet: {hosts}");
    let (status, me) = api.get(access, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (&me["username"], &me["role"], &me["methods"]),
        (&json!("alice"), &json!("admin"), &json!(["totp"]))
    );
    assert_eq!(me["recovery_codes_left"], 0);
    assert_eq!(audit_actions(&api, "auth.login").await, 1);
    drop(fleet);
    api.stop().await;
}

#[tokio::test]
async fn password_then_totp_logs_in_and_the_token_reaches_the_api() {
    password_then_totp_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn password_then_totp_logs_in_on_postgres() {
    password_then_totp_on(Backend::Postgres).await;
}

#[tokio::test]
async fn a_totp_code_is_accepted_once() {
    let api = Api::start().await;
    let bob = account(&api, "bob", Role::Operator).await;
    let secret = with_totp(&api, &bob).await;
    let code = totp::code_at(&secret, api.now()).unwrap();
    let first = mfa_token(&api, "bob").await;
    let (status, _) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": first, "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // The same code on a new login (still inside its window): refused.
    let second = mfa_token(&api, "bob").await;
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": second, "code": code}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "code_already_used")
    );
    assert_eq!(body["error"]["details"]["attempts_left"], 4);
    // The first token issued its session and is spent.
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": first, "code": code}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "mfa_token_used")
    );
    // The next step's code works on the second token.
    api.clock.advance(Duration::seconds(30));
    let next = totp::code_at(&secret, api.now()).unwrap();
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": second, "code": next}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api.stop().await;
}

fn code_of(body: &Value) -> &str {
    code(body)
}

#[tokio::test]
async fn wrong_codes_spend_only_that_mfa_token() {
    let api = Api::start().await;
    let carol = account(&api, "carol", Role::Operator).await;
    let secret = with_totp(&api, &carol).await;
    let token = mfa_token(&api, "carol").await;
    let other = mfa_token(&api, "carol").await;
    let right = totp::code_at(&secret, api.now()).unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for left in (0..5).rev() {
        let (status, body) = post(
            &api,
            "/api/v1/auth/mfa/totp",
            json!({"mfa_token": token, "code": wrong}),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        if left > 0 {
            assert_eq!(code_of(&body), "invalid_code");
            assert_eq!(body["error"]["details"]["attempts_left"], left);
        } else {
            assert_eq!(code_of(&body), "mfa_token_exhausted");
        }
    }
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": token, "code": right}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "mfa_token_exhausted"),
        "even the right code"
    );
    assert_eq!(audit_actions(&api, "auth.mfa_failed").await, 5);
    let creds = api
        .store
        .credentials_by_id(carol.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        creds.failed_logins, 1,
        "a spent token counts as one failed login"
    );
    // The other token of the same user is untouched.
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": other, "code": right}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api.stop().await;
}

#[tokio::test]
async fn a_recovery_code_logs_in_once() {
    let api = Api::start().await;
    let dave = account(&api, "dave", Role::Operator).await;
    with_totp(&api, &dave).await;
    let (codes, hashes) = new_recovery_codes(10).unwrap();
    api.store
        .replace_recovery_codes(dave.id, &hashes, &Actor::system(), api.now())
        .await
        .unwrap();
    let (_, step) = password_step(&api, "dave", PASSWORD).await;
    assert_eq!(step["methods"], json!(["totp", "recovery"]));
    // Typed in capitals with spaces: the same code.
    let typed = codes[3].expose_secret().to_uppercase().replace('-', " ");
    let (status, session) = post(
        &api,
        "/api/v1/auth/mfa/recovery",
        json!({"mfa_token": step["mfa_token"], "code": typed}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let access = str_of(&session, "access_token");
    assert_eq!(claims(access)["amr"], "recovery");
    let (_, me) = api.get(access, "/api/v1/auth/me").await;
    assert_eq!(me["recovery_codes_left"], 9);

    let again = mfa_token(&api, "dave").await;
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/recovery",
        json!({"mfa_token": again, "code": codes[3].expose_secret()}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_code")
    );
    assert_eq!(audit_actions(&api, "auth.recovery_code_used").await, 1);

    // New codes replace the old ones, shown once.
    let (status, fresh) = api
        .post(access, "/api/v1/auth/recovery-codes", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    let fresh: Vec<String> = serde_json::from_value(fresh["recovery_codes"].clone()).unwrap();
    assert_eq!(fresh.len(), 10);
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/recovery",
        json!({"mfa_token": again, "code": codes[4].expose_secret()}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_code"),
        "old codes are gone"
    );
    let (status, _) = post(
        &api,
        "/api/v1/auth/mfa/recovery",
        json!({"mfa_token": again, "code": fresh[0]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    api.stop().await;
}

#[tokio::test]
async fn a_user_without_a_second_factor_must_enrol_before_any_session() {
    let api = Api::start().await;
    api.fleet().await;
    account(&api, "erin", Role::Operator).await;
    let (status, step) = password_step(&api, "erin", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{step}");
    assert_eq!(step["mfa_enrollment_required"], true);
    assert!(step.get("mfa_token").is_none() && step.get("access_token").is_none());
    let enrol = str_of(&step, "enrollment_token").to_owned();

    // Good for the enrolment endpoints only.
    let (status, body) = api.get(&enrol, "/api/v1/hosts").await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    let (status, _) = api.get(&enrol, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": enrol, "code": "123456"}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_mfa_token")
    );

    let (status, body) = api
        .post(
            &enrol,
            "/api/v1/auth/mfa/totp/confirm",
            json!({"code": "123456"}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "no_totp_setup")
    );
    let (status, setup) = api
        .post(&enrol, "/api/v1/auth/mfa/totp/setup", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = SecretString::from(str_of(&setup, "secret").to_owned());
    assert!(str_of(&setup, "otpauth_uri").starts_with("otpauth://totp/lpm:erin?"));
    let right = totp::code_at(&secret, api.now()).unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (status, body) = api
        .post(
            &enrol,
            "/api/v1/auth/mfa/totp/confirm",
            json!({"code": wrong}),
        )
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
    );
    let (status, done) = api
        .post(
            &enrol,
            "/api/v1/auth/mfa/totp/confirm",
            json!({"code": right}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["method"], "totp");
    assert_eq!(done["recovery_codes"].as_array().unwrap().len(), 10);
    let access = str_of(&done, "access_token");
    let (status, _) = api.get(access, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(audit_actions(&api, "auth.mfa_enrolled").await, 1);

    // The enrolment token is over: the account has a factor now.
    let (status, body) = api
        .post(&enrol, "/api/v1/auth/mfa/totp/setup", json!({}))
        .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "already_enrolled")
    );
    // The code that confirmed cannot log in again.
    let token = mfa_token(&api, "erin").await;
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": token, "code": right}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "code_already_used"),
        "{body}"
    );

    // Replacing the app later with an access token: the old secret works until confirmed.
    let (status, setup) = api
        .post(access, "/api/v1/auth/mfa/totp/setup", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let new_secret = SecretString::from(str_of(&setup, "secret").to_owned());
    api.clock.advance(Duration::seconds(30));
    let session = login_totp(&api, "erin", &secret).await;
    api.clock.advance(Duration::seconds(30));
    let (status, done) = api
        .post(
            str_of(&session, "access_token"),
            "/api/v1/auth/mfa/totp/confirm",
            json!({"code": totp::code_at(&new_secret, api.now()).unwrap()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["recovery_codes"], json!([]), "not a first factor");
    assert!(done.get("access_token").is_none(), "no new session: {done}");
    api.clock.advance(Duration::seconds(30));
    login_totp(&api, "erin", &new_secret).await;
    api.stop().await;
}

#[tokio::test]
async fn refresh_rotates_and_a_replayed_token_revokes_the_session() {
    let api = Api::start().await;
    let fay = account(&api, "fay", Role::Operator).await;
    let secret = with_totp(&api, &fay).await;
    let session = login_totp(&api, "fay", &secret).await;
    let first = str_of(&session, "refresh_token").to_owned();

    api.clock.advance(Duration::minutes(10));
    let (status, renewed) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": first}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let second = str_of(&renewed, "refresh_token").to_owned();
    assert_ne!(first, second);
    let access = str_of(&renewed, "access_token");
    assert_eq!(
        claims(access)["amr"],
        "pwd+totp",
        "the login's amr carries over"
    );
    let (status, _) = api.get(access, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK);

    // The first token again: stolen. The session (the live second token too) is revoked.
    let (status, body) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": first}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "refresh_token_reused")
    );
    let (status, body) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": second}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "refresh_token_revoked")
    );
    assert_eq!(audit_actions(&api, "auth.refresh_token_reused").await, 1);
    let (status, body) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": "lpmr_nope"}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_refresh_token")
    );
    api.stop().await;
}

#[tokio::test]
async fn an_hour_without_use_ends_the_session() {
    let api = Api::start().await;
    let gus = account(&api, "gus", Role::Operator).await;
    let secret = with_totp(&api, &gus).await;
    let session = login_totp(&api, "gus", &secret).await;
    let mut token = str_of(&session, "refresh_token").to_owned();
    // Used every 59 minutes, it lives on.
    for _ in 0..3 {
        api.clock.advance(Duration::minutes(59));
        let (status, renewed) = post(
            &api,
            "/api/v1/auth/refresh",
            json!({"refresh_token": token}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{renewed}");
        token = str_of(&renewed, "refresh_token").to_owned();
    }
    api.clock.advance(Duration::minutes(61));
    let (status, body) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": token}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "refresh_token_expired")
    );
    api.stop().await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let api = Api::start().await;
    let hal = account(&api, "hal", Role::Operator).await;
    let secret = with_totp(&api, &hal).await;
    let session = login_totp(&api, "hal", &secret).await;
    let refresh = str_of(&session, "refresh_token");
    let (status, _) = post(
        &api,
        "/api/v1/auth/logout",
        json!({"refresh_token": refresh}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": refresh}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "refresh_token_revoked")
    );
    let (status, _) = post(
        &api,
        "/api/v1/auth/logout",
        json!({"refresh_token": "lpmr_unknown"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "says nothing about unknown tokens"
    );
    let (status, _) = post(&api, "/api/v1/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let actors = api
        .store
        .testing_strings("SELECT actor FROM audit_log WHERE action = 'auth.logout'")
        .await
        .unwrap();
    assert_eq!(actors, ["hal"]);
    api.stop().await;
}

/// A raw login, for the response headers.
async fn raw_login(
    api: &Api,
    client: &reqwest::Client,
    name: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(api.url("/api/v1/auth/login"))
        .json(&json!({"username": name, "password": password}))
        .send()
        .await
        .unwrap()
}

/// A client from another loopback address, trusting the test CA.
pub(crate) fn client_from(api: &Api, ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(api.ca.root_pem().as_bytes()).unwrap()])
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn throttled_attempts_answer_429_without_hashing() {
    let api = Api::start().await;
    account(&api, "ivan", Role::Operator).await;
    let client = api.client().clone();
    // Five attempts a burst for one account: each reaches the password check.
    let before = api.state.auth.password_checks();
    for _ in 0..5 {
        let r = raw_login(&api, &client, "ivan", "wrong password!").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(api.state.auth.password_checks(), before + 5);
    // The sixth, and everything after it in the same instant, right password included, is
    // refused before any hashing.
    for password in ["wrong password!", PASSWORD, "another guess"] {
        let r = raw_login(&api, &client, "IVAN", password).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()["retry-after"], "6");
        let body: Value = r.json().await.unwrap();
        assert_eq!(code_of(&body), "too_many_attempts");
        assert_eq!(body["error"]["details"]["retry_after_s"], 6);
    }
    assert_eq!(
        api.state.auth.password_checks(),
        before + 5,
        "no hash computed for a throttled attempt"
    );
    assert_eq!(
        audit_actions(&api, "auth.login_failed").await,
        5,
        "refused attempts are not audited"
    );
    // The address's own bucket: 10 at once, whatever the names (unknown ones cost a dummy
    // hash, like known ones).
    let other = client_from(&api, "127.0.0.2");
    for i in 0..10 {
        let r = raw_login(&api, &other, &format!("nobody{i}"), "guess guess guess").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(api.state.auth.password_checks(), before + 15);
    let r = raw_login(&api, &other, "nobody10", "guess guess guess").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "3");
    assert_eq!(api.state.auth.password_checks(), before + 15);
    let unknown = api
        .store
        .testing_strings(
            "SELECT details FROM audit_log WHERE action = 'auth.login_failed' AND actor_id IS NULL",
        )
        .await
        .unwrap();
    assert_eq!(unknown.len(), 10);
    assert!(unknown[0].contains("unknown_user"), "{}", unknown[0]);
    api.stop().await;
}

#[tokio::test]
async fn the_soft_lock_doubles_and_a_lock_costs_no_hashing() {
    let api = Api::start().await;
    let judy = account(&api, "judy", Role::Operator).await;
    let secret = with_totp(&api, &judy).await;
    let client = api.client().clone();
    let mut retry_afters = Vec::new();
    for round in 0..2 {
        for _ in 0..5 {
            api.clock.advance(Duration::seconds(6));
            let r = raw_login(&api, &client, "judy", "not the password").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "round {round}");
        }
        api.clock.advance(Duration::seconds(6));
        let checks = api.state.auth.password_checks();
        let r = raw_login(&api, &client, "judy", PASSWORD).await;
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "locked, right password or not"
        );
        retry_afters.push(r.headers()["retry-after"].to_str().unwrap().to_owned());
        let body: Value = r.json().await.unwrap();
        assert_eq!(code_of(&body), "too_many_attempts", "like the throttle");
        assert_eq!(
            api.state.auth.password_checks(),
            checks,
            "no hashing while locked"
        );
        let locked_until = api
            .store
            .credentials_by_id(judy.id)
            .await
            .unwrap()
            .unwrap()
            .locked_until
            .unwrap();
        api.clock.set(locked_until);
    }
    assert_eq!(retry_afters, ["54", "114"], "1 minute, then 2");
    assert_eq!(audit_actions(&api, "auth.login_failed").await, 10);
    // After the lock the right password and code log in, and clear the count.
    login_totp(&api, "judy", &secret).await;
    let creds = api.store.credentials_by_id(judy.id).await.unwrap().unwrap();
    assert_eq!((creds.failed_logins, creds.locked_until), (0, None));
    api.stop().await;
}

#[tokio::test]
async fn an_attacker_guessing_the_password_does_not_stop_the_user_mid_login_or_their_session() {
    let api = Api::start().await;
    let kim = account(&api, "kim", Role::Operator).await;
    let secret = with_totp(&api, &kim).await;
    // Kim has a session and is halfway through another login.
    let session = login_totp(&api, "kim", &secret).await;
    api.clock.advance(Duration::seconds(30));
    let mid_login = mfa_token(&api, "kim").await;

    // An attacker elsewhere guesses Kim's password until the account locks, and beyond.
    let attacker = client_from(&api, "127.0.0.3");
    let mut statuses = Vec::new();
    for _ in 0..12 {
        api.clock.advance(Duration::seconds(1));
        statuses.push(
            raw_login(&api, &attacker, "kim", "guess guess guess")
                .await
                .status(),
        );
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(
        api.store
            .credentials_by_id(kim.id)
            .await
            .unwrap()
            .unwrap()
            .locked_until
            .is_some()
    );

    // What the lock does stop, by design: a new password step, until it ends.
    let (status, body) = password_step(&api, "kim", PASSWORD).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
    );
    // Kim's second step goes through: the MFA token's attempts are its own. A complete login
    // proves the account's owner is there, and clears the lock.
    let code = totp::code_at(&secret, api.now()).unwrap();
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": mid_login, "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // And the session she had keeps refreshing.
    let (status, body) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": session["refresh_token"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = password_step(&api, "kim", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api.stop().await;
}

#[tokio::test]
async fn forged_and_misused_tokens_are_refused() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let admin = &fleet.admin_user;
    let now = api.now();
    let server_key = api.state.auth.keys.keys().signing.clone();
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    let payload = json!({
        "iss": "lpm", "aud": "lpm-api", "sub": admin.id.to_string(), "name": "root-admin",
        "role": "admin", "amr": "pwd+totp", "mfa": true, "typ": "access",
        "iat": now.timestamp(), "exp": (now + Duration::minutes(15)).timestamp(), "jti": "x",
    });
    let mut forged = Vec::new();
    // alg: none, with and without the trailing dot.
    let none = b64(&json!({"alg": "none", "typ": "JWT", "kid": server_key.kid()}));
    forged.push(("alg none", format!("{none}.{}.", b64(&payload))));
    forged.push(("alg none, no dot", format!("{none}.{}", b64(&payload))));
    // HS256 keyed with the public key.
    let hs = b64(&json!({"alg": "HS256", "typ": "JWT", "kid": server_key.kid()}));
    let input = format!("{hs}.{}", b64(&payload));
    let tag = aws_lc_rs::hmac::sign(
        &aws_lc_rs::hmac::Key::new(
            aws_lc_rs::hmac::HMAC_SHA256,
            server_key.public_pem().as_bytes(),
        ),
        input.as_bytes(),
    );
    forged.push((
        "HS256 with the public key",
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref())),
    ));
    // A key the server never published.
    let stranger = SigningKey::generate().unwrap();
    forged.push((
        "unknown kid",
        issue(&stranger, admin, Amr::PwdTotp, now).unwrap(),
    ));
    // Another Ed25519 key claiming the server's kid.
    let real = issue(&server_key, admin, Amr::PwdTotp, now).unwrap();
    let fake = issue(&stranger, admin, Amr::PwdTotp, now).unwrap();
    let header = real.split('.').next().unwrap();
    let body_sig: Vec<&str> = fake.splitn(2, '.').collect();
    forged.push((
        "another key under the server's kid",
        format!("{header}.{}", body_sig[1]),
    ));
    // Expired (15 minutes and the 30 s leeway ago).
    let old = now - Duration::minutes(16);
    forged.push((
        "expired",
        issue(&server_key, admin, Amr::PwdTotp, old).unwrap(),
    ));
    // MFA and enrolment tokens are not access tokens.
    forged.push((
        "MFA token",
        issue_mfa_token(&server_key, admin, now).unwrap(),
    ));
    forged.push((
        "enrolment token",
        issue_enrolment_token(&server_key, admin, now).unwrap(),
    ));

    let (status, _) = api.get(&real, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK, "the genuine token works");
    for (what, token) in &forged {
        let (status, body) = api.get(token, "/api/v1/hosts").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
        let expected = if *what == "expired" {
            "token_expired"
        } else {
            "invalid_token"
        };
        assert_eq!(code_of(&body), expected, "{what}");
    }
    // Nor is an access token an MFA token.
    let (status, body) = post(
        &api,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": real, "code": "123456"}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_mfa_token")
    );
    api.stop().await;
}

#[tokio::test]
async fn a_disabled_users_token_stops_at_once() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let lou = account(&api, "lou", Role::Operator).await;
    let secret = with_totp(&api, &lou).await;
    let session = login_totp(&api, "lou", &secret).await;
    let access = str_of(&session, "access_token");
    let (status, _) = api.get(access, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK);
    // What the users endpoint does: disable in the store, forget the cached row.
    let admin = Scope::system().require_admin().unwrap();
    api.store
        .set_user_disabled(&admin, lou.id, true, &Actor::system(), api.now())
        .await
        .unwrap();
    api.state.auth.sessions.invalidate(lou.id);
    let (status, body) = api.get(access, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": session["refresh_token"]}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "refresh_token_revoked")
    );
    // The right password answers exactly like a wrong one.
    let (status, right) = password_step(&api, "lou", PASSWORD).await;
    let (_, wrong) = password_step(&api, "lou", "not the password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code_of(&right), "invalid_credentials");
    assert_eq!(right["error"]["message"], wrong["error"]["message"]);
    drop(fleet);
    api.stop().await;
}

#[tokio::test]
async fn one_login_with_the_real_argon2_parameters() {
    let api = Api::start().await;
    let mia = api.user("mia", Role::Operator, &[]).await;
    let secret = with_totp(&api, &mia).await;
    // SDD §7.4's parameters: 64 MiB, t=3, p=1. The hash carries them; the server checks it with
    // them, then re-hashes with its own (cheap, test) parameters while the password is at hand.
    let real = PasswordHasher::new(Argon2Params::default()).unwrap();
    let hash = real.hash(&SecretString::from(PASSWORD.to_owned())).unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"));
    api.store
        .set_password_hash(mia.id, &hash, &Actor::system(), api.now())
        .await
        .unwrap();
    let (status, body) = password_step(&api, "mia", "wrong wrong wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    login_totp(&api, "mia", &secret).await;
    let stored = api
        .store
        .credentials_by_id(mia.id)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    assert!(
        stored.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"),
        "{stored}"
    );
    api.clock.advance(Duration::seconds(30));
    login_totp(&api, "mia", &secret).await;
    api.stop().await;
}

#[tokio::test]
async fn a_password_change_checks_the_policy_and_ends_every_session() {
    let api = Api::start().await;
    let ned = account(&api, "ned", Role::Operator).await;
    let secret = with_totp(&api, &ned).await;
    let session = login_totp(&api, "ned", &secret).await;
    let access = str_of(&session, "access_token");
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let (status, body) = api
        .post(access, "/api/v1/auth/password", change(PASSWORD, "short"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["details"]["fields"]["new_password"].is_string(),
        "{body}"
    );
    let (status, body) = api
        .post(access, "/api/v1/auth/password", change(PASSWORD, "ned"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = api
        .post(
            access,
            "/api/v1/auth/password",
            change("not my password", "a new long passphrase"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["details"]["fields"]["current_password"].is_string(),
        "{body}"
    );
    let (status, body) = api
        .post(
            access,
            "/api/v1/auth/password",
            change(PASSWORD, "a new long passphrase"),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = api.get(access, "/api/v1/auth/me").await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNAUTHORIZED, "session_revoked")
    );
    let (status, _) = post(
        &api,
        "/api/v1/auth/refresh",
        json!({"refresh_token": session["refresh_token"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = password_step(&api, "ned", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old password is gone");
    let (status, body) = password_step(&api, "ned", "a new long passphrase").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api.stop().await;
}

#[tokio::test]
async fn the_auth_operations_are_documented() {
    let api = Api::start().await;
    let (status, doc) = api
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    let public = [
        "/api/v1/auth/login",
        "/api/v1/auth/mfa/totp",
        "/api/v1/auth/mfa/recovery",
        "/api/v1/auth/mfa/webauthn/start",
        "/api/v1/auth/mfa/webauthn/finish",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
    ];
    let bearer = [
        "/api/v1/auth/mfa/totp/setup",
        "/api/v1/auth/mfa/totp/confirm",
        "/api/v1/auth/mfa/webauthn/register/start",
        "/api/v1/auth/mfa/webauthn/register/finish",
        "/api/v1/auth/recovery-codes",
        "/api/v1/auth/password",
    ];
    for path in public.iter().chain(&bearer) {
        let op = &paths[*path]["post"];
        assert_eq!(op["tags"], json!(["auth"]), "{path}");
        assert!(op["operationId"].is_string(), "{path}");
        let security = &op["security"];
        if public.contains(path) {
            assert_eq!(security, &json!([]), "{path} takes no bearer token");
        } else {
            assert!(
                security.is_null(),
                "{path} uses the document's bearer scheme"
            );
        }
    }
    assert!(paths["/api/v1/auth/me"]["get"].is_object());
    let login = &paths["/api/v1/auth/login"]["post"]["responses"];
    assert!(
        login["429"]["headers"]["Retry-After"].is_object(),
        "{login}"
    );
    let schema = &doc["components"]["schemas"]["LoginView"]["properties"];
    assert_eq!(
        schema["methods"]["items"]["$ref"],
        "#/components/schemas/MfaMethod"
    );
    api.stop().await;
}
