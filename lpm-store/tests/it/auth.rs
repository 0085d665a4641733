//! Authentication state: soft locks, single-use TOTP steps and recovery codes, refresh-token
//! rotation with reuse detection, JWT keys and WebSocket tickets.

use chrono::Duration;
use lpm_core::model::Username;
use lpm_store::StoreError;
use lpm_store::auth::{LockPolicy, RefreshOutcome};

use crate::harness::{TestStore, admin_scope, operator, t0, user_actor};

const HASH: &str = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

async fn credentials_and_the_doubling_soft_lock(t: TestStore) {
    let s = &t.store;
    let (user, _) = operator(s, "olga", &[]).await;
    let who = user_actor(&user);
    assert!(
        s.credentials(&Username::new("nobody").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        s.set_password_hash(user.id, "plaintext", &who, t0()).await,
        Err(StoreError::Invalid { .. })
    ));
    s.set_password_hash(user.id, HASH, &who, t0())
        .await
        .unwrap();
    let creds = s.credentials(&user.username).await.unwrap().unwrap();
    assert_eq!(
        (creds.password_hash.as_deref(), creds.mfa_enrolled_at),
        (Some(HASH), None)
    );

    let policy = LockPolicy {
        free_failures: 3,
        first_lock: Duration::minutes(1),
        max_lock: Duration::minutes(3),
    };
    let mut locks = Vec::new();
    for i in 0..12 {
        if let Some(until) = s
            .record_login_failure(user.id, &policy, &who, t0() + Duration::seconds(i))
            .await
            .unwrap()
        {
            locks.push(until - (t0() + Duration::seconds(i)));
        }
    }
    assert_eq!(
        locks,
        [
            Duration::minutes(1),
            Duration::minutes(2),
            Duration::minutes(3),
            Duration::minutes(3)
        ]
    );
    assert!(
        s.credentials(&user.username)
            .await
            .unwrap()
            .unwrap()
            .locked_until
            .is_some()
    );
    s.record_login_success(user.id, "password+totp", &who, t0())
        .await
        .unwrap();
    let creds = s.credentials(&user.username).await.unwrap().unwrap();
    assert_eq!((creds.failed_logins, creds.locked_until), (0, None));
    let failures = s
        .testing_strings("SELECT action FROM audit_log WHERE action = 'auth.login_failed'")
        .await
        .unwrap();
    assert_eq!(failures.len(), 12, "every failure is audited");
}

async fn second_factors_are_single_use(t: TestStore) {
    let s = &t.store;
    let (user, _) = operator(s, "olga", &[]).await;
    let who = user_actor(&user);
    s.begin_totp_enrolment(user.id, "JBSWY3DPEHPK3PXP", &who, t0())
        .await
        .unwrap();
    assert!(s.use_totp_step(user.id, 100).await.unwrap());
    assert!(
        !s.use_totp_step(user.id, 100).await.unwrap(),
        "a code is accepted once"
    );
    assert!(
        !s.use_totp_step(user.id, 99).await.unwrap(),
        "an older code is not accepted after a newer one"
    );
    assert!(s.use_totp_step(user.id, 101).await.unwrap());
    s.confirm_mfa(user.id, "totp", &who, t0()).await.unwrap();
    assert!(
        s.credentials(&user.username)
            .await
            .unwrap()
            .unwrap()
            .mfa_enrolled_at
            .is_some()
    );

    let codes: Vec<String> = (0..3).map(|i| format!("hash-{i}")).collect();
    s.replace_recovery_codes(user.id, &codes, &who, t0())
        .await
        .unwrap();
    assert!(
        s.use_recovery_code(user.id, "hash-1", &who, t0())
            .await
            .unwrap()
    );
    assert!(
        !s.use_recovery_code(user.id, "hash-1", &who, t0())
            .await
            .unwrap()
    );
    assert!(
        !s.use_recovery_code(user.id, "hash-9", &who, t0())
            .await
            .unwrap()
    );
    assert_eq!(s.recovery_codes_left(user.id).await.unwrap(), 2);

    let admin = admin_scope().require_admin().unwrap();
    s.issue_refresh_token(user.id, "fam", "r1", t0(), Duration::hours(12), None, None)
        .await
        .unwrap();
    s.reset_mfa(&admin, user.id, &crate::harness::actor(), t0())
        .await
        .unwrap();
    let creds = s.credentials(&user.username).await.unwrap().unwrap();
    assert_eq!((creds.totp_secret, creds.mfa_enrolled_at), (None, None));
    assert_eq!(s.recovery_codes_left(user.id).await.unwrap(), 0);
    assert_eq!(
        s.rotate_refresh_token("r1", "r2", Duration::hours(1), t0())
            .await
            .unwrap(),
        RefreshOutcome::Revoked
    );
}

async fn refresh_tokens_rotate_and_a_replay_revokes_the_family(t: TestStore) {
    let s = &t.store;
    let (user, _) = operator(s, "olga", &[]).await;
    let idle = Duration::hours(1);
    s.issue_refresh_token(
        user.id,
        "family-a",
        "t1",
        t0(),
        Duration::hours(12),
        Some("192.0.2.7"),
        Some("test"),
    )
    .await
    .unwrap();
    let at = |m| t0() + Duration::minutes(m);
    assert_eq!(
        s.rotate_refresh_token("t1", "t2", idle, at(30))
            .await
            .unwrap(),
        RefreshOutcome::Rotated { user: user.id }
    );
    assert_eq!(
        s.rotate_refresh_token("t2", "t3", idle, at(80))
            .await
            .unwrap(),
        RefreshOutcome::Rotated { user: user.id }
    );
    // t1 is presented again: stolen. The whole family dies, including the live t3.
    assert_eq!(
        s.rotate_refresh_token("t1", "x", idle, at(81))
            .await
            .unwrap(),
        RefreshOutcome::Reused { user: user.id }
    );
    assert_eq!(
        s.rotate_refresh_token("t3", "t4", idle, at(82))
            .await
            .unwrap(),
        RefreshOutcome::Revoked
    );
    assert_eq!(
        s.rotate_refresh_token("nope", "t5", idle, at(82))
            .await
            .unwrap(),
        RefreshOutcome::Unknown
    );

    // Sliding inactivity: a token idle for more than an hour has expired.
    s.issue_refresh_token(
        user.id,
        "family-b",
        "b1",
        t0(),
        Duration::hours(12),
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        s.rotate_refresh_token("b1", "b2", idle, at(61))
            .await
            .unwrap(),
        RefreshOutcome::Expired
    );
    // Absolute lifetime: kept alive every 50 minutes, it still ends after 2 hours.
    s.issue_refresh_token(
        user.id,
        "family-c",
        "c0",
        t0(),
        Duration::hours(2),
        None,
        None,
    )
    .await
    .unwrap();
    assert!(matches!(
        s.rotate_refresh_token("c0", "c1", idle, at(50))
            .await
            .unwrap(),
        RefreshOutcome::Rotated { .. }
    ));
    assert!(matches!(
        s.rotate_refresh_token("c1", "c2", idle, at(100))
            .await
            .unwrap(),
        RefreshOutcome::Rotated { .. }
    ));
    assert_eq!(
        s.rotate_refresh_token("c2", "c3", idle, at(121))
            .await
            .unwrap(),
        RefreshOutcome::Expired
    );

    // Logout and admin revocation.
    s.issue_refresh_token(
        user.id,
        "family-d",
        "d1",
        t0(),
        Duration::hours(12),
        None,
        None,
    )
    .await
    .unwrap();
    assert!(
        s.revoke_refresh_family("d1", &user_actor(&user), t0())
            .await
            .unwrap()
    );
    assert_eq!(
        s.rotate_refresh_token("d1", "d2", idle, at(1))
            .await
            .unwrap(),
        RefreshOutcome::Revoked
    );
    s.issue_refresh_token(
        user.id,
        "family-e",
        "e1",
        t0(),
        Duration::hours(12),
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        s.revoke_user_sessions(user.id, &crate::harness::actor(), at(2))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.sessions_revoked_since(user.id).await.unwrap(),
        Some(at(2))
    );
    let reused = s
        .testing_strings("SELECT actor FROM audit_log WHERE action = 'auth.refresh_token_reused'")
        .await
        .unwrap();
    assert_eq!(reused, ["olga"]);
}

async fn jwt_keys_and_ws_tickets(t: TestStore) {
    let s = &t.store;
    let (user, _) = operator(s, "olga", &[]).await;
    s.publish_jwt_key("k1", "PEM1", t0(), t0() + Duration::days(91))
        .await
        .unwrap();
    s.publish_jwt_key(
        "k2",
        "PEM2",
        t0() + Duration::days(90),
        t0() + Duration::days(181),
    )
    .await
    .unwrap();
    assert!(s.publish_jwt_key("k1", "again", t0(), t0()).await.is_err());
    let keys: Vec<String> = s
        .jwt_verifying_keys(t0() + Duration::days(90))
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.kid)
        .collect();
    assert_eq!(keys, ["k2", "k1"], "both verify during the overlap");
    let keys = s
        .jwt_verifying_keys(t0() + Duration::days(92))
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);

    s.create_ws_ticket("tk", user.id, t0() + Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(
        s.consume_ws_ticket("tk", t0()).await.unwrap(),
        Some(user.id)
    );
    assert_eq!(
        s.consume_ws_ticket("tk", t0()).await.unwrap(),
        None,
        "single use"
    );
    s.create_ws_ticket("late", user.id, t0() + Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(
        s.consume_ws_ticket("late", t0() + Duration::seconds(61))
            .await
            .unwrap(),
        None,
        "expired"
    );
}

async fn enrolment_webauthn_credentials_and_token_owners(t: TestStore) {
    let s = &t.store;
    let (user, _) = operator(s, "olga", &[]).await;
    let (other, _) = operator(s, "oscar", &[]).await;
    let who = user_actor(&user);
    let by_id = s.credentials_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(by_id.user.username, user.username);
    assert_eq!(by_id, s.credentials(&user.username).await.unwrap().unwrap());
    assert!(
        s.credentials_by_id(lpm_core::ids::UserId::new(999_999).unwrap())
            .await
            .unwrap()
            .is_none()
    );

    // TOTP enrolment stores the secret, spends the proving code's step, confirms MFA.
    s.enrol_totp(user.id, "JBSWY3DPEHPK3PXP", 500, &who, t0())
        .await
        .unwrap();
    let creds = s.credentials_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(creds.totp_secret.as_deref(), Some("JBSWY3DPEHPK3PXP"));
    assert_eq!(creds.mfa_enrolled_at, Some(t0()));
    assert!(
        !s.use_totp_step(user.id, 500).await.unwrap(),
        "the enrolment code cannot log in"
    );
    assert!(s.use_totp_step(user.id, 501).await.unwrap());
    // A later re-enrolment replaces the secret but keeps the first enrolment time.
    s.enrol_totp(
        user.id,
        "KRSXG5CTMVRXEZLU",
        600,
        &who,
        t0() + Duration::days(1),
    )
    .await
    .unwrap();
    let creds = s.credentials_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(
        (creds.totp_secret.as_deref(), creds.mfa_enrolled_at),
        (Some("KRSXG5CTMVRXEZLU"), Some(t0()))
    );

    // WebAuthn: the first credential confirms MFA; ids are unique across users.
    let who_else = user_actor(&other);
    let id = s
        .add_webauthn_credential(other.id, "cred-1", " laptop ", "{\"k\":1}", &who_else, t0())
        .await
        .unwrap();
    let creds = s.credentials_by_id(other.id).await.unwrap().unwrap();
    assert_eq!(
        (creds.webauthn_credentials, creds.mfa_enrolled_at),
        (1, Some(t0()))
    );
    assert!(matches!(
        s.add_webauthn_credential(user.id, "cred-1", "stolen", "{}", &who, t0())
            .await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        s.add_webauthn_credential(other.id, "cred-2", "  ", "{}", &who_else, t0())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    let later = t0() + Duration::minutes(5);
    assert!(
        s.touch_webauthn_credential(other.id, "cred-1", Some("{\"k\":2}"), later)
            .await
            .unwrap()
    );
    assert!(
        !s.touch_webauthn_credential(user.id, "cred-1", None, later)
            .await
            .unwrap(),
        "not that user's credential"
    );
    let list = s.webauthn_credentials(other.id).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (
            list[0].id,
            list[0].name.as_str(),
            list[0].passkey.as_str(),
            list[0].last_used_at
        ),
        (id, "laptop", "{\"k\":2}", Some(later))
    );
    assert!(s.webauthn_credentials(user.id).await.unwrap().is_empty());
    let enrolled = s
        .testing_strings(
            "SELECT actor FROM audit_log WHERE action = 'auth.mfa_enrolled' ORDER BY id",
        )
        .await
        .unwrap();
    assert_eq!(enrolled, ["olga", "olga", "oscar"]);

    // Refresh tokens name their owner.
    s.issue_refresh_token(user.id, "fam", "h1", t0(), Duration::hours(12), None, None)
        .await
        .unwrap();
    let session = s.refresh_token_session("h1").await.unwrap().unwrap();
    assert_eq!((session.user, session.family.as_str()), (user.id, "fam"));
    assert_eq!(s.refresh_token_session("h2").await.unwrap(), None);
}

crate::on_both_backends!(
    credentials_and_the_doubling_soft_lock,
    second_factors_are_single_use,
    refresh_tokens_rotate_and_a_replay_revokes_the_family,
    jwt_keys_and_ws_tickets,
    enrolment_webauthn_credentials_and_token_owners,
);
