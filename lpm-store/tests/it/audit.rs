//! The audit chain: 10,000 rows verify, and every kind of tampering is named at its first row.

use chrono::Duration;
use lpm_core::ids::UserId;
use lpm_store::audit::{AuditEntry, AuditFilter, AuditSort, BreakKind, BrokenRow};
use lpm_store::{Direction, PageRequest, Store};

use crate::harness::{TestStore, t0, timestamp_literal};

fn entry(i: usize) -> AuditEntry {
    AuditEntry::new(
        UserId::new(1 + (i % 3) as i64).ok(),
        "alice",
        if i.is_multiple_of(2) {
            "host.created"
        } else {
            "auth.login"
        },
        "host",
    )
    .target(i)
    .from_ip("192.0.2.1")
    .details(serde_json::json!({ "n": i, "note": "ünïcode ✓" }))
}

async fn seed(s: &Store, n: usize) {
    let entries: Vec<AuditEntry> = (0..n).map(entry).collect();
    for (i, chunk) in entries.chunks(1000).enumerate() {
        s.audit_many(chunk, t0() + Duration::seconds(i as i64))
            .await
            .unwrap();
    }
}

async fn broken(s: &Store) -> Option<BrokenRow> {
    s.verify_audit().await.unwrap().first_broken
}

async fn ten_thousand_rows_verify_and_tampering_is_found(t: TestStore) {
    let s = &t.store;
    seed(s, 10_000).await;
    let report = s.verify_audit().await.unwrap();
    assert_eq!(
        (report.rows_checked, report.first_broken.clone()),
        (10_000, None)
    );

    // Change each field of some row, check it is named, put it back.
    let changes = [
        ("actor", "'mallory'"),
        ("action", "'host.deleted'"),
        ("target_type", "'user'"),
        ("target_id", "'99999'"),
        ("target_id", "NULL"),
        ("ip", "'203.0.113.9'"),
        ("details", "'{}'"),
        ("actor_id", "NULL"),
        ("at", &timestamp_literal(s, t0() + Duration::days(1))),
        ("row_hash", "'00'"),
    ];
    for (n, (column, value)) in changes.iter().enumerate() {
        let id = 1 + (n * 997) % 10_000;
        let original = s
            .testing_strings(&format!("SELECT row_hash FROM audit_log WHERE id = {id}"))
            .await
            .unwrap();
        s.testing_execute(&format!(
            "CREATE TABLE saved AS SELECT * FROM audit_log WHERE id = {id}"
        ))
        .await
        .unwrap();
        s.testing_execute(&format!(
            "UPDATE audit_log SET {column} = {value} WHERE id = {id}"
        ))
        .await
        .unwrap();
        let found = broken(s)
            .await
            .unwrap_or_else(|| panic!("changing {column} of row {id} went unnoticed"));
        assert_eq!(found.id, id as i64, "{column}");
        assert_eq!(found.kind, BreakKind::ContentsChanged, "{column}");
        s.testing_execute(&format!("DELETE FROM audit_log WHERE id = {id}"))
            .await
            .unwrap();
        s.testing_execute("INSERT INTO audit_log SELECT * FROM saved")
            .await
            .unwrap();
        s.testing_execute("DROP TABLE saved").await.unwrap();
        assert_eq!(broken(s).await, None, "restored");
        assert_eq!(original.len(), 1);
    }

    // Swap the contents of rows 500 and 501 (ids stay): row 500 no longer follows row 499.
    s.testing_execute("UPDATE audit_log SET id = -1 WHERE id = 500")
        .await
        .unwrap();
    s.testing_execute("UPDATE audit_log SET id = 500 WHERE id = 501")
        .await
        .unwrap();
    s.testing_execute("UPDATE audit_log SET id = 501 WHERE id = -1")
        .await
        .unwrap();
    assert_eq!(
        broken(s).await,
        Some(BrokenRow {
            id: 500,
            kind: BreakKind::LinkBroken
        })
    );
    s.testing_execute("UPDATE audit_log SET id = -1 WHERE id = 500")
        .await
        .unwrap();
    s.testing_execute("UPDATE audit_log SET id = 500 WHERE id = 501")
        .await
        .unwrap();
    s.testing_execute("UPDATE audit_log SET id = 501 WHERE id = -1")
        .await
        .unwrap();
    assert_eq!(broken(s).await, None);

    // Delete a row in the middle: the next one is named.
    s.testing_execute("DELETE FROM audit_log WHERE id = 7000")
        .await
        .unwrap();
    assert_eq!(
        broken(s).await,
        Some(BrokenRow {
            id: 7001,
            kind: BreakKind::RowsMissing
        })
    );
}

async fn rewriting_a_row_consistently_still_breaks_the_next_link(t: TestStore) {
    let s = &t.store;
    seed(s, 20).await;
    // A forger recomputes row 10's hash after editing it; row 11 still points at the old hash.
    let mut forged = s
        .list_audit(&AuditFilter::default(), PageRequest::new(1, 500).unwrap())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|r| r.id == 10)
        .unwrap();
    forged.actor = "mallory".into();
    let hash = forged.compute_hash();
    s.testing_execute(&format!(
        "UPDATE audit_log SET actor = 'mallory', row_hash = '{hash}' WHERE id = 10"
    ))
    .await
    .unwrap();
    assert_eq!(
        broken(s).await,
        Some(BrokenRow {
            id: 11,
            kind: BreakKind::LinkBroken
        })
    );
}

async fn cutting_rows_off_the_end_is_found(t: TestStore) {
    let s = &t.store;
    seed(s, 20).await;
    s.testing_execute("DELETE FROM audit_log WHERE id >= 19")
        .await
        .unwrap();
    assert_eq!(
        broken(s).await,
        Some(BrokenRow {
            id: 20,
            kind: BreakKind::Truncated
        })
    );
}

async fn pruning_keeps_the_rest_verifiable(t: TestStore) {
    let s = &t.store;
    seed(s, 3000).await; // written at t0, t0+1s, t0+2s per thousand
    let deleted = s
        .prune_audit(t0() + Duration::seconds(2), t0() + Duration::days(200))
        .await
        .unwrap();
    assert_eq!(deleted, 2000);
    let report = s.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(
        (report.pruned_through, report.rows_checked),
        (2000, 1001),
        "the prune itself is recorded"
    );
    assert_eq!(s.prune_audit(t0(), t0()).await.unwrap(), 0);
    // Tampering after a prune is still found.
    s.testing_execute("UPDATE audit_log SET actor = 'x' WHERE id = 2001")
        .await
        .unwrap();
    assert_eq!(broken(s).await.map(|b| b.id), Some(2001));
}

async fn lists_filter_and_page(t: TestStore) {
    let s = &t.store;
    seed(s, 30).await;
    let auth = AuditFilter {
        action_prefix: Some("auth.".into()),
        ..Default::default()
    };
    let page = s
        .list_audit(&auth, PageRequest::new(1, 10).unwrap())
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (15, 10));
    assert!(
        page.items.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    assert!(page.items.iter().all(|r| r.action == "auth.login"));
    let by_actor = AuditFilter {
        actor_id: UserId::new(2).ok(),
        ..Default::default()
    };
    assert_eq!(
        s.list_audit(&by_actor, PageRequest::default())
            .await
            .unwrap()
            .total,
        10
    );
    let none = AuditFilter {
        since: Some(t0() + Duration::days(1)),
        ..Default::default()
    };
    assert_eq!(
        s.list_audit(&none, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    let row = &page.items[0];
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&row.details).unwrap()["note"],
        "ünïcode ✓"
    );
}

async fn lists_filter_by_actor_and_target_and_sort(t: TestStore) {
    let s = &t.store;
    let later = AuditEntry::new(None, "system", "job.created", "job").target(7);
    let earlier = AuditEntry::new(None, "bob", "job.cancelled", "job").target(7);
    let other = AuditEntry::new(None, "bob", "host.created", "host").target(7);
    s.audit(&later, t0() + Duration::hours(1)).await.unwrap();
    s.audit(&earlier, t0()).await.unwrap();
    s.audit(&other, t0()).await.unwrap();
    let ids = |filter: AuditFilter| async move {
        s.list_audit(&filter, PageRequest::default())
            .await
            .unwrap()
            .items
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    let job_7 = AuditFilter {
        target_type: Some("job".into()),
        target_id: Some("7".into()),
        ..Default::default()
    };
    assert_eq!(ids(job_7.clone()).await, vec![2, 1]);
    let bob = AuditFilter {
        actor: Some("bob".into()),
        ..Default::default()
    };
    assert_eq!(ids(bob).await, vec![3, 2]);
    let by_time = AuditFilter {
        sort: Some((AuditSort::Time, Direction::Ascending)),
        ..job_7.clone()
    };
    assert_eq!(
        ids(by_time).await,
        vec![2, 1],
        "recorded time, not position"
    );
    let by_id = AuditFilter {
        sort: Some((AuditSort::Id, Direction::Ascending)),
        ..job_7
    };
    assert_eq!(ids(by_id).await, vec![1, 2]);
}

async fn ranges_verify_like_the_whole_chain(t: TestStore) {
    let s = &t.store;
    seed(s, 100).await;
    let whole = s.verify_audit().await.unwrap();
    assert_eq!((whole.rows_checked, whole.head_id), (100, 100));
    assert_eq!(whole.head_hash.len(), 64);
    let middle = s.verify_audit_range(Some(20), Some(29)).await.unwrap();
    assert_eq!((middle.rows_checked, middle.first_broken), (10, None));
    let beyond = s.verify_audit_range(Some(500), None).await.unwrap();
    assert_eq!((beyond.rows_checked, beyond.first_broken), (0, None));

    s.testing_execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 50")
        .await
        .unwrap();
    let from_start = s.verify_audit_range(None, Some(60)).await.unwrap();
    assert_eq!(
        from_start.first_broken,
        Some(BrokenRow {
            id: 50,
            kind: BreakKind::ContentsChanged
        })
    );
    assert_eq!(
        s.verify_audit_range(Some(51), None)
            .await
            .unwrap()
            .first_broken,
        None,
        "a range after the change holds (its first row links to the changed row's hash)"
    );
    assert_eq!(
        s.verify_audit_range(Some(1), Some(49))
            .await
            .unwrap()
            .first_broken,
        None
    );

    s.testing_execute("DELETE FROM audit_log WHERE id IN (69, 70)")
        .await
        .unwrap();
    assert_eq!(
        s.verify_audit_range(Some(71), Some(80))
            .await
            .unwrap()
            .first_broken,
        Some(BrokenRow {
            id: 71,
            kind: BreakKind::RowsMissing
        }),
        "the row before the range is gone"
    );
    assert_eq!(
        s.verify_audit_range(Some(60), Some(70))
            .await
            .unwrap()
            .first_broken,
        Some(BrokenRow {
            id: 70,
            kind: BreakKind::RowsMissing
        }),
        "rows missing at the end of the range"
    );
    s.testing_execute("DELETE FROM audit_log WHERE id = 100")
        .await
        .unwrap();
    assert_eq!(
        s.verify_audit_range(Some(90), None)
            .await
            .unwrap()
            .first_broken,
        Some(BrokenRow {
            id: 100,
            kind: BreakKind::Truncated
        })
    );
}

crate::on_both_backends!(
    lists_filter_by_actor_and_target_and_sort,
    ranges_verify_like_the_whole_chain,
    ten_thousand_rows_verify_and_tampering_is_found,
    rewriting_a_row_consistently_still_breaks_the_next_link,
    cutting_rows_off_the_end_is_found,
    pruning_keeps_the_rest_verifiable,
    lists_filter_and_page,
);
