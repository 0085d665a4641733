//! The fleet summary over HTTP: every figure matches what was seeded through the store (as the
//! pollers and the worker record it), within the caller's scope.

use chrono::{Duration, Utc};
use lpm_core::agent::{AvailablePatch, PatchReport, Severity};
use lpm_core::model::{Host, Name};
use lpm_core::rbac::Scope;
use lpm_core::window::MaintenanceWindow;
use lpm_store::Actor;
use reqwest::StatusCode;
use serde_json::json;

use super::harness::{Api, code, hid};

fn patch(package: &str, severity: Severity, security: bool) -> AvailablePatch {
    AvailablePatch {
        package: package.into(),
        current_version: "1.0".into(),
        available_version: "1.1".into(),
        arch: "amd64".into(),
        security,
        severity,
        advisories: vec![],
        cves: vec![],
        reboot_required: false,
    }
}

async fn poll(api: &Api, host: &Host, status: &str, patches: Vec<AvailablePatch>) {
    let now = api.now();
    api.store
        .record_health_snapshot(host.id, status == "healthy", None, &json!({}), now)
        .await
        .unwrap();
    api.store
        .testing_execute(&format!(
            "UPDATE hosts SET status = '{status}' WHERE id = {}",
            hid(host)
        ))
        .await
        .unwrap();
    api.store
        .record_patch_snapshot(
            host.id,
            &PatchReport {
                patches,
                checked_at: now,
            },
            now,
        )
        .await
        .unwrap();
}

async fn window(api: &Api, host: &Host, name: &str, opens_in: Duration) {
    let start = api.now() + opens_in;
    api.store
        .create_window(
            &Scope::system(),
            host.id,
            &Name::new(name).unwrap(),
            &MaintenanceWindow::one_time(start, start + Duration::hours(2)).unwrap(),
            &Actor::system(),
            api.now(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn fleet_figures_match_what_was_recorded() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let extra = api.host("b-02.example.com", &[fleet.group_b.id]).await;
    poll(
        &api,
        &fleet.host_a,
        "healthy",
        vec![
            patch("openssl", Severity::Critical, true),
            patch("vim", Severity::Low, false),
        ],
    )
    .await;
    poll(&api, &fleet.host_b, "degraded", vec![]).await;
    poll(
        &api,
        &fleet.host_free,
        "unreachable",
        vec![patch("curl", Severity::Moderate, true)],
    )
    .await;
    api.store
        .testing_execute(&format!(
            "UPDATE hosts SET status = 'unhealthy', reboot_required = TRUE WHERE id = {}",
            hid(&extra)
        ))
        .await
        .unwrap();
    window(&api, &fleet.host_a, "now", Duration::hours(-1)).await;
    window(&api, &fleet.host_a, "tonight", Duration::hours(8)).await;
    window(&api, &fleet.host_b, "soon", Duration::hours(2)).await;
    let (status, _) = api
        .post(
            &fleet.admin,
            "/api/v1/jobs",
            json!({"kind": "reboot", "host_ids": [hid(&fleet.host_a)], "mode": "queued"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, all) = api.get(&fleet.admin, "/api/v1/status/fleet").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all["hosts"], 4);
    assert_eq!(
        all["by_status"],
        json!({"pending": 0, "healthy": 1, "degraded": 1, "unhealthy": 1, "unreachable": 1})
    );
    // Reachable and polled: A (a security update pending) and B (none).
    assert_eq!(
        all["compliance"],
        json!({"pct": 50.0, "compliant": 1, "reachable": 2})
    );
    assert_eq!(
        (
            &all["polled"],
            &all["fully_patched"],
            &all["with_security_updates"]
        ),
        (&json!(3), &json!(1), &json!(2))
    );
    assert_eq!(
        all["pending_patches"],
        json!({"critical": 1, "important": 0, "moderate": 1, "low": 1, "unknown": 0})
    );
    assert_eq!(all["reboot_required"], 1);
    let attention: Vec<&str> = all["attention"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["fqdn"].as_str().unwrap())
        .collect();
    assert_eq!(
        attention,
        ["free-01.example.com", "b-02.example.com"],
        "unreachable first"
    );
    let windows: Vec<(&str, bool)> = all["upcoming_windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["window_name"].as_str().unwrap(),
                w["open_now"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        windows,
        [("now", true), ("soon", false), ("tonight", false)]
    );
    assert_eq!(all["jobs"], json!({"queued": 1, "running": 0}));
    assert_eq!(all["worker"]["state"], "absent");

    // Operator B: host B, the extra B host and the ungrouped one; not A, its windows or its job.
    let (_, theirs) = api.get(&fleet.op_b, "/api/v1/status/fleet?limit=1").await;
    assert_eq!(theirs["hosts"], 3);
    assert_eq!(
        theirs["compliance"],
        json!({"pct": 100.0, "compliant": 1, "reachable": 1})
    );
    assert_eq!(theirs["pending_patches"]["critical"], 0);
    assert_eq!(theirs["attention"].as_array().unwrap().len(), 1, "limit");
    assert_eq!(theirs["upcoming_windows"][0]["window_name"], "soon");
    assert_eq!(theirs["jobs"], json!({"queued": 0, "running": 0}));

    // The stale-worker banner: fresh after a beat, stale once it is older than the limit.
    let beat = api.now() - Duration::seconds(10);
    api.store
        .heartbeat("worker-1", "manager", "0.1.0", beat, beat)
        .await
        .unwrap();
    let (_, fresh) = api.get(&fleet.op_a, "/api/v1/status/fleet").await;
    assert_eq!(
        (&fresh["worker"]["state"], &fresh["worker"]["fresh_workers"]),
        (&json!("fresh"), &json!(1))
    );
    assert_eq!(
        fresh["worker"]["last_beat_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<Utc>>()
            .unwrap(),
        beat
    );
    api.clock.advance(Duration::minutes(2));
    let (_, stale) = api.get(&fleet.op_a, "/api/v1/status/fleet").await;
    assert_eq!(
        (&stale["worker"]["state"], &stale["worker"]["fresh_workers"]),
        (&json!("stale"), &json!(0))
    );

    for bad in ["?limit=0", "?limit=51", "?limit=many"] {
        let (status, body) = api
            .get(&fleet.admin, &format!("/api/v1/status/fleet{bad}"))
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{bad}"
        );
    }
    let (status, _) = api
        .call(reqwest::Method::GET, "/api/v1/status/fleet", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    api.stop().await;
}
