//! Users over HTTP: admins create accounts with one-time passwords, change, disable and delete
//! them; changes take effect on the user's next request; views never show a secret.

use lpm_core::ids::UserId;
use lpm_core::model::Username;
use lpm_server::auth::SecretString;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::{Api, code, ids};

/// Whether `password` is the stored password of `username`.
async fn password_matches(api: &Api, username: &str, password: &str) -> bool {
    let credentials = api
        .store
        .credentials(&Username::new(username).unwrap())
        .await
        .unwrap()
        .unwrap();
    let hash = credentials.password_hash.unwrap();
    api.state
        .auth
        .hasher
        .verify(&SecretString::from(password.to_owned()), &hash)
        .unwrap()
}

fn uid(user: &Value) -> i64 {
    user["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_account_gets_a_one_time_password_shown_once() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = fleet.group_a.id.get();

    let (status, created) = api
        .post(
            &fleet.admin,
            "/api/v1/users",
            json!({"username": "Carol", "role": "operator", "groups": [a]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let password = created["password"].as_str().unwrap();
    assert_eq!(password.chars().count(), 20);
    assert!(password_matches(&api, "carol", password).await);
    let user = &created["user"];
    assert_eq!(
        (&user["username"], &user["role"], &user["groups"]),
        (&json!("carol"), &json!("operator"), &json!([a]))
    );
    assert_eq!(
        user["mfa"],
        json!({"enrolled": false, "enrolled_at": null, "methods": [],
               "webauthn_credentials": 0, "recovery_codes_left": 0})
    );
    assert_eq!(
        (
            &user["password_set"],
            &user["disabled"],
            &user["last_login_at"]
        ),
        (&json!(true), &json!(false), &Value::Null)
    );

    // Shown once: reading the account again never shows it, nor any hash.
    let (status, again) = api
        .get(&fleet.admin, &format!("/api/v1/users/{}", uid(user)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(again.get("password").is_none());
    let (_, page) = api.get(&fleet.admin, "/api/v1/users?per_page=500").await;
    let text = format!("{again}{page}");
    assert!(
        !text.contains(password) && !text.contains("argon2"),
        "{text}"
    );

    // A reset gives a new one-time password; the old one stops working.
    let (status, reset) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/users/{}/password/reset", uid(user)),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    let new_password = reset["password"].as_str().unwrap();
    assert_ne!(new_password, password);
    assert!(password_matches(&api, "carol", new_password).await);
    assert!(!password_matches(&api, "carol", password).await);

    let audit = api
        .store
        .testing_strings(&format!(
            "SELECT action || ' ' || details FROM audit_log WHERE target_type = 'user' AND target_id = '{}' ORDER BY id",
            uid(user)
        ))
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(audit[0].starts_with("user.created") && audit[1].starts_with("user.password_reset"));
    assert!(audit.iter().all(|row| !row.contains(password)
        && !row.contains(new_password)
        && !row.contains("argon2")));
    api.stop().await;
}

#[tokio::test]
async fn bad_account_input_is_refused_and_changes_nothing() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let audit_before = api.store.verify_audit().await.unwrap().rows_checked;

    let cases = [
        (
            json!({"username": "no spaces please", "role": "operator"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("username"),
        ),
        (
            json!({"username": "", "role": "operator"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("username"),
        ),
        (
            json!({"username": "erin", "role": "operator", "groups": [0]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("groups"),
        ),
        (
            json!({"username": "erin", "role": "operator", "groups": [999999]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("groups"),
        ),
        (
            json!({"username": "erin", "role": "superuser"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        (
            json!({"username": "erin", "role": "operator", "password": "mine"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        (
            json!({"username": "OP-A", "role": "operator"}),
            StatusCode::CONFLICT,
            None,
        ),
    ];
    for (body, status, field) in cases {
        let (got, answer) = api.post(&fleet.admin, "/api/v1/users", body.clone()).await;
        assert_eq!(got, status, "{body} -> {answer}");
        if let Some(field) = field {
            assert_eq!(code(&answer), "validation_failed");
            assert!(
                answer["error"]["details"]["fields"][field].is_string(),
                "{answer}"
            );
        }
    }
    let op_a = fleet.op_a_user.id.get();
    let (status, answer) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/users/{op_a}"),
            json!({"groups": [999999], "role": "admin"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(
        api.store.get_user(fleet.op_a_user.id).await.unwrap().role,
        lpm_core::model::Role::Operator
    );

    for path in [
        "/api/v1/users/999999",
        "/api/v1/users/0",
        "/api/v1/users/-4",
    ] {
        let (status, answer) = api.get(&fleet.admin, path).await;
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::NOT_FOUND, "user_not_found")
        );
    }
    let (status, answer) = api.get(&fleet.admin, "/api/v1/users/carol").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    for (path, body) in [
        ("/api/v1/users/999999/password/reset", json!({})),
        ("/api/v1/users/999999/mfa/reset", json!({})),
        ("/api/v1/users/999999/sessions/revoke", json!({})),
    ] {
        let (status, answer) = api.post(&fleet.admin, path, body).await;
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::NOT_FOUND, "user_not_found"),
            "{path}"
        );
    }
    let (status, _) = api
        .patch(
            &fleet.admin,
            "/api/v1/users/999999",
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api.delete(&fleet.admin, "/api/v1/users/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = api.get(&fleet.admin, "/api/v1/users?sort=password").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );

    assert_eq!(
        api.store.verify_audit().await.unwrap().rows_checked,
        audit_before
    );
    api.stop().await;
}

#[tokio::test]
async fn users_are_listed_filtered_and_sorted() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (admin, op_a, op_b) = (
        fleet.admin_user.id.get(),
        fleet.op_a_user.id.get(),
        fleet.op_b_user.id.get(),
    );

    let (status, page) = api.get(&fleet.admin, "/api/v1/users").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(ids(&page), vec![op_a, op_b, admin]);
    assert_eq!(page["total"], 3);
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/users?role=operator&sort=-username")
        .await;
    assert_eq!(ids(&page), vec![op_b, op_a]);
    let (_, page) = api.get(&fleet.admin, "/api/v1/users?search=ROOT").await;
    assert_eq!(ids(&page), vec![admin]);
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/users?sort=role&per_page=1&page=2")
        .await;
    assert_eq!((ids(&page), &page["total"]), (vec![op_a], &json!(3)));

    api.patch(
        &fleet.admin,
        &format!("/api/v1/users/{op_b}"),
        json!({"disabled": true}),
    )
    .await;
    let (_, page) = api.get(&fleet.admin, "/api/v1/users?disabled=true").await;
    assert_eq!(ids(&page), vec![op_b]);
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/users?disabled=false&sort=created")
        .await;
    assert_eq!(ids(&page), vec![admin, op_a]);
    api.stop().await;
}

#[tokio::test]
async fn changes_to_a_user_take_effect_on_their_next_request() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let op_a = fleet.op_a_user.id.get();
    let host_b = fleet.host_b.id.get();
    let b = fleet.group_b.id.get();

    // Warm the session cache with op-a's current scope.
    let (status, _) = api
        .get(&fleet.op_a, &format!("/api/v1/hosts/{host_b}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, changed) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/users/{op_a}"),
            json!({"groups": [b]}),
        )
        .await;
    assert_eq!(
        (status, &changed["groups"]),
        (StatusCode::OK, &json!([b])),
        "{changed}"
    );
    let (status, _) = api
        .get(&fleet.op_a, &format!("/api/v1/hosts/{host_b}"))
        .await;
    assert_eq!(status, StatusCode::OK, "the new group applies at once");

    // Promotion and demotion.
    let (_, changed) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/users/{op_a}"),
            json!({"role": "admin"}),
        )
        .await;
    assert_eq!(changed["role"], "admin");
    let (status, _) = api.get(&fleet.op_a, "/api/v1/users").await;
    assert_eq!(status, StatusCode::OK);
    api.patch(
        &fleet.admin,
        &format!("/api/v1/users/{op_a}"),
        json!({"role": "operator"}),
    )
    .await;
    let (status, answer) = api.get(&fleet.op_a, "/api/v1/users").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::FORBIDDEN, "admin_required")
    );

    // Disabling ends the session at once; re-enabling does not revive the old token.
    let (status, changed) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/users/{op_a}"),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(
        (status, &changed["disabled"]),
        (StatusCode::OK, &json!(true))
    );
    let (status, answer) = api.get(&fleet.op_a, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNAUTHORIZED, "account_disabled")
    );
    api.patch(
        &fleet.admin,
        &format!("/api/v1/users/{op_a}"),
        json!({"disabled": false}),
    )
    .await;
    let (status, answer) = api.get(&fleet.op_a, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNAUTHORIZED, "session_revoked")
    );

    // A revocation refuses tokens issued before it.
    api.clock.advance(chrono::Duration::seconds(1));
    let op_b_token = api.token(&fleet.op_b_user);
    let (status, _) = api.get(&op_b_token, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK);
    let op_b = fleet.op_b_user.id.get();
    let (status, _) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/users/{op_b}/sessions/revoke"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, answer) = api.get(&op_b_token, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNAUTHORIZED, "session_revoked")
    );
    api.clock.advance(chrono::Duration::seconds(1));
    let (status, _) = api.get(&api.token(&fleet.op_b_user), "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK, "a new login works");

    let actions = api
        .store
        .testing_strings("SELECT action FROM audit_log WHERE action LIKE 'user.%' AND action <> 'user.created' ORDER BY id")
        .await
        .unwrap();
    assert_eq!(
        actions,
        [
            "user.updated",
            "user.updated",
            "user.updated",
            "user.disabled",
            "user.enabled",
            "user.sessions_revoked"
        ]
    );
    api.stop().await;
}

#[tokio::test]
async fn mfa_reset_clears_second_factors_and_ends_sessions() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let op_a = fleet.op_a_user.id;
    let actor = lpm_store::Actor::system();
    api.store
        .begin_totp_enrolment(op_a, "JBSWY3DPEHPK3PXP", &actor, api.now())
        .await
        .unwrap();
    api.store
        .confirm_mfa(op_a, "totp", &actor, api.now())
        .await
        .unwrap();
    let (_, before) = api
        .get(&fleet.admin, &format!("/api/v1/users/{}", op_a.get()))
        .await;
    assert_eq!(
        (&before["mfa"]["enrolled"], &before["mfa"]["methods"]),
        (&json!(true), &json!(["totp"]))
    );
    assert!(!before.to_string().contains("JBSWY3DP"));

    let (status, _) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/users/{}/mfa/reset", op_a.get()),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, after) = api
        .get(&fleet.admin, &format!("/api/v1/users/{}", op_a.get()))
        .await;
    assert_eq!(
        (&after["mfa"]["enrolled"], &after["mfa"]["methods"]),
        (&json!(false), &json!([]))
    );
    let (status, answer) = api.get(&fleet.op_a, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNAUTHORIZED, "session_revoked")
    );
    api.stop().await;
}

#[tokio::test]
async fn the_last_enabled_admin_cannot_be_removed() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let admin = fleet.admin_user.id.get();
    let audit_before = api.store.verify_audit().await.unwrap().rows_checked;
    for (method, body) in [
        (reqwest::Method::PATCH, Some(json!({"role": "operator"}))),
        (
            reqwest::Method::PATCH,
            Some(json!({"disabled": true, "groups": []})),
        ),
        (reqwest::Method::DELETE, None),
    ] {
        let (status, answer) = api
            .call(
                method,
                &format!("/api/v1/users/{admin}"),
                Some(&fleet.admin),
                body,
            )
            .await;
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::CONFLICT, "last_admin"),
            "{answer}"
        );
    }
    assert_eq!(
        api.store.verify_audit().await.unwrap().rows_checked,
        audit_before
    );

    // With a second admin, the first may go.
    let op_a = fleet.op_a_user.id.get();
    api.patch(
        &fleet.admin,
        &format!("/api/v1/users/{op_a}"),
        json!({"role": "admin"}),
    )
    .await;
    let (status, _) = api
        .delete(&fleet.admin, &format!("/api/v1/users/{admin}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, answer) = api.get(&fleet.admin, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNAUTHORIZED, "invalid_token"),
        "a deleted account's token stops working"
    );
    let op_a_token = api.token(
        &api.store
            .get_user(UserId::new(op_a).unwrap())
            .await
            .unwrap(),
    );
    let (status, _) = api
        .get(&op_a_token, &format!("/api/v1/users/{admin}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    api.stop().await;
}
