//! Managing users and groups: lists, changes, disabling, and the last-admin guard.

use chrono::Duration;
use lpm_core::model::{Name, Role, Username};
use lpm_store::accounts::UserQuery;
use lpm_store::auth::RefreshOutcome;
use lpm_store::{PageRequest, StoreError};

use crate::harness::{TestStore, actor, admin_scope, group, hosts, operator, t0};

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
        .list_users(&admin, &UserQuery::default(), PageRequest::default())
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
        .list_users(&admin, &ops, PageRequest::default())
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
        s.list_users(&admin, &disabled, PageRequest::default())
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

crate::on_both_backends!(
    users_are_listed_changed_and_disabled,
    groups_are_renamed_and_deleted
);
