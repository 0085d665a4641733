//! Jobs over HTTP: creation is validated and scoped (an out-of-scope host is a 404 exactly like
//! a missing one), lists filter, page, sort and never show another group's jobs, cancel stops
//! only rows not yet sent, rollback needs a finished job that changed something. The worker's
//! side is played through the store's queue functions, as a worker would call them.

use chrono::{DateTime, Duration, Utc};
use lpm_core::agent::{ChangeAction, PackageChange};
use lpm_core::model::Name;
use lpm_core::ports::HostOutcome;
use lpm_core::rbac::Scope;
use lpm_core::window::MaintenanceWindow;
use lpm_store::Actor;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::{Api, Backend, code, hid, ids};

fn changed() -> HostOutcome {
    HostOutcome::Succeeded {
        changes: vec![PackageChange {
            package: "openssl".into(),
            from: Some("3.0.13-1".into()),
            to: Some("3.0.13-4".into()),
            action: ChangeAction::Upgrade,
        }],
        reboot_required: false,
        log_tail: vec!["Setting up openssl".into()],
    }
}

fn unchanged() -> HostOutcome {
    HostOutcome::Succeeded {
        changes: vec![],
        reboot_required: false,
        log_tail: vec![],
    }
}

/// Plays a worker: claims every due row, sends it and finishes it with `outcome`.
async fn work_off(api: &Api, outcome: &HostOutcome) {
    let now = api.now();
    let work = api
        .store
        .claim("test-worker", now, Duration::minutes(5), 100)
        .await
        .unwrap();
    for w in &work {
        let key = format!("key-{}", w.lease.job_host);
        api.store
            .record_dispatch(&w.lease, &key, now)
            .await
            .unwrap();
        api.store
            .record_accepted(&w.lease, &format!("agent-{}", w.lease.job_host), now)
            .await
            .unwrap();
        api.store.complete(&w.lease, outcome, now).await.unwrap();
    }
}

async fn one_time_window(api: &Api, host: &lpm_core::model::Host, start: DateTime<Utc>) {
    let window = MaintenanceWindow::one_time(start, start + Duration::hours(2)).unwrap();
    api.store
        .create_window(
            &Scope::system(),
            host.id,
            &Name::new("Tonight").unwrap(),
            &window,
            &Actor::system(),
            api.now(),
        )
        .await
        .unwrap();
}

fn field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body["error"]["details"]["fields"][name].as_str()
}

async fn job_bodies_are_validated_and_write_nothing(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);
    let cases = [
        (
            json!({"kind": "install", "host_ids": [a], "mode": "immediate"}),
            "packages",
        ),
        (
            json!({"kind": "reboot", "host_ids": [a], "mode": "immediate", "packages": ["vim"]}),
            "packages",
        ),
        (
            json!({"kind": "remove", "host_ids": [a], "mode": "immediate", "packages": [{"name": "vim", "version": "9.1"}]}),
            "packages",
        ),
        (
            json!({"kind": "install", "host_ids": [a], "mode": "immediate", "packages": ["vim; reboot"]}),
            "packages",
        ),
        (
            json!({"kind": "install", "host_ids": [a], "mode": "immediate", "packages": ["vim", "vim"]}),
            "packages",
        ),
        (
            json!({"kind": "install", "host_ids": [a], "mode": "immediate", "packages": ["vim"], "security_only": true}),
            "security_only",
        ),
        (
            json!({"kind": "reboot", "host_ids": [a], "mode": "immediate", "dry_run": true}),
            "dry_run",
        ),
        (
            json!({"kind": "reboot", "host_ids": [a], "mode": "immediate", "reboot": "always"}),
            "reboot",
        ),
        (
            json!({"kind": "apply_patches", "host_ids": [], "mode": "queued"}),
            "host_ids",
        ),
        (
            json!({"kind": "apply_patches", "host_ids": (1..=10_001).collect::<Vec<i64>>(), "mode": "queued"}),
            "host_ids",
        ),
        (
            json!({"kind": "rollback", "host_ids": [a], "mode": "immediate"}),
            "kind",
        ),
    ];
    for (body, name) in cases {
        let (status, answer) = api.post(&fleet.admin, "/api/v1/jobs", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(code(&answer), "validation_failed");
        assert!(
            field(&answer, name).is_some(),
            "{body} names {name}: {answer}"
        );
    }
    // Shapes serde refuses: an unknown mode, an unknown field.
    for body in [
        json!({"kind": "apply_patches", "host_ids": [a], "mode": "tomorrow"}),
        json!({"kind": "apply_patches", "host_ids": [a], "mode": "queued", "colour": "red"}),
    ] {
        let (status, answer) = api.post(&fleet.admin, "/api/v1/jobs", body).await;
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        );
    }
    let (_, page) = api.get(&fleet.admin, "/api/v1/jobs").await;
    assert_eq!(page["total"], 0, "nothing was written");
    api.stop().await;
}

async fn a_host_out_of_scope_is_not_found_like_a_missing_one(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let body =
        |hosts: Vec<i64>| json!({"kind": "apply_patches", "host_ids": hosts, "mode": "immediate"});
    let (status, hidden) = api
        .post(&fleet.op_a, "/api/v1/jobs", body(vec![hid(&fleet.host_b)]))
        .await;
    let (_, missing) = api
        .post(&fleet.op_a, "/api/v1/jobs", body(vec![999_999]))
        .await;
    let (_, mixed) = api
        .post(
            &fleet.op_a,
            "/api/v1/jobs",
            body(vec![hid(&fleet.host_a), hid(&fleet.host_b)]),
        )
        .await;
    let (_, impossible) = api.post(&fleet.op_a, "/api/v1/jobs", body(vec![0])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for other in [&missing, &mixed, &impossible] {
        assert_eq!(code(other), "host_not_found");
        assert_eq!(hidden["error"]["message"], other["error"]["message"]);
        assert_eq!(hidden["error"]["details"], other["error"]["details"]);
    }
    let (_, page) = api.get(&fleet.admin, "/api/v1/jobs").await;
    assert_eq!(page["total"], 0, "nothing was written");
    api.stop().await;
}

async fn queued_jobs_wait_for_windows_and_say_why(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let tonight = api.now() + Duration::hours(8);
    one_time_window(&api, &fleet.host_a, tonight).await;
    let (a, free) = (hid(&fleet.host_a), hid(&fleet.host_free));
    let (status, job) = api
        .post(
            &fleet.op_a,
            "/api/v1/jobs",
            json!({
                "kind": "install", "host_ids": [a, free, a], "mode": "queued",
                "packages": ["vim", {"name": "openssl", "version": "3.0.13-4"}], "reboot": "if_required",
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{job}");
    assert!(job["id"].as_i64().is_some());
    assert_eq!(
        (
            job["kind"].as_str(),
            job["mode"].as_str(),
            job["state"].as_str()
        ),
        (Some("install"), Some("queued"), Some("queued"))
    );
    assert_eq!(job["host_count"], 2, "a host named twice is one row");
    assert_eq!(job["created_by_name"], "op-a");
    assert_eq!(
        job["options"],
        json!({
            "packages": [{"name": "vim", "version": null}, {"name": "openssl", "version": "3.0.13-4"}],
            "reboot": "if_required", "security_only": false, "dry_run": false,
        })
    );
    let rows = job["hosts"].as_array().unwrap();
    let row = |host: i64| rows.iter().find(|r| r["host_id"] == host).unwrap();
    assert_eq!(row(a)["host_name"], "a-01.example.com");
    assert_eq!(row(a)["state"], "queued");
    assert_eq!(
        row(a)["next_window_at"]
            .as_str()
            .map(|t| t.parse::<DateTime<Utc>>().unwrap()),
        Some(tonight)
    );
    assert_eq!(
        row(a)["waiting_reason"],
        "waiting for the next maintenance window"
    );
    assert_eq!(row(free)["next_window_at"], Value::Null);
    assert_eq!(
        row(free)["waiting_reason"],
        "the host has no maintenance window"
    );
    let events = job["recent_events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            &events[0]["level"],
            &events[0]["state"],
            &events[0]["message"]
        ),
        (
            &json!("job"),
            &json!("queued"),
            &json!("created by op-a for 2 host(s)")
        )
    );

    let (status, now) = api
        .post(
            &fleet.op_a,
            "/api/v1/jobs",
            json!({"kind": "reboot", "host_ids": [a], "mode": "immediate"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let due = now["hosts"][0]["next_window_at"]
        .as_str()
        .unwrap()
        .parse::<DateTime<Utc>>()
        .unwrap();
    assert_eq!(
        (due, &now["hosts"][0]["waiting_reason"]),
        (api.now(), &Value::Null)
    );

    let (_, audit) = api
        .get(&fleet.admin, "/api/v1/audit?action=job.created&sort=id")
        .await;
    let created: Vec<(&str, &str, &str)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["target_id"].as_str().unwrap(),
                r["actor"].as_str().unwrap(),
                r["ip"].as_str().unwrap(),
            )
        })
        .collect();
    let (first, second) = (job["id"].to_string(), now["id"].to_string());
    assert_eq!(
        created,
        [
            (first.as_str(), "op-a", "127.0.0.1"),
            (second.as_str(), "op-a", "127.0.0.1")
        ],
        "creation is audited with who asked and from where"
    );
    api.stop().await;
}

async fn job_lists_filter_page_sort_and_keep_to_scope(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let (a, b) = (hid(&fleet.host_a), hid(&fleet.host_b));
    // Jobs an hour apart; tokens are minted as each is sent (they live 15 minutes).
    let create = |user: &lpm_core::model::User, kind: &str, hosts: Vec<i64>| {
        let body = json!({"kind": kind, "host_ids": hosts, "mode": "immediate"});
        let token = api.token(user);
        let api = &api;
        async move {
            let (status, job) = api.post(&token, "/api/v1/jobs", body).await;
            assert_eq!(status, StatusCode::CREATED, "{job}");
            job["id"].as_i64().unwrap()
        }
    };
    let first = create(&fleet.op_a_user, "reboot", vec![a]).await;
    api.clock.advance(Duration::hours(1));
    let second = create(&fleet.op_b_user, "apply_patches", vec![b]).await;
    api.clock.advance(Duration::hours(1));
    let third = create(&fleet.admin_user, "apply_patches", vec![a, b]).await;
    let fleet = super::harness::Fleet {
        admin: api.token(&fleet.admin_user),
        op_a: api.token(&fleet.op_a_user),
        op_b: api.token(&fleet.op_b_user),
        ..fleet
    };
    let (status, _) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/jobs/{third}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let list = |token: &str, query: &str| {
        let (api, token, path) = (&api, token.to_owned(), format!("/api/v1/jobs{query}"));
        async move {
            let (status, page) = api.get(&token, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            ids(&page)
        }
    };
    assert_eq!(list(&fleet.admin, "").await, vec![third, second, first]);
    assert_eq!(list(&fleet.op_a, "").await, vec![third, first]);
    assert_eq!(
        list(&fleet.op_b, "").await,
        vec![third, second],
        "B never sees A's job"
    );
    let (status, body) = api.get(&fleet.op_b, &format!("/api/v1/jobs/{first}")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "job_not_found")
    );
    let (status, _) = api
        .get(&fleet.op_b, &format!("/api/v1/jobs/{first}/events"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, shared) = api.get(&fleet.op_b, &format!("/api/v1/jobs/{third}")).await;
    let rows: Vec<i64> = shared["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["host_id"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, vec![b], "only B's row of a shared job");
    assert_eq!(shared["host_count"], 2);

    assert_eq!(list(&fleet.admin, "?state=cancelled").await, vec![third]);
    assert_eq!(
        list(&fleet.admin, "?kind=apply_patches").await,
        vec![third, second]
    );
    assert_eq!(
        list(&fleet.admin, &format!("?host={a}")).await,
        vec![third, first]
    );
    assert_eq!(
        list(
            &fleet.admin,
            &format!("?created_by={}", fleet.op_b_user.id.get())
        )
        .await,
        vec![second]
    );
    let since =
        (api.now() - Duration::minutes(90)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let until =
        (api.now() - Duration::minutes(30)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(
        list(&fleet.admin, &format!("?since={since}&until={until}")).await,
        vec![second]
    );
    assert_eq!(
        list(&fleet.admin, "?sort=created").await,
        vec![first, second, third]
    );
    assert_eq!(
        list(&fleet.admin, "?sort=state").await,
        vec![third, second, first],
        "cancelled before queued; ties newest first"
    );
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/jobs?sort=created&per_page=2&page=2")
        .await;
    assert_eq!((ids(&page), &page["total"]), (vec![third], &json!(3)));
    for bad in [
        "?sort=colour",
        "?state=asleep",
        "?host=0",
        "?since=yesterday",
    ] {
        let (status, body) = api.get(&fleet.admin, &format!("/api/v1/jobs{bad}")).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{bad}"
        );
    }
    api.stop().await;
}

async fn cancel_stops_waiting_rows_and_sent_ones_run_on(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let (a, b, free) = (
        hid(&fleet.host_a),
        hid(&fleet.host_b),
        hid(&fleet.host_free),
    );
    let (_, job) = api
        .post(
            &fleet.admin,
            "/api/v1/jobs",
            json!({"kind": "apply_patches", "host_ids": [a, b, free], "mode": "immediate"}),
        )
        .await;
    let id = job["id"].as_i64().unwrap();
    // A worker takes the first row and sends it to its agent.
    let now = api.now();
    let claimed = api
        .store
        .claim("test-worker", now, Duration::minutes(5), 1)
        .await
        .unwrap();
    api.store
        .record_dispatch(&claimed[0].lease, "key-1", now)
        .await
        .unwrap();
    let sent = claimed[0].host.get();

    let (status, body) = api
        .post(&fleet.op_a, &format!("/api/v1/jobs/{id}/cancel"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "out_of_scope"),
        "op A does not reach host B"
    );
    let (status, cancel) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/jobs/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cancel}");
    assert_eq!(
        (&cancel["rows_cancelled"], &cancel["rows_still_running"]),
        (&json!(2), &json!(1))
    );
    assert_eq!(cancel["job"]["state"], "cancelled");
    for row in cancel["job"]["hosts"].as_array().unwrap() {
        let expected = if row["host_id"] == sent {
            "dispatched"
        } else {
            "cancelled"
        };
        assert_eq!(row["state"], expected, "{row}");
    }
    let (status, again) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/jobs/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&again)),
        (StatusCode::CONFLICT, "job_finished")
    );

    // The sent row runs to its end and reports as usual.
    api.store
        .record_accepted(&claimed[0].lease, "agent-1", now)
        .await
        .unwrap();
    api.store
        .complete(&claimed[0].lease, &changed(), now)
        .await
        .unwrap();
    let (_, done) = api.get(&fleet.admin, &format!("/api/v1/jobs/{id}")).await;
    let finished = done["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["host_id"] == sent)
        .unwrap();
    assert_eq!(finished["state"], "succeeded");
    assert_eq!(finished["changes"][0]["package"], "openssl");
    assert_eq!(finished["log_tail"], json!(["Setting up openssl"]));
    assert!(done["finished_at"].is_string());

    let (status, log) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/jobs/{id}/events?per_page=500"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let entries: Vec<(&str, &str, Option<i64>)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["level"].as_str().unwrap(),
                e["state"].as_str().unwrap(),
                e["host_id"].as_i64(),
            )
        })
        .collect();
    assert_eq!(entries.len(), 6, "{log}");
    assert_eq!(
        entries[..2],
        [("job", "queued", None), ("job", "running", None)]
    );
    let mut stopped: Vec<i64> = entries[2..4]
        .iter()
        .map(|(level, state, host)| {
            assert_eq!((*level, *state), ("host", "cancelled"));
            host.unwrap()
        })
        .collect();
    stopped.sort_unstable();
    let mut waiting: Vec<i64> = vec![a, b, free]
        .into_iter()
        .filter(|h| *h != sent)
        .collect();
    waiting.sort_unstable();
    assert_eq!(stopped, waiting, "the rows not yet sent");
    assert_eq!(
        entries[4..],
        [("job", "cancelled", None), ("job", "cancelled", None)]
    );
    assert_eq!(
        log["items"][4]["message"],
        "cancel requested by root-admin: 2 waiting row(s) stopped, 1 row(s) already sent run to their end"
    );
    let (_, newest) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/jobs/{id}/events?sort=-id&per_page=1"),
        )
        .await;
    assert_eq!(
        (&newest["items"][0]["state"], &newest["items"][0]["level"]),
        (&json!("cancelled"), &json!("job")),
        "the job settled last"
    );
    let (_, audit) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/audit?action=job.cancelled&target_id={id}"),
        )
        .await;
    assert_eq!(audit["total"], 1, "the cancel is audited");
    api.stop().await;
}

async fn rollback_needs_a_finished_job_that_changed_something(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    let (a, free) = (hid(&fleet.host_a), hid(&fleet.host_free));
    let (_, job) = api
        .post(
            &fleet.op_a,
            "/api/v1/jobs",
            json!({"kind": "apply_patches", "host_ids": [a, free], "mode": "immediate"}),
        )
        .await;
    let id = job["id"].as_i64().unwrap();
    let rollback = format!("/api/v1/jobs/{id}/rollback");
    let (status, body) = api.post(&fleet.op_a, &rollback, json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "job_not_finished")
    );

    work_off(&api, &changed()).await;
    let (status, body) = api.post(&fleet.op_b, &rollback, json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "out_of_scope"),
        "op B sees the job through the ungrouped host but does not reach host A"
    );
    let (status, undo) = api.post(&fleet.op_a, &rollback, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{undo}");
    assert_eq!(
        (&undo["kind"], &undo["mode"], &undo["parent_id"]),
        (&json!("rollback"), &json!("immediate"), &json!(id))
    );
    let mut hosts: Vec<i64> = undo["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["host_id"].as_i64().unwrap())
        .collect();
    hosts.sort_unstable();
    assert_eq!(hosts, vec![a, free]);

    let (_, quiet) = api
        .post(
            &fleet.op_a,
            "/api/v1/jobs",
            json!({"kind": "reboot", "host_ids": [a], "mode": "immediate"}),
        )
        .await;
    // Both the rollback and the reboot are due: let them finish without changes.
    work_off(&api, &unchanged()).await;
    let (status, body) = api
        .post(
            &fleet.op_a,
            &format!("/api/v1/jobs/{}/rollback", quiet["id"]),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "nothing_to_roll_back")
    );
    let (status, body) = api
        .post(&fleet.op_a, "/api/v1/jobs/999999/rollback", json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "job_not_found")
    );
    api.stop().await;
}

/// Runs each scenario on SQLite and on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await
                }
            )*
        }
    };
}

on_both_backends!(
    job_bodies_are_validated_and_write_nothing,
    a_host_out_of_scope_is_not_found_like_a_missing_one,
    queued_jobs_wait_for_windows_and_say_why,
    job_lists_filter_page_sort_and_keep_to_scope,
    cancel_stops_waiting_rows_and_sent_ones_run_on,
    rollback_needs_a_finished_job_that_changed_something,
);
