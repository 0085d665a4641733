//! Hosts, groups and users: scope is enforced in the queries, bad input writes nothing.

use lpm_core::model::{HostAddress, HostStatus, Role};
use lpm_core::net::{Fqdn, Port};
use lpm_core::rbac::Scope;
use lpm_store::fleet::{HostQuery, HostSort};
use lpm_store::{Direction, PageRequest, StoreError};

use crate::harness::{TestStore, actor, admin_scope, group, hosts, operator, t0, user_actor};

async fn operators_see_their_groups_and_ungrouped_hosts_only(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "alpha").await, group(s, "beta").await);
    let in_a = hosts(s, 2, &[a]).await;
    let in_b = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(100),
            &[b],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let ungrouped = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(200),
            &[],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let (user, scope) = operator(s, "olga", &[a]).await;

    let page = s
        .list_hosts(&scope, &HostQuery::default(), PageRequest::default())
        .await
        .unwrap();
    let mut seen: Vec<_> = page.items.iter().map(|h| h.id).collect();
    seen.sort();
    let mut expected = vec![in_a[0], in_a[1], ungrouped];
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(page.total, 3);

    // Out of scope looks exactly like absent, for reads and writes.
    assert!(matches!(
        s.get_host(&scope, in_b).await,
        Err(StoreError::NotFound { what: "host" })
    ));
    let audit_before = s.verify_audit().await.unwrap().rows_checked;
    let del = s.delete_host(&scope, in_b, &user_actor(&user), t0()).await;
    assert!(matches!(del, Err(StoreError::NotFound { .. })));
    assert!(
        s.get_host(&admin_scope(), in_b).await.is_ok(),
        "the host is still there"
    );
    assert_eq!(
        s.verify_audit().await.unwrap().rows_checked,
        audit_before,
        "nothing was audited"
    );

    // An operator cannot register a host into someone else's group.
    let other = s
        .create_host(
            &scope,
            &crate::harness::ip_host(300),
            &[b],
            &user_actor(&user),
            t0(),
        )
        .await;
    assert!(matches!(other, Err(StoreError::NotFound { what: "group" })));
    // ...or move one of theirs out of reach.
    let moved = s
        .set_host_groups(&scope, in_a[0], &[b], &user_actor(&user), t0())
        .await;
    assert!(matches!(moved, Err(StoreError::NotFound { what: "group" })));

    // Admins see everything.
    let all = s
        .list_hosts(
            &admin_scope(),
            &HostQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(all.total, 4);
    assert_eq!(user.role, Role::Operator);
}

async fn bad_input_is_refused_and_writes_nothing(t: TestStore) {
    let s = &t.store;
    let name = Fqdn::new("web-01.example.com").unwrap();
    let address = HostAddress::new(Some(name.clone()), None, Port::default()).unwrap();
    s.create_host(&admin_scope(), &address, &[], &actor(), t0())
        .await
        .unwrap();
    let rows = s.verify_audit().await.unwrap().rows_checked;

    let twice = s
        .create_host(&admin_scope(), &address, &[], &actor(), t0())
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict { what: "host" })),
        "{twice:?}"
    );

    let missing_group = lpm_core::ids::GroupId::new(999).unwrap();
    let address2 = HostAddress::new(
        Some(Fqdn::new("web-02.example.com").unwrap()),
        None,
        Port::default(),
    )
    .unwrap();
    let orphan = s
        .create_host(&admin_scope(), &address2, &[missing_group], &actor(), t0())
        .await;
    assert!(
        matches!(orphan, Err(StoreError::NotFound { what: "group" })),
        "{orphan:?}"
    );

    let all = s
        .list_hosts(
            &admin_scope(),
            &HostQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(all.total, 1, "neither failed insert left a host behind");
    assert_eq!(
        s.verify_audit().await.unwrap().rows_checked,
        rows,
        "failed changes audit nothing"
    );

    assert!(PageRequest::new(0, 50).is_err());
    assert!(PageRequest::new(1, 501).is_err());
}

async fn host_lists_filter_sort_and_paginate(t: TestStore) {
    let s = &t.store;
    let g = group(s, "web").await;
    for i in 0..7u32 {
        let fqdn = Fqdn::new(&format!("host-{i}.example.com")).unwrap();
        let address = HostAddress::new(Some(fqdn), None, Port::default()).unwrap();
        let groups = if i % 2 == 0 { vec![g] } else { vec![] };
        s.create_host(&admin_scope(), &address, &groups, &actor(), t0())
            .await
            .unwrap();
    }
    let query = HostQuery {
        sort: HostSort::Name,
        direction: Direction::Descending,
        ..Default::default()
    };
    let p1 = s
        .list_hosts(&admin_scope(), &query, PageRequest::new(1, 3).unwrap())
        .await
        .unwrap();
    let p3 = s
        .list_hosts(&admin_scope(), &query, PageRequest::new(3, 3).unwrap())
        .await
        .unwrap();
    let names: Vec<String> = p1.items.iter().map(|h| h.address.display_name()).collect();
    assert_eq!(
        names,
        [
            "host-6.example.com",
            "host-5.example.com",
            "host-4.example.com"
        ]
    );
    assert_eq!((p1.total, p3.items.len()), (7, 1));

    let in_group = HostQuery {
        group: Some(g),
        ..Default::default()
    };
    let grouped = s
        .list_hosts(&admin_scope(), &in_group, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(grouped.total, 4);
    assert!(grouped.items.iter().all(|h| h.groups == vec![g]));

    let search = HostQuery {
        search: Some("HOST-3".into()),
        ..Default::default()
    };
    let found = s
        .list_hosts(&admin_scope(), &search, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    let wildcard = HostQuery {
        search: Some("%".into()),
        status: Some(HostStatus::Healthy),
        ..Default::default()
    };
    assert_eq!(
        s.list_hosts(&admin_scope(), &wildcard, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

async fn disabled_users_get_no_scope(t: TestStore) {
    let s = &t.store;
    let (user, _) = operator(s, "dave", &[]).await;
    s.testing_execute(&format!(
        "UPDATE users SET disabled = TRUE WHERE id = {}",
        user.id
    ))
    .await
    .unwrap();
    let reloaded = s.get_user(user.id).await.unwrap();
    assert!(reloaded.disabled);
    assert!(Scope::for_user(&reloaded).is_err());
}

crate::on_both_backends!(
    operators_see_their_groups_and_ungrouped_hosts_only,
    bad_input_is_refused_and_writes_nothing,
    host_lists_filter_sort_and_paginate,
    disabled_users_get_no_scope,
);
