//! The audit log over HTTP: admin only, filtered, paged and sorted; verification names the
//! first broken row after a row is tampered with, and is itself recorded.

use chrono::{Duration, SecondsFormat};
use reqwest::StatusCode;
use serde_json::{Value, json};

use lpm_core::job::{JobKind, JobOptions, Schedule};
use lpm_core::rbac::Scope;
use lpm_store::Actor;
use lpm_store::jobs::{JobTarget, NewJob};

use super::harness::{Api, code, hid, ids};

fn actions(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_log_is_for_admins_and_filters_and_sorts() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (status, body) = api.get(&fleet.op_a, "/api/v1/audit").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );

    // The fleet's setup wrote its rows as `system` (groups, users, hosts).
    let setup = api.get(&fleet.admin, "/api/v1/audit").await.1["total"]
        .as_i64()
        .unwrap();
    assert!(setup >= 8, "at least 2 groups, 3 users and 3 hosts");
    api.clock.advance(Duration::hours(1));
    let since = api.now().to_rfc3339_opts(SecondsFormat::Secs, true);
    // Tokens live 15 minutes: mint a fresh one for the new hour.
    let fleet = super::harness::Fleet {
        admin: api.token(&fleet.admin_user),
        ..fleet
    };
    // Operator A creates a job and cancels it (through the store, as the jobs API does).
    let scope = Scope::for_user(&fleet.op_a_user).unwrap();
    let op_a = Actor::user(fleet.op_a_user.id, "op-a", Some("192.0.2.7".into()));
    let job = NewJob {
        kind: JobKind::Reboot,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: vec![JobTarget {
            host: fleet.host_a.id,
            due_at: Some(api.now()),
            waiting_reason: None,
        }],
    };
    let job_id = api
        .store
        .create_job(&scope, &job, &op_a, api.now())
        .await
        .unwrap();
    api.store
        .cancel_job(&scope, job_id, &op_a, api.now())
        .await
        .unwrap();

    let (status, all) = api.get(&fleet.admin, "/api/v1/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["total"], setup + 2);
    assert_eq!(
        ids(&all),
        (1..=setup + 2).rev().take(50).collect::<Vec<i64>>(),
        "newest first"
    );
    let newest = &all["items"][0];
    assert_eq!(
        (
            &newest["actor"],
            &newest["actor_id"],
            &newest["target_type"],
            &newest["ip"]
        ),
        (
            &json!("op-a"),
            &json!(fleet.op_a_user.id.get()),
            &json!("job"),
            &json!("192.0.2.7")
        )
    );
    assert_eq!(newest["details"]["rows_cancelled"], 1, "details are JSON");
    assert_eq!(newest["row_hash"].as_str().unwrap().len(), 64);

    let get = |query: &str| {
        let (api, admin, path) = (&api, fleet.admin.clone(), format!("/api/v1/audit{query}"));
        async move {
            let (status, page) = api.get(&admin, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            page
        }
    };
    assert_eq!(
        actions(&get("?actor=op-a&sort=id").await),
        ["job.created", "job.cancelled"]
    );
    assert_eq!(
        get(&format!("?actor_id={}", fleet.op_a_user.id.get())).await["total"],
        2
    );
    assert_eq!(get("?actor=system").await["total"], setup);
    assert_eq!(
        actions(&get("?action=host.").await),
        ["host.created", "host.created", "host.created"]
    );
    assert_eq!(
        ids(&get(&format!(
            "?target_type=host&target_id={}",
            hid(&fleet.host_b)
        ))
        .await)
        .len(),
        1
    );
    assert_eq!(
        actions(&get(&format!("?target_type=job&target_id={job_id}&sort=-time")).await),
        ["job.cancelled", "job.created"]
    );
    assert_eq!(get(&format!("?since={since}")).await["total"], 2);
    assert_eq!(get(&format!("?until={since}")).await["total"], setup);
    let page = get("?sort=id&per_page=3&page=2").await;
    assert_eq!(
        (ids(&page), &page["total"]),
        (vec![4, 5, 6], &json!(setup + 2))
    );
    for bad in [
        "?sort=actor",
        "?actor_id=0",
        "?since=last-week",
        "?per_page=0",
    ] {
        let (status, body) = api.get(&fleet.admin, &format!("/api/v1/audit{bad}")).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{bad}"
        );
    }
    api.stop().await;
}

#[tokio::test]
async fn verification_names_the_first_tampered_row_and_is_recorded() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (status, body) = api
        .post(&fleet.op_a, "/api/v1/audit/verify", json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );

    let setup = api.get(&fleet.admin, "/api/v1/audit").await.1["total"].clone();
    let (status, whole) = api
        .post(&fleet.admin, "/api/v1/audit/verify", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{whole}");
    assert_eq!(
        (
            &whole["ok"],
            &whole["rows_checked"],
            &whole["first_broken"],
            &whole["head"]["id"]
        ),
        (&json!(true), &setup, &Value::Null, &setup)
    );
    assert_eq!(whole["head"]["hash"].as_str().unwrap().len(), 64);
    let (_, log) = api.get(&fleet.admin, "/api/v1/audit?per_page=1").await;
    let recorded = &log["items"][0];
    assert_eq!(
        (
            &recorded["action"],
            &recorded["actor"],
            &recorded["details"]["ok"]
        ),
        (&json!("audit.verified"), &json!("root-admin"), &json!(true)),
        "the check itself is recorded"
    );

    let (_, range) = api
        .post(
            &fleet.admin,
            "/api/v1/audit/verify",
            json!({"from_id": 2, "to_id": 4}),
        )
        .await;
    assert_eq!(
        (&range["ok"], &range["rows_checked"]),
        (&json!(true), &json!(3))
    );
    for (body, field) in [
        (json!({"from_id": 5, "to_id": 4}), "from_id"),
        (json!({"from_id": 0}), "from_id"),
        (json!({"to_id": -3}), "to_id"),
    ] {
        let (status, answer) = api
            .post(&fleet.admin, "/api/v1/audit/verify", body.clone())
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            answer["error"]["details"]["fields"][field].is_string(),
            "{answer}"
        );
    }
    let (status, _) = api
        .post(&fleet.admin, "/api/v1/audit/verify", json!({"from": 1}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );

    api.store
        .testing_execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 5")
        .await
        .unwrap();
    let (status, broken) = api
        .post(&fleet.admin, "/api/v1/audit/verify", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (&broken["ok"], &broken["first_broken"]),
        (&json!(false), &json!({"id": 5, "kind": "contents_changed"}))
    );
    let (_, before) = api
        .post(&fleet.admin, "/api/v1/audit/verify", json!({"to_id": 4}))
        .await;
    assert_eq!(
        before["ok"], true,
        "rows before the tampered one still hold"
    );
    api.stop().await;
}
