//! Maintenance windows in the store, and bad input that never gets that far.

use chrono::{Duration, NaiveTime, TimeZone, Utc, Weekday};
use lpm_core::model::Name;
use lpm_core::net::{Cidr, Fqdn};
use lpm_core::window::{MaintenanceWindow, Recurrence, WindowError};
use lpm_store::windows::{WindowQuery, WindowSort};
use lpm_store::{Direction, PageRequest, StoreError};

use crate::harness::{TestStore, actor, admin_scope, group, hosts, operator, t0, user_actor};

fn sunday_night() -> MaintenanceWindow {
    let rule = Recurrence::weekly([Weekday::Sun]).unwrap();
    let start = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
    MaintenanceWindow::recurring(rule, start, Duration::hours(3), "Europe/Berlin").unwrap()
}

async fn windows_round_trip_in_scope(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let mine = hosts(s, 1, &[a]).await[0];
    let theirs = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(9),
            &[b],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let (user, scope) = operator(s, "op", &[a]).await;
    let who = user_actor(&user);
    let name = Name::new("Sunday night").unwrap();

    let stored = s
        .create_window(&scope, mine, &name, &sunday_night(), &who, t0())
        .await
        .unwrap();
    let listed = s.list_windows(&scope, mine).await.unwrap();
    assert_eq!(listed, vec![stored.clone()]);
    assert_eq!(
        listed[0].window.next_opening(t0()),
        sunday_night().next_opening(t0())
    );

    let foreign = s
        .create_window(&scope, theirs, &name, &sunday_night(), &who, t0())
        .await;
    assert!(matches!(
        foreign,
        Err(StoreError::NotFound { what: "host" })
    ));
    assert!(matches!(
        s.list_windows(&scope, theirs).await,
        Err(StoreError::NotFound { .. })
    ));

    let admins_view = s
        .create_window(
            &admin_scope(),
            theirs,
            &name,
            &sunday_night(),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let in_scope = s.windows_in_scope(&scope).await.unwrap();
    assert_eq!(in_scope, vec![(stored.clone(), "10.0.0.1".to_owned())]);
    let everything = s.windows_in_scope(&admin_scope()).await.unwrap();
    assert_eq!(
        everything,
        vec![
            (stored.clone(), "10.0.0.1".to_owned()),
            (admins_view.clone(), "10.0.0.9".to_owned())
        ]
    );
    s.delete_window(&admin_scope(), admins_view.id, &actor(), t0())
        .await
        .unwrap();

    let by_host = s.windows_of_hosts(&[mine, theirs]).await.unwrap();
    assert_eq!((by_host[&mine].len(), by_host.get(&theirs)), (1, None));
    s.delete_window(&scope, stored.id, &who, t0())
        .await
        .unwrap();
    assert!(s.list_windows(&scope, mine).await.unwrap().is_empty());
    assert!(matches!(
        s.delete_window(&scope, stored.id, &who, t0()).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn bad_input_is_a_typed_error_and_writes_nothing(t: TestStore) {
    let s = &t.store;
    let rows_before = s.verify_audit().await.unwrap().rows_checked;
    // None of these values can be built, so none can reach the store.
    assert!(Fqdn::new("not a host").is_err());
    assert!(Cidr::new("10.0.0.0/33").is_err());
    let start = Utc.with_ymd_and_hms(2026, 5, 1, 2, 0, 0).unwrap();
    assert!(matches!(
        MaintenanceWindow::one_time(start, start - Duration::hours(1)),
        Err(WindowError::EndNotAfterStart { .. })
    ));
    let rule = Recurrence::weekly([Weekday::Sun]).unwrap();
    let at = NaiveTime::from_hms_opt(2, 0, 0).unwrap();
    assert!(matches!(
        MaintenanceWindow::recurring(rule.clone(), at, Duration::zero(), "UTC"),
        Err(WindowError::NonPositiveDuration { .. })
    ));
    assert!(matches!(
        MaintenanceWindow::recurring(rule.clone(), at, Duration::days(8), "UTC"),
        Err(WindowError::DurationTooLong { .. })
    ));
    assert!(matches!(
        MaintenanceWindow::recurring(rule, at, Duration::hours(1), "Mars/Olympus"),
        Err(WindowError::UnknownTimeZone { .. })
    ));
    // Nor through JSON, the way an API would receive them.
    let json = r#"{"kind":"recurring","rule":{"weekly":{"days":["sun"]}},"local_start":"02:30","duration_minutes":0,"time_zone":"UTC"}"#;
    assert!(serde_json::from_str::<MaintenanceWindow>(json).is_err());
    assert_eq!(s.verify_audit().await.unwrap().rows_checked, rows_before);
    assert!(
        s.testing_strings("SELECT name FROM maintenance_windows")
            .await
            .unwrap()
            .is_empty()
    );

    // A window corrupted behind the store's back is reported when read, not used.
    let host = hosts(s, 1, &[]).await[0];
    let w = s
        .create_window(
            &admin_scope(),
            host,
            &Name::new("w").unwrap(),
            &sunday_night(),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    s.testing_execute(&format!(
        "UPDATE maintenance_windows SET spec = replace(spec, '180', '0') WHERE id = {}",
        w.id
    ))
    .await
    .unwrap();
    assert!(matches!(
        s.list_windows(&admin_scope(), host).await,
        Err(StoreError::Corrupt(_))
    ));
}

async fn windows_are_updated_and_listed_in_scope(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let mine = hosts(s, 1, &[a]).await[0];
    let theirs = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(9),
            &[b],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let free = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(5),
            &[],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let (user, scope) = operator(s, "op", &[a]).await;
    let who = user_actor(&user);
    let name = |n: &str| Name::new(n).unwrap();
    let w_mine = s
        .create_window(
            &scope,
            mine,
            &name("Sunday night"),
            &sunday_night(),
            &who,
            t0(),
        )
        .await
        .unwrap();
    let w_free = s
        .create_window(&scope, free, &name("Anytime"), &sunday_night(), &who, t0())
        .await
        .unwrap();
    let w_theirs = s
        .create_window(
            &admin_scope(),
            theirs,
            &name("Theirs"),
            &sunday_night(),
            &actor(),
            t0(),
        )
        .await
        .unwrap();

    let start = Utc.with_ymd_and_hms(2026, 12, 1, 22, 0, 0).unwrap();
    let once = MaintenanceWindow::one_time(start, start + Duration::hours(2)).unwrap();
    let updated = s
        .update_window(&scope, w_mine.id, &name("Once"), &once, &who, t0())
        .await
        .unwrap();
    assert_eq!(
        (updated.host, updated.created_at),
        (mine, w_mine.created_at)
    );
    assert_eq!(s.get_window(&scope, w_mine.id).await.unwrap(), updated);
    assert_eq!(
        s.list_windows(&scope, mine).await.unwrap(),
        vec![updated.clone()]
    );
    for refused in [
        s.update_window(&scope, w_theirs.id, &name("x"), &once, &who, t0())
            .await,
        s.get_window(&scope, w_theirs.id).await,
    ] {
        assert!(matches!(
            refused,
            Err(StoreError::NotFound {
                what: "maintenance window"
            })
        ));
    }
    let details = s
        .testing_strings("SELECT details FROM audit_log WHERE action = 'window.updated'")
        .await
        .unwrap();
    assert!(
        details[0].contains("Sunday night") && details[0].contains("one_time"),
        "{details:?}"
    );

    let listed = s
        .list_windows_in_scope(&scope, &WindowQuery::default(), PageRequest::default())
        .await
        .unwrap();
    let rows: Vec<(i64, &str)> = listed
        .items
        .iter()
        .map(|l| (l.window.id.get(), l.host_name.as_str()))
        .collect();
    assert_eq!(
        (listed.total, rows),
        (
            2,
            vec![(w_mine.id.get(), "10.0.0.1"), (w_free.id.get(), "10.0.0.5")]
        )
    );
    let everything = WindowQuery {
        sort: WindowSort::Name,
        direction: Direction::Descending,
        ..WindowQuery::default()
    };
    let all = s
        .list_windows_in_scope(&admin_scope(), &everything, PageRequest::new(1, 2).unwrap())
        .await
        .unwrap();
    let names: Vec<&str> = all.items.iter().map(|l| l.window.name.as_str()).collect();
    assert_eq!((all.total, names), (3, vec!["Theirs", "Once"]));
    let search = WindowQuery {
        search: Some("10.0.0.9".into()),
        ..WindowQuery::default()
    };
    assert_eq!(
        s.list_windows_in_scope(&scope, &search, PageRequest::default())
            .await
            .unwrap()
            .total,
        0,
        "another group's host is not found by search either"
    );
    let one_host = WindowQuery {
        host: Some(theirs),
        ..WindowQuery::default()
    };
    let found = s
        .list_windows_in_scope(&admin_scope(), &one_host, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(found.items[0].window, w_theirs);
}

crate::on_both_backends!(
    windows_round_trip_in_scope,
    windows_are_updated_and_listed_in_scope,
    bad_input_is_a_typed_error_and_writes_nothing
);
