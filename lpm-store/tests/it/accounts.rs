//! Managing users and groups: lists, changes, disabling, and the last-admin guard.

use chrono::Duration;
use lpm_core::ids::{GroupId, HostId, UserId};
use lpm_core::model::{Name, Role, Username};
use lpm_store::accounts::{GroupQuery, GroupSort, UserChanges, UserQuery, UserSort};
use lpm_store::auth::{LockPolicy, RefreshOutcome};
use lpm_store::{Direction, PageRequest, StoreError};

use crate::harness::{TestStore, actor, admin_scope, group, hosts, operator, t0, user_actor};

/// A syntactically valid Argon2id PHC string (the store checks the form, not the hash).
const PHC: &str = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

async fn users_are_listed_changed_and_disabled(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let g = group(s, "web").await;
    let root = s
        .create_user(
            &admin,
            &Username::new("root-admin").unwrap(),
            Role::Admin,
            &[],
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let (olga, _) = operator(s, "olga", &[g]).await;
    let (_bob, _) = operator(s, "bob", &[]).await;

    let all = s
        .list_users(&admin.into(), &UserQuery::default(), PageRequest::default())
        .await
        .unwrap();
    let names: Vec<&str> = all.items.iter().map(|u| u.user.username.as_str()).collect();
    assert_eq!(names, ["bob", "olga", "root-admin"]);
    let ops = UserQuery {
        role: Some(Role::Operator),
        search: Some("OL".into()),
        ..Default::default()
    };
    let found = s
        .list_users(&admin.into(), &ops, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        (found.total, found.items[0].user.groups.clone()),
        (1, vec![g])
    );

    let promoted = s
        .update_user(
            &admin,
            olga.id,
            Some(Role::Admin),
            Some(&[]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    assert_eq!((promoted.role, promoted.groups.len()), (Role::Admin, 0));

    // Disabling ends sessions at once.
    s.issue_refresh_token(olga.id, "f", "tok", t0(), Duration::hours(12), None, None)
        .await
        .unwrap();
    s.set_user_disabled(&admin, olga.id, true, &actor(), t0())
        .await
        .unwrap();
    assert!(s.get_user(olga.id).await.unwrap().disabled);
    assert_eq!(
        s.rotate_refresh_token("tok", "tok2", Duration::hours(1), t0())
            .await
            .unwrap(),
        RefreshOutcome::Revoked
    );
    assert_eq!(s.sessions_revoked_since(olga.id).await.unwrap(), Some(t0()));
    let disabled = UserQuery {
        disabled: Some(true),
        ..Default::default()
    };
    assert_eq!(
        s.list_users(&admin.into(), &disabled, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );

    // root-admin is now the only enabled admin: it cannot be demoted, disabled or deleted.
    for refused in [
        s.update_user(&admin, root.id, Some(Role::Operator), None, &actor(), t0())
            .await
            .map(|_| ()),
        s.set_user_disabled(&admin, root.id, true, &actor(), t0())
            .await,
        s.delete_user(&admin, root.id, &actor(), t0()).await,
    ] {
        assert!(
            matches!(refused, Err(StoreError::Conflict { .. })),
            "{refused:?}"
        );
    }
    s.set_user_disabled(&admin, olga.id, false, &actor(), t0())
        .await
        .unwrap();
    s.delete_user(&admin, root.id, &actor(), t0())
        .await
        .unwrap();
    assert!(matches!(
        s.get_user(root.id).await,
        Err(StoreError::NotFound { .. })
    ));
    let deleted = s
        .testing_strings("SELECT details FROM audit_log WHERE action = 'user.deleted'")
        .await
        .unwrap();
    assert!(
        deleted[0].contains("root-admin"),
        "the audit keeps the name"
    );
}

async fn groups_are_renamed_and_deleted(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let (g, other) = (group(s, "web").await, group(s, "db").await);
    let h = hosts(s, 2, &[g]).await;
    let (olga, _) = operator(s, "olga", &[g]).await;
    let members = s.group_members(g).await.unwrap();
    assert_eq!((members.hosts, members.users), (h.clone(), vec![olga.id]));

    let renamed = s
        .update_group(
            &admin,
            g,
            &Name::new("frontend").unwrap(),
            "web tier",
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(renamed.name.as_str(), "frontend");
    let clash = s
        .update_group(
            &admin,
            other,
            &Name::new("frontend").unwrap(),
            "",
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(clash, Err(StoreError::Conflict { what: "group" })));

    s.delete_group(&admin, g, &actor(), t0()).await.unwrap();
    assert!(matches!(
        s.group_members(g).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(
        s.get_host(&admin_scope(), h[0])
            .await
            .unwrap()
            .groups
            .is_empty(),
        "the host stays, ungrouped"
    );
    assert!(s.get_user(olga.id).await.unwrap().groups.is_empty());
}

async fn summaries_show_credential_state_never_secrets(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let g = group(s, "web").await;
    let carol = s
        .create_user_with_password(
            &admin,
            &Username::new("carol").unwrap(),
            Role::Operator,
            &[g, g],
            PHC,
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(carol.groups, vec![g], "a group named twice is joined once");
    let (dave, _) = operator(s, "dave", &[]).await;

    let fresh = s.get_user_summary(&admin.into(), carol.id).await.unwrap();
    assert!(fresh.password_set && !fresh.totp && fresh.mfa_enrolled_at.is_none());
    assert_eq!((fresh.last_login_at, fresh.locked_until), (None, None));
    assert!(
        !s.get_user_summary(&admin.into(), dave.id)
            .await
            .unwrap()
            .password_set
    );

    // Carol enrols TOTP, gets recovery codes, logs in, then trips the soft lock.
    let who = user_actor(&carol);
    s.begin_totp_enrolment(carol.id, "JBSWY3DPEHPK3PXP", &who, t0())
        .await
        .unwrap();
    s.confirm_mfa(carol.id, "totp", &who, t0()).await.unwrap();
    s.replace_recovery_codes(carol.id, &["h1".into(), "h2".into()], &who, t0())
        .await
        .unwrap();
    s.use_recovery_code(carol.id, "h1", &who, t0())
        .await
        .unwrap();
    let login = t0() + Duration::minutes(5);
    s.record_login_success(carol.id, "pwd+totp", &who, login)
        .await
        .unwrap();
    let policy = LockPolicy {
        free_failures: 1,
        ..LockPolicy::default()
    };
    let locked = s
        .record_login_failure(carol.id, &policy, &who, login)
        .await
        .unwrap();
    let summary = s.get_user_summary(&admin.into(), carol.id).await.unwrap();
    assert!(summary.totp);
    assert_eq!(summary.mfa_enrolled_at, Some(t0()));
    assert_eq!(
        (summary.recovery_codes_left, summary.webauthn_credentials),
        (1, 0)
    );
    assert_eq!(summary.last_login_at, Some(login));
    assert_eq!(summary.locked_until, locked);
    assert!(locked.is_some());
    let json = serde_json::to_string(&summary).unwrap();
    assert!(
        !json.contains("argon2") && !json.contains("JBSWY3DP"),
        "{json}"
    );

    // Sorting: by last login puts never-logged-in accounts last either way.
    for direction in [Direction::Ascending, Direction::Descending] {
        let query = UserQuery {
            sort: UserSort::LastLogin,
            direction,
            ..UserQuery::default()
        };
        let page = s
            .list_users(&admin.into(), &query, PageRequest::default())
            .await
            .unwrap();
        let names: Vec<&str> = page
            .items
            .iter()
            .map(|u| u.user.username.as_str())
            .collect();
        assert_eq!(names, ["carol", "dave"]);
    }
    let by_name_desc = UserQuery {
        direction: Direction::Descending,
        ..UserQuery::default()
    };
    let page = s
        .list_users(
            &admin.into(),
            &by_name_desc,
            PageRequest::new(1, 1).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            page.total,
            page.items[0].user.id,
            page.items[0].user.groups.is_empty()
        ),
        (2, dave.id, true)
    );

    // A reset replaces the password, lifts the lock and ends the sessions.
    s.issue_refresh_token(carol.id, "f", "tok", login, Duration::hours(12), None, None)
        .await
        .unwrap();
    let later = login + Duration::minutes(1);
    s.reset_password(&admin, carol.id, PHC, &actor(), later)
        .await
        .unwrap();
    assert_eq!(
        s.get_user_summary(&admin.into(), carol.id)
            .await
            .unwrap()
            .locked_until,
        None
    );
    assert_eq!(
        s.rotate_refresh_token("tok", "tok2", Duration::hours(1), later)
            .await
            .unwrap(),
        RefreshOutcome::Revoked
    );
    assert_eq!(
        s.sessions_revoked_since(carol.id).await.unwrap(),
        Some(later)
    );
    assert!(matches!(
        s.reset_password(&admin, carol.id, "plain text", &actor(), later)
            .await,
        Err(StoreError::Invalid {
            field: "password_hash",
            ..
        })
    ));
    assert!(matches!(
        s.reset_password(&admin, UserId::new(9999).unwrap(), PHC, &actor(), later)
            .await,
        Err(StoreError::NotFound { what: "user" })
    ));
    let taken = s
        .create_user_with_password(
            &admin,
            &Username::new("carol").unwrap(),
            Role::Admin,
            &[],
            PHC,
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict { what: "user" })));
    let unknown_group = s
        .create_user_with_password(
            &admin,
            &Username::new("erin").unwrap(),
            Role::Operator,
            &[GroupId::new(9999).unwrap()],
            PHC,
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(
        unknown_group,
        Err(StoreError::NotFound { what: "group" })
    ));
    assert!(
        s.credentials(&Username::new("erin").unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_user_change_is_all_or_nothing(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let g = group(s, "web").await;
    let root = s
        .create_user(
            &admin,
            &Username::new("root-admin").unwrap(),
            Role::Admin,
            &[],
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let audit_before = s.verify_audit().await.unwrap().rows_checked;
    // Groups would be fine, disabling the last admin is not: neither happens.
    let refused = s
        .change_user(
            &admin,
            root.id,
            &UserChanges {
                groups: Some(vec![g]),
                disabled: Some(true),
                ..UserChanges::default()
            },
            &actor(),
            t0(),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    let unchanged = s.get_user(root.id).await.unwrap();
    assert!(unchanged.groups.is_empty() && !unchanged.disabled);
    assert_eq!(s.verify_audit().await.unwrap().rows_checked, audit_before);

    // An unknown group leaves the role alone too.
    let (olga, _) = operator(s, "olga", &[g]).await;
    let refused = s
        .change_user(
            &admin,
            olga.id,
            &UserChanges {
                role: Some(Role::Admin),
                groups: Some(vec![GroupId::new(9999).unwrap()]),
                disabled: None,
            },
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::NotFound { what: "group" })
    ));
    assert_eq!(s.get_user(olga.id).await.unwrap().role, Role::Operator);

    let changed = s
        .change_user(
            &admin,
            olga.id,
            &UserChanges {
                role: Some(Role::Admin),
                groups: Some(vec![]),
                disabled: Some(true),
            },
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(
        (changed.role, changed.groups.len(), changed.disabled),
        (Role::Admin, 0, true)
    );
    let actions = s
        .testing_strings("SELECT action FROM audit_log ORDER BY id DESC LIMIT 2")
        .await
        .unwrap();
    assert_eq!(actions, ["user.disabled", "user.updated"]);
}

async fn groups_are_listed_in_scope_with_counts(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let (web, db, ops) = (
        group(s, "web").await,
        group(s, "db").await,
        group(s, "ops").await,
    );
    let web_hosts = hosts(s, 2, &[web]).await;
    let (olga, olga_scope) = operator(s, "olga", &[web, db]).await;
    operator(s, "bob", &[web]).await;

    let all = s
        .list_group_summaries(
            &admin_scope(),
            &GroupQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    let rows: Vec<(&str, i64, i64)> = all
        .items
        .iter()
        .map(|g| (g.group.name.as_str(), g.host_count, g.user_count))
        .collect();
    assert_eq!(rows, [("db", 0, 1), ("ops", 0, 0), ("web", 2, 2)]);

    let busiest = GroupQuery {
        sort: GroupSort::Users,
        direction: Direction::Descending,
        search: Some("B".into()),
    };
    let mine = s
        .list_group_summaries(&olga_scope, &busiest, PageRequest::default())
        .await
        .unwrap();
    let names: Vec<&str> = mine.items.iter().map(|g| g.group.name.as_str()).collect();
    assert_eq!((mine.total, names), (2, vec!["web", "db"]));
    assert!(matches!(
        s.get_group_summary(&olga_scope, ops).await,
        Err(StoreError::NotFound { what: "group" })
    ));
    assert_eq!(
        s.get_group_summary(&olga_scope, web)
            .await
            .unwrap()
            .host_count,
        2
    );
    let (_, nobody) = operator(s, "nobody", &[]).await;
    assert_eq!(
        s.list_group_summaries(&nobody, &GroupQuery::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );

    // Memberships are replaced whole; an unknown member changes nothing.
    let members = s
        .set_group_hosts(&admin, ops, &[web_hosts[1], web_hosts[1]], &actor(), t0())
        .await
        .unwrap();
    assert_eq!(members.hosts, vec![web_hosts[1]]);
    assert_eq!(
        s.get_host(&admin_scope(), web_hosts[1])
            .await
            .unwrap()
            .groups,
        vec![web, ops]
    );
    let refused = s
        .set_group_hosts(
            &admin,
            ops,
            &[web_hosts[0], HostId::new(9999).unwrap()],
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::NotFound { what: "host" })
    ));
    assert_eq!(
        s.group_members(ops).await.unwrap().hosts,
        vec![web_hosts[1]]
    );

    let members = s
        .set_group_users(&admin, web, &[olga.id], &actor(), t0())
        .await
        .unwrap();
    assert_eq!(
        (members.users, members.hosts),
        (vec![olga.id], web_hosts.clone())
    );
    let refused = s
        .set_group_users(&admin, web, &[UserId::new(9999).unwrap()], &actor(), t0())
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::NotFound { what: "user" })
    ));
    assert!(matches!(
        s.set_group_users(&admin, GroupId::new(9999).unwrap(), &[], &actor(), t0())
            .await,
        Err(StoreError::NotFound { what: "group" })
    ));
    let actions = s
        .testing_strings(
            "SELECT action FROM audit_log WHERE action LIKE 'group.%_changed' ORDER BY id",
        )
        .await
        .unwrap();
    assert_eq!(actions, ["group.hosts_changed", "group.users_changed"]);
}

crate::on_both_backends!(
    users_are_listed_changed_and_disabled,
    groups_are_renamed_and_deleted,
    summaries_show_credential_state_never_secrets,
    a_user_change_is_all_or_nothing,
    groups_are_listed_in_scope_with_counts
);
