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

/// SQLite cannot alter a CHECK constraint, so adding the auditor role rebuilds `users`: the
/// rows, their ids (and the id sequence) and every foreign key that points at them survive.
#[tokio::test]
async fn sqlite_users_rebuild_keeps_rows_ids_and_references() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lpm.db");
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let migrator = sqlx::migrate::Migrator::new(migrations).await.unwrap();
    migrator.run_to(7, &pool).await.unwrap();
    let now = "2026-01-01T00:00:00Z";
    for name in ["alice", "bob", "carol"] {
        sqlx::query(
            "INSERT INTO users (username, role, created_at, updated_at) VALUES ($1, 'operator', $2, $2)",
        )
        .bind(name)
        .bind(now)
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query("DELETE FROM users WHERE username = 'carol'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, last_used_at, expires_at) \
         VALUES (1, 'f', 'h', $1, $1, $1)",
    )
    .bind(now)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO patch_jobs (kind, state, schedule, options, created_by, created_at, host_count) \
         VALUES ('reboot', 'queued', 'immediate', '{}', 2, $1, 0)",
    )
    .bind(now)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
    assert_eq!(
        store.schema_version().await.unwrap(),
        Some(store.expected_schema_version())
    );
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(&path)
                .foreign_keys(true),
        )
        .await
        .unwrap();
    let users: Vec<(i64, String)> = sqlx::query_as("SELECT id, username FROM users ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(users, [(1, "alice".to_owned()), (2, "bob".to_owned())]);
    let broken: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");

    // The new role is accepted; carol's id is not handed out again.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, role, created_at, updated_at) VALUES ('dora', 'auditor', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(id, 4);

    // The foreign keys point at the new table: deleting a user still cascades and nulls.
    sqlx::query("DELETE FROM users WHERE id IN (1, 2)")
        .execute(&pool)
        .await
        .unwrap();
    let tokens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM refresh_tokens")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(tokens, 0);
    let creator: Option<i64> = sqlx::query_scalar("SELECT created_by FROM patch_jobs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(creator, None);
}
