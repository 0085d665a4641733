//! Discovery over HTTP: admin only, ranges validated, progress and results as a worker records
//! them (played through the store), cancel, and registration that creates each host once.

use lpm_core::ids::DiscoveryId;
use lpm_core::net::Port;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::{Api, code, hid, ids};

async fn start_scan(api: &Api, token: &str, cidr: &str) -> (StatusCode, Value) {
    api.post(token, "/api/v1/discovery/cidr", json!({ "cidr": cidr }))
        .await
}

#[tokio::test]
async fn scans_are_for_admins_and_ranges_are_checked() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (status, body) = start_scan(&api, &fleet.op_a, "127.30.0.0/24").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );
    let (status, _) = api.get(&fleet.op_a, "/api/v1/discovery").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    for (body, field) in [
        (json!({"cidr": "10.0.0.0/8"}), "cidr"),
        (json!({"cidr": "not a range"}), "cidr"),
        (json!({"cidr": "127.30.0.0/24", "port": 0}), "port"),
    ] {
        let (status, answer) = api
            .post(&fleet.admin, "/api/v1/discovery/cidr", body.clone())
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            answer["error"]["details"]["fields"][field].is_string(),
            "{answer}"
        );
    }
    let (status, _) = api
        .post(
            &fleet.admin,
            "/api/v1/discovery/cidr",
            json!({"cidr": "127.30.0.0/24", "port": 70000}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, page) = api.get(&fleet.admin, "/api/v1/discovery").await;
    assert_eq!(page["total"], 0, "nothing was written");

    let (status, run) = start_scan(&api, &fleet.admin, "127.30.0.7/24").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{run}");
    assert_eq!(
        (
            &run["cidr"],
            &run["port"],
            &run["state"],
            &run["total"],
            &run["probed"]
        ),
        (
            &json!("127.30.0.0/24"),
            &json!(12443),
            &json!("queued"),
            &json!(254),
            &json!(0)
        )
    );
    let (_, audit) = api
        .get(&fleet.admin, "/api/v1/audit?action=discovery.started")
        .await;
    assert_eq!(audit["total"], 1, "the request is audited");
    api.stop().await;
}

#[tokio::test]
async fn progress_results_and_cancel_follow_the_worker() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (_, first) = start_scan(&api, &fleet.admin, "127.31.0.0/24").await;
    let (_, second) = start_scan(&api, &fleet.admin, "127.32.0.0/24").await;
    let id = first["id"].as_i64().unwrap();

    // A worker picks the oldest scan, probes 100 addresses and finds two agents.
    let run = api.store.claim_discovery(api.now()).await.unwrap().unwrap();
    assert_eq!(run.id, id);
    let did = DiscoveryId::new(id).unwrap();
    for last in [5, 9] {
        let ip = format!("127.31.0.{last}").parse().unwrap();
        api.store
            .add_discovery_result(did, ip, Port::default(), None, Some("1.4.2"), api.now())
            .await
            .unwrap();
    }
    assert!(
        api.store
            .discovery_progress(did, 1, 100, 2, api.now())
            .await
            .unwrap()
    );

    let (status, progress) = api
        .get(&fleet.admin, &format!("/api/v1/discovery/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            &progress["state"],
            &progress["probed"],
            &progress["total"],
            &progress["found"]
        ),
        (&json!("running"), &json!(100), &json!(254), &json!(2))
    );
    let (_, page) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/discovery/{id}/results?per_page=1&page=2"),
        )
        .await;
    assert_eq!(
        (&page["total"], &page["items"][0]["ip"]),
        (&json!(2), &json!("127.31.0.9"))
    );

    let (_, running) = api
        .get(&fleet.admin, "/api/v1/discovery?state=running")
        .await;
    assert_eq!(ids(&running), vec![id]);
    let (_, all) = api.get(&fleet.admin, "/api/v1/discovery").await;
    assert_eq!(ids(&all), vec![second["id"].as_i64().unwrap(), id]);
    let (_, oldest) = api
        .get(&fleet.admin, "/api/v1/discovery?sort=created")
        .await;
    assert_eq!(ids(&oldest)[0], id);

    let cancel = format!("/api/v1/discovery/{id}/cancel");
    let (status, cancelled) = api.post(&fleet.admin, &cancel, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["state"], "cancelled");
    assert!(
        !api.store
            .discovery_progress(did, 1, 200, 2, api.now())
            .await
            .unwrap(),
        "the worker learns the scan was cancelled"
    );
    let (status, body) = api.post(&fleet.admin, &cancel, json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "discovery_finished")
    );
    let (status, body) = api.get(&fleet.admin, "/api/v1/discovery/999999").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "discovery_not_found")
    );
    let (status, _) = api.get(&fleet.admin, "/api/v1/discovery?sort=cidr").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    api.stop().await;
}

#[tokio::test]
async fn registration_creates_each_host_once() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (_, run) = start_scan(&api, &fleet.admin, "127.33.0.0/24").await;
    let id = run["id"].as_i64().unwrap();
    let did = DiscoveryId::new(id).unwrap();
    api.store.claim_discovery(api.now()).await.unwrap();
    // A new agent with a name, and one that is already host A.
    for (last, name) in [(1, "found-01.example.com"), (2, "a-01.example.com")] {
        let ip = format!("127.33.0.{last}").parse().unwrap();
        api.store
            .add_discovery_result(did, ip, Port::default(), Some(name), None, api.now())
            .await
            .unwrap();
    }
    let (_, page) = api
        .get(&fleet.admin, &format!("/api/v1/discovery/{id}/results"))
        .await;
    let results = ids(&page);
    // Regression: an agent that was already a host showed as not registered until someone
    // tried to register it again.
    assert_eq!(
        (
            &page["items"][0]["registered_host_id"],
            &page["items"][1]["registered_host_id"]
        ),
        (&Value::Null, &json!(hid(&fleet.host_a))),
        "the agent at host A's address is reported as host A before any registration: {page}"
    );
    let (_, new_only) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/discovery/{id}/results?registered=false"),
        )
        .await;
    assert_eq!(
        ids(&new_only),
        [results[0]],
        "only the new agent is unregistered"
    );
    let register = format!("/api/v1/discovery/{id}/register");
    let hosts_before = api.get(&fleet.admin, "/api/v1/hosts").await.1["total"].clone();

    let group = fleet.group_a.id.get();
    for (body, status, field) in [
        (
            json!({"result_ids": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "result_ids",
        ),
        (
            json!({"result_ids": [results[0], 999_999]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "result_ids",
        ),
        (
            json!({"result_ids": [results[0]], "groups": [999_999]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "groups",
        ),
        (
            json!({"result_ids": [results[0]], "groups": [0]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "groups",
        ),
    ] {
        let (got, answer) = api.post(&fleet.admin, &register, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(
            answer["error"]["details"]["fields"][field].is_string(),
            "{body} names {field}: {answer}"
        );
    }
    let (status, body) = api
        .post(
            &fleet.admin,
            "/api/v1/discovery/999999/register",
            json!({"result_ids": [results[0]]}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "discovery_not_found")
    );
    let (status, body) = api.get(&fleet.admin, "/api/v1/discovery/first").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "not_found"),
        "an id that is not a number names nothing"
    );
    assert_eq!(
        api.get(&fleet.admin, "/api/v1/hosts").await.1["total"],
        hosts_before,
        "nothing was registered"
    );
    let (status, body) = api
        .post(&fleet.op_a, &register, json!({"result_ids": results}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );

    let (status, done) = api
        .post(
            &fleet.admin,
            &register,
            json!({"result_ids": [results[1], results[0], results[0]], "groups": [group]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let outcomes = done["results"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2);
    assert_eq!(
        (&outcomes[0]["result_id"], &outcomes[0]["outcome"]),
        (&json!(results[0]), &json!("registered"))
    );
    assert_eq!(
        (&outcomes[1]["outcome"], &outcomes[1]["host_id"]),
        (&json!("already_registered"), &json!(hid(&fleet.host_a)))
    );
    let new_host = outcomes[0]["host_id"].as_i64().unwrap();
    let (status, host) = api
        .get(&fleet.op_a, &format!("/api/v1/hosts/{new_host}"))
        .await;
    assert_eq!(status, StatusCode::OK, "registered into group A");
    assert_eq!(
        (&host["fqdn"], &host["ip"], &host["groups"]),
        (
            &json!("found-01.example.com"),
            &json!("127.33.0.1"),
            &json!([group])
        )
    );

    let (_, again) = api
        .post(&fleet.admin, &register, json!({"result_ids": [results[0]]}))
        .await;
    assert_eq!(
        (
            &again["results"][0]["outcome"],
            &again["results"][0]["host_id"]
        ),
        (&json!("already_registered"), &json!(new_host))
    );
    let (_, unregistered) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/discovery/{id}/results?registered=false"),
        )
        .await;
    assert_eq!(unregistered["total"], 0);
    let (_, audit) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/audit?action=host.created&target_id={new_host}"),
        )
        .await;
    assert_eq!(audit["total"], 1, "the new host is audited once");
    api.stop().await;
}
