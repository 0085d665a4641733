//! API tokens: made once by an MFA-authenticated session, shown once, stored hashed, used as
//! a bearer wherever an access token is, never wider than their owner, stopped at once by
//! revocation, expiry, a disabled owner or a demotion; creation, use from a new address and
//! revocation audited.

use chrono::Duration;
use lpm_core::model::Role;
use lpm_store::audit::{AuditFilter, AuditSort};
use lpm_store::{Direction, PageRequest};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::harness::{Api, Backend, code, hid, ids};

/// Creates a token as `session` (an access token) and answers its secret and id.
async fn mint(api: &Api, session: &str, body: Value) -> (String, i64) {
    let (status, created) = api.post(session, "/api/v1/api-tokens", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["token"].as_str().unwrap().to_owned();
    (secret, created["id"].as_i64().unwrap())
}

/// The actions in the audit log, oldest first.
async fn audit_actions(api: &Api) -> Vec<String> {
    let filter = AuditFilter {
        sort: Some((AuditSort::default(), Direction::Ascending)),
        ..AuditFilter::default()
    };
    api.store
        .list_audit(&filter, PageRequest::new(1, 500).unwrap())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|row| row.action)
        .collect()
}

async fn create_use_and_revoke(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let (secret, id) = mint(
        &api,
        &fleet.admin,
        json!({"name": "ci pipeline", "role": "admin"}),
    )
    .await;
    assert!(
        secret.starts_with("lpm_") && secret.len() == 4 + 43,
        "{secret}"
    );

    // Stored as its SHA-256 only.
    let stored = api
        .store
        .api_token_by_hash(&hex::encode(Sha256::digest(&secret)))
        .await
        .unwrap();
    assert_eq!(stored.map(|t| t.id), Some(id));

    // Accepted wherever an access token is, with the owner's admin reach.
    let (status, hosts) = api.get(&secret, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK, "{hosts}");
    assert_eq!(hosts["total"], 3);
    let (status, _) = api.get(&secret, "/api/v1/users").await;
    assert_eq!(status, StatusCode::OK);

    // Listed without the secret, with its last use.
    let (status, list) = api.get(&fleet.admin, "/api/v1/api-tokens").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !list.to_string().contains(&secret[4..]),
        "the secret is never listed: {list}"
    );
    let item = &list["items"][0];
    assert_eq!(item["name"], "ci pipeline");
    assert_eq!(item["username"], "root-admin");
    assert_eq!(item["last_used_ip"], "127.0.0.1");
    assert!(item["last_used_at"].is_string(), "{item}");
    assert_eq!(item["expired"], false);

    // Revoked at once.
    let (status, _) = api
        .delete(&fleet.admin, &format!("/api/v1/api-tokens/{id}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = api.get(&secret, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "invalid_token");
    let (status, _) = api
        .delete(&fleet.admin, &format!("/api/v1/api-tokens/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Creation, the first use from an address (once, not per request) and revocation.
    let actions = audit_actions(&api).await;
    let tokens: Vec<&str> = actions
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with("api_token."))
        .collect();
    assert_eq!(
        tokens,
        [
            "api_token.created",
            "api_token.used_from_new_address",
            "api_token.revoked"
        ]
    );
    api.stop().await;
}

#[tokio::test]
async fn a_token_is_shown_once_used_as_a_bearer_and_revoked_at_once() {
    create_use_and_revoke(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_token_is_shown_once_used_as_a_bearer_and_revoked_at_once_on_postgres() {
    create_use_and_revoke(Backend::Postgres).await;
}

#[tokio::test]
async fn a_token_stops_working_when_it_expires() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let in_an_hour = (api.now() + Duration::hours(1)).to_rfc3339();
    let (secret, _) = mint(
        &api,
        &fleet.admin,
        json!({"name": "short", "role": "auditor", "expires_at": in_an_hour}),
    )
    .await;
    assert_eq!(api.get(&secret, "/api/v1/hosts").await.0, StatusCode::OK);
    api.clock.advance(Duration::minutes(61));
    let (status, body) = api.get(&secret, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "token_expired");
    // The list says so (the admin's session token is re-issued at the new time).
    let admin = api.token(&fleet.admin_user);
    let (_, list) = api.get(&admin, "/api/v1/api-tokens").await;
    assert_eq!(list["items"][0]["expired"], true);

    // An expiry in the past is refused, and nothing is stored.
    let (status, body) = api
        .post(
            &admin,
            "/api/v1/api-tokens",
            json!({"name": "stale", "role": "admin", "expires_at": api.now().to_rfc3339()}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["details"]["fields"]["expires_at"].is_string(),
        "{body}"
    );
    assert_eq!(api.get(&admin, "/api/v1/api-tokens").await.1["total"], 1);
    api.stop().await;
}

#[tokio::test]
async fn a_token_never_reaches_more_than_its_creator() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (a, b, free) = (
        hid(&fleet.host_a),
        hid(&fleet.host_b),
        hid(&fleet.host_free),
    );
    let ga = fleet.group_a.id.get();
    let gb = fleet.group_b.id.get();

    // An operator mints neither an admin nor an auditor token, nor one for another's group.
    for (body, status, error) in [
        (
            json!({"name": "x", "role": "admin"}),
            StatusCode::FORBIDDEN,
            "role_exceeds_yours",
        ),
        (
            json!({"name": "x", "role": "auditor"}),
            StatusCode::FORBIDDEN,
            "role_exceeds_yours",
        ),
        (
            json!({"name": "x", "role": "operator", "group_ids": [gb]}),
            StatusCode::FORBIDDEN,
            "scope_exceeds_yours",
        ),
        (
            json!({"name": "x", "role": "operator", "group_ids": [0]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({"name": "  ", "role": "operator"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({"name": "x", "role": "root"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ] {
        let (got, reply) = api
            .post(&fleet.op_a, "/api/v1/api-tokens", body.clone())
            .await;
        assert_eq!((got, code(&reply)), (status, error), "{body}: {reply}");
    }
    assert_eq!(
        api.get(&fleet.admin, "/api/v1/api-tokens").await.1["total"],
        0
    );

    // Its own operator token reaches what it reaches: group A and ungrouped hosts.
    let (own, _) = mint(
        &api,
        &fleet.op_a,
        json!({"name": "mine", "role": "operator"}),
    )
    .await;
    let (_, hosts) = api.get(&own, "/api/v1/hosts").await;
    let mut reached = ids(&hosts);
    reached.sort_unstable();
    assert_eq!(reached, [a, free]);
    let (status, body) = api
        .post(&own, "/api/v1/groups", json!({"name": "mine"}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );

    // Group groups only on operator tokens; an admin may name any group.
    let (status, _) = api
        .post(
            &fleet.admin,
            "/api/v1/api-tokens",
            json!({"name": "y", "role": "admin", "group_ids": [ga]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (only_b, _) = mint(
        &api,
        &fleet.admin,
        json!({"name": "b only", "role": "operator", "group_ids": [gb]}),
    )
    .await;
    let (_, hosts) = api.get(&only_b, "/api/v1/hosts").await;
    let mut reached = ids(&hosts);
    reached.sort_unstable();
    assert_eq!(reached, [b, free]);
    assert_eq!(
        api.get(&only_b, &format!("/api/v1/hosts/{a}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get(&only_b, "/api/v1/users").await.0,
        StatusCode::FORBIDDEN
    );

    // The owner leaving group A takes group A from their token at once.
    let (status, _) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/users/{}", fleet.op_a_user.id.get()),
            json!({"groups": []}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, hosts) = api.get(&own, "/api/v1/hosts").await;
    assert_eq!(ids(&hosts), [free]);

    // A demoted admin's admin token stops working.
    let (admin_token, _) = mint(&api, &fleet.admin, json!({"name": "full", "role": "admin"})).await;
    let second = api.user("second-admin", Role::Admin, &[]).await;
    let (status, _) = api
        .patch(
            &api.token(&second),
            &format!("/api/v1/users/{}", fleet.admin_user.id.get()),
            json!({"role": "operator"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = api.get(&admin_token, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    api.stop().await;
}

#[tokio::test]
async fn a_disabled_or_deleted_owner_s_tokens_stop_at_once() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let op = fleet.op_a_user.id.get();
    let (secret, _) = mint(
        &api,
        &fleet.op_a,
        json!({"name": "nightly", "role": "operator"}),
    )
    .await;
    assert_eq!(api.get(&secret, "/api/v1/hosts").await.0, StatusCode::OK);

    let (status, _) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/users/{op}"),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = api.get(&secret, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "account_disabled")
    );

    let (status, _) = api
        .delete(&fleet.admin, &format!("/api/v1/users/{op}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = api.get(&secret, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    assert_eq!(
        api.get(&fleet.admin, "/api/v1/api-tokens").await.1["total"],
        0
    );
    api.stop().await;
}

#[tokio::test]
async fn tokens_manage_no_credentials_and_users_see_only_their_own() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (a_token, a_id) = mint(&api, &fleet.op_a, json!({"name": "a", "role": "operator"})).await;
    let (_, b_id) = mint(&api, &fleet.op_b, json!({"name": "b", "role": "operator"})).await;

    // Only an interactive login makes tokens or changes credentials.
    for (path, body) in [
        (
            "/api/v1/api-tokens",
            json!({"name": "child", "role": "operator"}),
        ),
        (
            "/api/v1/auth/password",
            json!({"current_password": "x", "new_password": "y"}),
        ),
        ("/api/v1/auth/recovery-codes", json!({})),
        ("/api/v1/auth/mfa/totp/setup", json!({})),
    ] {
        let (status, reply) = api.post(&a_token, path, body).await;
        assert_eq!(
            (status, code(&reply)),
            (StatusCode::FORBIDDEN, "interactive_session_required"),
            "{path}: {reply}"
        );
    }

    // The same name twice is a conflict; names are per user.
    let (status, body) = api
        .post(
            &fleet.op_a,
            "/api/v1/api-tokens",
            json!({"name": "a", "role": "operator"}),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "conflict"));
    mint(&api, &fleet.op_b, json!({"name": "a", "role": "operator"})).await;

    // Operators list and revoke only their own; admins everything.
    let (_, mine) = api.get(&fleet.op_a, "/api/v1/api-tokens").await;
    assert_eq!(ids(&mine), [a_id]);
    let (_, filtered) = api
        .get(
            &fleet.op_a,
            &format!("/api/v1/api-tokens?user_id={}", fleet.op_b_user.id.get()),
        )
        .await;
    assert_eq!(
        ids(&filtered),
        [a_id],
        "the filter cannot widen an operator's view"
    );
    let (_, all) = api.get(&fleet.admin, "/api/v1/api-tokens?sort=name").await;
    assert_eq!(all["total"], 3);
    let (_, by_b) = api
        .get(
            &fleet.admin,
            &format!(
                "/api/v1/api-tokens?user_id={}&sort=-created",
                fleet.op_b_user.id.get()
            ),
        )
        .await;
    assert_eq!(by_b["total"], 2);
    assert_eq!(by_b["items"][1]["id"], b_id, "newest first, ties by id");
    let (status, _) = api
        .delete(&fleet.op_a, &format!("/api/v1/api-tokens/{b_id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api
        .get(&fleet.admin, "/api/v1/api-tokens?sort=secret")
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );

    // A token may revoke itself.
    let (status, _) = api
        .delete(&a_token, &format!("/api/v1/api-tokens/{a_id}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.get(&a_token, "/api/v1/hosts").await.0,
        StatusCode::UNAUTHORIZED
    );

    // Something that is not a token at all.
    let (status, body) = api.get("lpm_not-a-real-token", "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    api.stop().await;
}
