//! Hosts over HTTP: lists are scoped, paged and sorted; a host out of scope is a 404;
//! registration validates and resolves; the detail, patches, packages and jobs come from the
//! last polls; refresh queues a job; operators move hosts only between their own groups.

use chrono::{Duration, TimeZone, Utc};
use lpm_core::agent::{AvailablePatch, InstalledPackage, PatchReport, Severity, SystemInfo};
use lpm_core::model::PackageManager;
use reqwest::StatusCode;
use serde_json::json;

use super::harness::{Api, code, hid, ids};

#[tokio::test]
async fn host_list_is_scoped_paged_and_sorted() {
    let api = Api::start().await;
    let fleet = api.fleet().await;

    let (status, page) = api.get(&fleet.admin, "/api/v1/hosts?sort=name").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        ids(&page),
        vec![
            hid(&fleet.host_a),
            hid(&fleet.host_b),
            hid(&fleet.host_free)
        ]
    );
    assert_eq!(
        (
            page["total"].as_i64(),
            page["page"].as_u64(),
            page["per_page"].as_u64()
        ),
        (Some(3), Some(1), Some(50))
    );

    let (_, page) = api.get(&fleet.op_a, "/api/v1/hosts?sort=-name").await;
    assert_eq!(ids(&page), vec![hid(&fleet.host_free), hid(&fleet.host_a)]);

    let (_, page) = api
        .get(&fleet.op_b, "/api/v1/hosts?per_page=1&page=2")
        .await;
    assert_eq!(ids(&page), vec![hid(&fleet.host_free)]);
    assert_eq!(page["total"], 2);

    let (status, body) = api.get(&fleet.admin, "/api/v1/hosts?sort=colour").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let (status, _) = api.get(&fleet.admin, "/api/v1/hosts?per_page=501").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    api.stop().await;
}

#[tokio::test]
async fn a_host_out_of_scope_is_not_found_like_a_missing_one() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);

    let (status, host) = api.get(&fleet.op_a, &format!("/api/v1/hosts/{a}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(host["fqdn"], "a-01.example.com");

    let (status, hidden) = api.get(&fleet.op_b, &format!("/api/v1/hosts/{a}")).await;
    let (_, missing) = api.get(&fleet.op_b, "/api/v1/hosts/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code(&hidden), code(&missing));
    assert_eq!(hidden["error"]["message"], missing["error"]["message"]);
    api.stop().await;
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (status, body) = api
        .call(reqwest::Method::GET, "/api/v1/hosts", None, None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let (status, body) = api.get("not-a-jwt", "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    api.clock.advance(chrono::Duration::minutes(16));
    let (status, body) = api.get(&fleet.admin, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "token_expired")
    );
    api.stop().await;
}

#[tokio::test]
async fn hosts_are_registered_by_address_or_resolvable_name() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (a, b) = (fleet.group_a.id.get(), fleet.group_b.id.get());

    let (status, host) = api
        .post(
            &fleet.op_a,
            "/api/v1/hosts",
            json!({"ip": "192.0.2.10", "groups": [a]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{host}");
    assert_eq!(
        (
            &host["ip"],
            &host["fqdn"],
            &host["port"],
            &host["status"],
            &host["groups"]
        ),
        (
            &json!("192.0.2.10"),
            &json!(null),
            &json!(12443),
            &json!("pending"),
            &json!([a])
        )
    );
    // A name with an address: the manager connects to the address, so the name need not
    // resolve from here.
    let (status, host) = api
        .post(
            &fleet.admin,
            "/api/v1/hosts",
            json!({"fqdn": "DB-01.Example.COM.", "ip": "2001:db8::7", "port": 8443}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{host}");
    assert_eq!(
        (&host["fqdn"], &host["ip"], &host["port"]),
        (
            &json!("db-01.example.com"),
            &json!("2001:db8::7"),
            &json!(8443)
        )
    );
    // Ungrouped: every operator reaches it.
    let (status, free) = api
        .post(&fleet.op_b, "/api/v1/hosts", json!({"ip": "192.0.2.11"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = api
        .get(&fleet.op_a, &format!("/api/v1/hosts/{}", free["id"]))
        .await;
    assert_eq!(status, StatusCode::OK);

    let audit_before = api.store.verify_audit().await.unwrap().rows_checked;
    let (status, answer) = api
        .post(
            &fleet.admin,
            "/api/v1/hosts",
            json!({"fqdn": "no-such-host.invalid"}),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNPROCESSABLE_ENTITY, "unresolvable_host")
    );
    assert!(
        answer["error"]["details"]["fields"]["fqdn"].is_string(),
        "{answer}"
    );
    for (body, field) in [
        (json!({}), "fqdn"),
        (json!({"fqdn": "not a name"}), "fqdn"),
        (json!({"fqdn": "localhost"}), "fqdn"),
        (json!({"ip": "192.0.2.300"}), "ip"),
        (json!({"ip": "192.0.2.12", "port": 0}), "port"),
        (json!({"ip": "192.0.2.12", "groups": [0]}), "groups"),
        (json!({"ip": "192.0.2.12", "groups": [999999]}), "groups"),
    ] {
        let (status, answer) = api.post(&fleet.admin, "/api/v1/hosts", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(
            answer["error"]["details"]["fields"][field].is_string(),
            "{body}: {answer}"
        );
    }
    // An operator may not place a host in another's group, whether or not it exists.
    for groups in [json!([b]), json!([a, b]), json!([999999])] {
        let (status, answer) = api
            .post(
                &fleet.op_a,
                "/api/v1/hosts",
                json!({"ip": "192.0.2.12", "groups": groups}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["error"]["details"]["fields"]["groups"].is_string());
    }
    for body in [
        json!({"ip": "192.0.2.10"}),
        json!({"fqdn": "db-01.example.com", "ip": "192.0.2.99"}),
    ] {
        let (status, answer) = api.post(&fleet.admin, "/api/v1/hosts", body).await;
        assert_eq!((status, code(&answer)), (StatusCode::CONFLICT, "conflict"));
    }
    let (status, _) = api
        .post(
            &fleet.admin,
            "/api/v1/hosts",
            json!({"ip": "192.0.2.10", "port": 12444}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "another port of an address is another agent"
    );
    assert_eq!(
        api.store.verify_audit().await.unwrap().rows_checked,
        audit_before + 1,
        "refusals wrote nothing"
    );
    api.stop().await;
}

async fn poll(api: &Api, host: lpm_core::ids::HostId) {
    let info = SystemInfo {
        hostname: "a-01".into(),
        fqdn: "a-01.example.com".into(),
        os_id: "debian".into(),
        os_version: "12".into(),
        os_pretty_name: "Debian GNU/Linux 12 (bookworm)".into(),
        kernel: "6.1.0-26-amd64".into(),
        arch: "x86_64".into(),
        package_manager: PackageManager::Apt,
        reboot_required: true,
        last_boot: Utc.with_ymd_and_hms(2026, 11, 1, 3, 0, 0).unwrap(),
        agent_version: "1.4.2".into(),
    };
    let now = api.now();
    api.store
        .record_system_info(host, &info, now)
        .await
        .unwrap();
    let checks = json!({"version": "1.4.2", "uptime_s": 3600});
    api.store
        .record_health_snapshot(host, true, None, &checks, now)
        .await
        .unwrap();
    let patch = |package: &str, severity, security| AvailablePatch {
        package: package.into(),
        current_version: "1.0".into(),
        available_version: "1.1".into(),
        arch: "amd64".into(),
        security,
        severity,
        advisories: vec![],
        cves: if security {
            vec![format!("CVE-2026-{package}")]
        } else {
            vec![]
        },
        reboot_required: false,
    };
    let report = PatchReport {
        patches: vec![
            patch("vim", Severity::Low, false),
            patch("openssl", Severity::Critical, true),
            patch("curl", Severity::Moderate, true),
            patch("libcurl4", Severity::Moderate, true),
        ],
        checked_at: now,
    };
    api.store
        .record_patch_snapshot(host, &report, now)
        .await
        .unwrap();
    let packages: Vec<InstalledPackage> = ["zlib1g", "bash", "openssl", "libssl3"]
        .iter()
        .map(|name| InstalledPackage {
            name: (*name).into(),
            version: "1.0".into(),
            arch: "amd64".into(),
        })
        .collect();
    api.store
        .record_package_snapshot(host, &packages, now)
        .await
        .unwrap();
}

fn names(page: &serde_json::Value, key: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_detail_patches_and_packages_come_from_the_last_polls() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);

    // Before any poll: the detail is bare and the lists are empty.
    let (status, detail) = api.get(&fleet.op_a, &format!("/api/v1/hosts/{a}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(
        (&detail["health"], &detail["kernel"]),
        (&json!(null), &json!(null))
    );
    for list in ["patches", "packages", "jobs"] {
        let (status, page) = api
            .get(&fleet.op_a, &format!("/api/v1/hosts/{a}/{list}"))
            .await;
        assert_eq!(
            (status, &page["total"]),
            (StatusCode::OK, &json!(0)),
            "{list}: {page}"
        );
    }

    poll(&api, fleet.host_a.id).await;
    let (_, detail) = api.get(&fleet.op_a, &format!("/api/v1/hosts/{a}")).await;
    assert_eq!(
        (
            &detail["fqdn"],
            &detail["os_name"],
            &detail["kernel"],
            &detail["reboot_required"]
        ),
        (
            &json!("a-01.example.com"),
            &json!("Debian GNU/Linux 12 (bookworm)"),
            &json!("6.1.0-26-amd64"),
            &json!(true)
        )
    );
    assert_eq!(
        detail["pending"],
        json!({"patches": 4, "security": 3, "critical": 1})
    );
    assert_eq!(
        (
            &detail["health"]["ok"],
            &detail["health"]["details"]["version"]
        ),
        (&json!(true), &json!("1.4.2"))
    );
    assert!(detail["last_patch_poll_at"].is_string());

    let patches = |query: &str| format!("/api/v1/hosts/{a}/patches{query}");
    let (_, page) = api.get(&fleet.op_a, &patches("")).await;
    assert_eq!(
        names(&page, "package"),
        ["curl", "libcurl4", "openssl", "vim"]
    );
    let (_, page) = api.get(&fleet.op_a, &patches("?sort=severity")).await;
    assert_eq!(
        names(&page, "package"),
        ["openssl", "curl", "libcurl4", "vim"]
    );
    let (_, page) = api
        .get(&fleet.op_a, &patches("?sort=-severity&per_page=2&page=1"))
        .await;
    assert_eq!(
        (names(&page, "package"), &page["total"]),
        (vec!["vim".to_owned(), "libcurl4".to_owned()], &json!(4))
    );
    let (_, page) = api
        .get(&fleet.op_a, &patches("?severity=moderate&search=LIB"))
        .await;
    assert_eq!(names(&page, "package"), ["libcurl4"]);
    let (_, page) = api.get(&fleet.op_a, &patches("?security=false")).await;
    assert_eq!(names(&page, "package"), ["vim"]);
    assert_eq!(page["items"][0]["severity"], "low");
    for bad in ["?severity=urgent", "?sort=cve", "?per_page=0"] {
        let (status, _) = api.get(&fleet.op_a, &patches(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    let packages = |query: &str| format!("/api/v1/hosts/{a}/packages{query}");
    let (_, page) = api.get(&fleet.op_a, &packages("")).await;
    assert_eq!(
        names(&page, "name"),
        ["bash", "libssl3", "openssl", "zlib1g"]
    );
    let (_, page) = api
        .get(&fleet.op_a, &packages("?search=SSL&sort=-name"))
        .await;
    assert_eq!(names(&page, "name"), ["openssl", "libssl3"]);
    let (_, page) = api.get(&fleet.op_a, &packages("?per_page=3&page=2")).await;
    assert_eq!(
        (names(&page, "name"), &page["total"]),
        (vec!["zlib1g".to_owned()], &json!(4))
    );
    api.stop().await;
}

#[tokio::test]
async fn refresh_queues_a_job_that_the_host_lists() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let free = hid(&fleet.host_free);

    let (status, job) = api
        .post(
            &fleet.op_b,
            &format!("/api/v1/hosts/{free}/refresh"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(
        (
            &job["kind"],
            &job["schedule"],
            &job["state"],
            &job["job_state"]
        ),
        (
            &json!("refresh"),
            &json!("immediate"),
            &json!("queued"),
            &json!("queued")
        )
    );
    assert_eq!(job["created_by"], fleet.op_b_user.id.get());
    assert_eq!(
        job["due_at"]
            .as_str()
            .map(|d| d.parse::<chrono::DateTime<Utc>>().unwrap()),
        Some(api.now())
    );
    api.clock.advance(Duration::seconds(5));
    api.post(
        &fleet.op_a,
        &format!("/api/v1/hosts/{free}/refresh"),
        json!({}),
    )
    .await;

    let (status, page) = api
        .get(&fleet.op_a, &format!("/api/v1/hosts/{free}/jobs"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let jobs: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["job_id"].as_i64().unwrap())
        .collect();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[1], job["job_id"].as_i64().unwrap(), "newest first");
    let (_, page) = api
        .get(
            &fleet.op_a,
            &format!("/api/v1/hosts/{free}/jobs?per_page=1&page=2"),
        )
        .await;
    assert_eq!(
        (page["items"][0]["job_id"].clone(), &page["total"]),
        (job["job_id"].clone(), &json!(2))
    );
    let (_, other) = api
        .get(
            &fleet.admin,
            &format!("/api/v1/hosts/{}/jobs", hid(&fleet.host_a)),
        )
        .await;
    assert_eq!(other["total"], 0);
    let created = api
        .store
        .testing_strings("SELECT details FROM audit_log WHERE action = 'job.created' ORDER BY id")
        .await
        .unwrap();
    assert_eq!(created.len(), 2);
    assert!(created[0].contains("refresh"));
    api.stop().await;
}

#[tokio::test]
async fn deleting_a_host_removes_it() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);
    let (status, _) = api.delete(&fleet.op_a, &format!("/api/v1/hosts/{a}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for (status, answer) in [
        api.get(&fleet.admin, &format!("/api/v1/hosts/{a}")).await,
        api.delete(&fleet.admin, &format!("/api/v1/hosts/{a}"))
            .await,
    ] {
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::NOT_FOUND, "host_not_found")
        );
    }
    let (_, page) = api.get(&fleet.admin, "/api/v1/hosts").await;
    assert_eq!(ids(&page), vec![hid(&fleet.host_b), hid(&fleet.host_free)]);
    let (status, answer) = api.get(&fleet.admin, "/api/v1/hosts/abc").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    api.stop().await;
}

#[tokio::test]
async fn operators_move_hosts_only_between_their_own_groups() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (a, b) = (fleet.group_a.id.get(), fleet.group_b.id.get());
    let free = hid(&fleet.host_free);
    let groups_of = |host: i64| format!("/api/v1/hosts/{host}/groups");

    let (status, host) = api
        .put(&fleet.op_a, &groups_of(free), json!({"group_ids": [a, a]}))
        .await;
    assert_eq!(
        (status, &host["groups"]),
        (StatusCode::OK, &json!([a])),
        "{host}"
    );
    let (status, _) = api.get(&fleet.op_b, &format!("/api/v1/hosts/{free}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "op-b lost it when it joined group A"
    );

    let audit_before = api.store.verify_audit().await.unwrap().rows_checked;
    for groups in [json!([b]), json!([a, b]), json!([999999]), json!([0])] {
        let (status, answer) = api
            .put(&fleet.op_a, &groups_of(free), json!({"group_ids": groups}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["error"]["details"]["fields"]["group_ids"].is_string());
    }
    // In A and B: op-a reaches it but may not take it out of B.
    api.put(&fleet.admin, &groups_of(free), json!({"group_ids": [a, b]}))
        .await;
    let audit_before = audit_before + 1;
    let (status, answer) = api
        .put(&fleet.op_a, &groups_of(free), json!({"group_ids": [a]}))
        .await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    assert_eq!(
        api.store.verify_audit().await.unwrap().rows_checked,
        audit_before
    );

    let (status, host) = api
        .put(&fleet.admin, &groups_of(free), json!({"group_ids": []}))
        .await;
    assert_eq!((status, &host["groups"]), (StatusCode::OK, &json!([])));
    let (status, answer) = api
        .put(
            &fleet.admin,
            &groups_of(free),
            json!({"group_ids": [999999]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let changes = api
        .store
        .testing_strings(&format!(
            "SELECT details FROM audit_log WHERE action = 'host.groups_changed' AND target_id = '{free}' ORDER BY id"
        ))
        .await
        .unwrap();
    assert_eq!(changes.len(), 3, "{changes:?}");
    api.stop().await;
}
