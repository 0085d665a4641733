//! Runtime configuration and the worker heartbeat.

use chrono::Duration;

use crate::harness::{TestStore, actor, admin_scope, t0};

async fn config_values_round_trip_and_are_audited(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    assert_eq!(
        s.config_get::<u64>("poll.health_interval_s").await.unwrap(),
        None
    );
    s.config_set(&admin, "poll.health_interval_s", &300u64, &actor(), t0())
        .await
        .unwrap();
    s.config_set(&admin, "poll.health_interval_s", &60u64, &actor(), t0())
        .await
        .unwrap();
    assert_eq!(
        s.config_get::<u64>("poll.health_interval_s").await.unwrap(),
        Some(60)
    );
    let rows = s
        .testing_strings(
            "SELECT details FROM audit_log WHERE action = 'settings.changed' ORDER BY id",
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&rows[1]).unwrap(),
        serde_json::json!({"from": 300, "to": 60})
    );
    assert!(s.config_set(&admin, "", &1, &actor(), t0()).await.is_err());
    assert!(
        s.config_get::<String>("poll.health_interval_s")
            .await
            .is_err(),
        "a type mismatch is an error, not a default"
    );
}

async fn a_stale_heartbeat_means_no_live_worker(t: TestStore) {
    let s = &t.store;
    let stale_after = Duration::seconds(90);
    assert!(
        !s.worker_alive(t0(), stale_after).await.unwrap(),
        "no worker yet"
    );
    s.heartbeat("w1", "box", "0.1.0", t0(), t0()).await.unwrap();
    s.heartbeat("w1", "box", "0.1.0", t0(), t0() + Duration::seconds(30))
        .await
        .unwrap();
    assert!(
        s.worker_alive(t0() + Duration::seconds(60), stale_after)
            .await
            .unwrap()
    );
    assert!(
        !s.worker_alive(t0() + Duration::seconds(121), stale_after)
            .await
            .unwrap()
    );
    assert_eq!(s.heartbeats().await.unwrap().len(), 1);
}

crate::on_both_backends!(
    config_values_round_trip_and_are_audited,
    a_stale_heartbeat_means_no_live_worker
);
