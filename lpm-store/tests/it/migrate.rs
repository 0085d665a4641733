//! Migrations: idempotent, race-free on PostgreSQL, and a worker that waits for the schema.

use std::time::Duration;

use lpm_store::testing::TempPostgres;
use lpm_store::{BackendKind, Store, StoreError, StoreOptions};

use crate::harness::TestStore;

async fn applying_twice_changes_nothing(t: TestStore) {
    let version = t.store.schema_version().await.unwrap();
    assert_eq!(version, Some(t.store.expected_schema_version()));
    t.store.migrate().await.unwrap();
    let again = Store::open(&t.url, &StoreOptions::default()).await.unwrap();
    assert_eq!(again.schema_version().await.unwrap(), version);
    again.ping().await.unwrap();
}

async fn the_audit_chain_starts_empty_and_intact(t: TestStore) {
    let report = t.store.verify_audit().await.unwrap();
    assert!(report.is_intact());
    assert_eq!(report.rows_checked, 0);
}

crate::on_both_backends!(
    applying_twice_changes_nothing,
    the_audit_chain_starts_empty_and_intact
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_startups_do_not_race() {
    let url = TempPostgres::shared().fresh_database().await.unwrap();
    let opens = (0..4).map(|_| {
        let url = url.clone();
        tokio::spawn(async move { Store::open(&url, &StoreOptions::default()).await })
    });
    for handle in opens {
        let store = handle.await.unwrap().unwrap();
        assert_eq!(store.backend(), BackendKind::Postgres);
        assert_eq!(
            store.schema_version().await.unwrap(),
            Some(store.expected_schema_version())
        );
    }
}

#[tokio::test]
async fn postgres_worker_waits_for_the_expected_schema() {
    let url = TempPostgres::shared().fresh_database().await.unwrap();
    let worker = Store::connect(&url, &StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(worker.schema_version().await.unwrap(), None);
    let early = worker
        .wait_for_schema(Duration::from_millis(300), Duration::from_millis(50))
        .await;
    assert!(
        matches!(early, Err(StoreError::SchemaMismatch { found: None, .. })),
        "{early:?}"
    );

    let waiting = tokio::spawn({
        let worker = worker.clone();
        async move {
            worker
                .wait_for_schema(Duration::from_secs(30), Duration::from_millis(50))
                .await
        }
    });
    let web = Store::open(&url, &StoreOptions::default()).await.unwrap();
    waiting.await.unwrap().unwrap();
    assert_eq!(
        web.schema_version().await.unwrap(),
        worker.schema_version().await.unwrap()
    );
}

#[tokio::test]
async fn sqlite_in_memory_works() {
    let store = Store::open("sqlite::memory:", &StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(store.backend(), BackendKind::Sqlite);
    assert!(store.verify_audit().await.unwrap().is_intact());
}

#[tokio::test]
async fn bad_urls_are_refused() {
    let err = Store::open("mysql://x", &StoreOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Config(_)), "{err}");
}
